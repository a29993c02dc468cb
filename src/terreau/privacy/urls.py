"""Personal data: /confidentialite/…"""

from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("mes-donnees/", views.export_page, name="export"),
    path("mes-donnees.json", views.export_json, name="export_json"),
    path("supprimer-mon-compte/", views.AccountDeleteView.as_view(), name="account_delete"),
    path("retrait-annuaire/", views.RemovalRequestView.as_view(), name="removal_request"),
    path(
        "retrait-annuaire/<str:token>/",
        views.RemovalConfirmView.as_view(),
        name="removal_confirm",
    ),
    path("retrait-annuaire-fait/", views.removal_done, name="removal_done"),
]
