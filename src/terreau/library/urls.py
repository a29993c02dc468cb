"""URLs of the library app (French paths, under /ressources/)."""

from django.urls import path

from terreau.core.pagecache import public_page

from . import views

app_name = "library"
urlpatterns = [
    path("", public_page()(views.ResourceListView.as_view()), name="resource_list"),
    path("<slug:slug>/", public_page()(views.ResourceDetailView.as_view()), name="resource_detail"),
]
