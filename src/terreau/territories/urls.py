"""URLs of the territories app (French paths)."""

from django.urls import path

from terreau.core.pagecache import public_page

from . import views

app_name = "territories"
urlpatterns = [
    path("", public_page()(views.TerritoryIndexView.as_view()), name="territory_index"),
    path("communes/", public_page()(views.CommuneListView.as_view()), name="commune_list"),
    path("communes/recherche/", views.commune_search, name="commune_search"),
    path("communes/aller/", views.commune_go, name="commune_go"),
    path(
        "communes/<str:insee>/",
        public_page()(views.CommuneDetailView.as_view()),
        name="commune_detail",
    ),
    path("departements/contours.geojson", views.department_outlines, name="department_outlines"),
    path(
        "departements/<str:code>/",
        public_page()(views.DepartmentDetailView.as_view()),
        name="department_detail",
    ),
    path("zones/<slug:slug>/", public_page()(views.ZoneDetailView.as_view()), name="zone_detail"),
]
