"""URLs of the library app (French paths, under /ressources/)."""

from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.ResourceListView.as_view(), name="resource_list"),
    path("<slug:slug>/", views.ResourceDetailView.as_view(), name="resource_detail"),
]
