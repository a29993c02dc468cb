"""URLs of the directory app (French paths)."""

from django.urls import path

from terreau.core.pagecache import public_page

from . import views

app_name = "directory"
urlpatterns = [
    path("", public_page()(views.OrganisationListView.as_view()), name="organisation_list"),
    path(
        "organisations/suggestions/",
        views.OrganisationSuggestionsView.as_view(),
        name="organisation_suggestions",
    ),
    path(
        "organisations/<slug:slug>/",
        public_page()(views.OrganisationDetailView.as_view()),
        name="organisation_detail",
    ),
    path("personnes/", public_page()(views.PersonListView.as_view()), name="person_list"),
    path(
        "personnes/<slug:slug>/",
        public_page()(views.PersonDetailView.as_view()),
        name="person_detail",
    ),
    path("personnes/<slug:slug>/modifier/", views.ProfileEditView.as_view(), name="person_edit"),
    path("mon-profil/", views.ProfileEditView.as_view(), name="profile_edit"),
]
