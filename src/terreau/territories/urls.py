"""URLs of the territories app (French paths)."""

from django.urls import path

from . import views

app_name = "territories"
urlpatterns = [
    path("", views.TerritoryIndexView.as_view(), name="territory_index"),
    path("communes/", views.CommuneListView.as_view(), name="commune_list"),
    path("communes/recherche/", views.commune_search, name="commune_search"),
    path("communes/aller/", views.commune_go, name="commune_go"),
    path("communes/<str:insee>/", views.CommuneDetailView.as_view(), name="commune_detail"),
    path("departements/contours.geojson", views.department_outlines, name="department_outlines"),
    path(
        "departements/<str:code>/", views.DepartmentDetailView.as_view(), name="department_detail"
    ),
    path("zones/<slug:slug>/", views.ZoneDetailView.as_view(), name="zone_detail"),
]
