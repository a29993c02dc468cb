"""URLs of the exchange groups (French paths, under /groupes/)."""

from django.urls import path

from terreau.core.pagecache import next_local_midnight, public_page

from . import views

# Members count from their join date to their leave date: the public pages change at midnight.
public_group_page = public_page(expires=next_local_midnight)

app_name = "groups"
urlpatterns = [
    path("", public_group_page(views.group_list), name="list"),
    path("suivi/", views.overview, name="overview"),
    path("suivi.csv", views.overview_csv, name="overview_csv"),
    path("depuis-un-appel/", views.group_from_call, name="from_call"),
    path("nouveau/", views.group_add, name="add"),
    path("<slug:slug>/", public_group_page(views.group_detail), name="detail"),
    path("<slug:slug>/espace/", views.group_space, name="space"),
    path("<slug:slug>/modifier/", views.group_edit, name="edit"),
    path("<slug:slug>/charte/", views.charter, name="charter"),
    path("<slug:slug>/membres/ajouter/", views.member_add, name="member_add"),
    path("<slug:slug>/membres/<int:pk>/depart/", views.member_end, name="member_end"),
    path("<slug:slug>/membres/depuis-un-appel/", views.members_from_call, name="members_from_call"),
    path("<slug:slug>/calendrier/", views.calendar_plan, name="calendar"),
    path("<slug:slug>/rencontres/ajouter/", views.meeting_add, name="meeting_add"),
    path("<slug:slug>/rencontres/<int:pk>/", views.meeting_detail, name="meeting"),
    path("<slug:slug>/rencontres/<int:pk>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("<slug:slug>/rencontres/<int:pk>/annuler/", views.meeting_cancel, name="meeting_cancel"),
    path("<slug:slug>/rencontres/<int:pk>/excuse/", views.excuse, name="excuse"),
    path("<slug:slug>/rencontres/<int:pk>/presences/", views.attendance, name="attendance"),
    path("<slug:slug>/rencontres/<int:pk>/compte-rendu/", views.minutes_detail, name="minutes"),
    path(
        "<slug:slug>/rencontres/<int:pk>/compte-rendu/modifier/",
        views.minutes_edit,
        name="minutes_edit",
    ),
    path(
        "<slug:slug>/rencontres/<int:pk>/compte-rendu/partage/",
        views.minutes_publish,
        name="minutes_publish",
    ),
    path(
        "<slug:slug>/rencontres/<int:pk>/compte-rendu/pieces-jointes/",
        views.minutes_attachment,
        name="minutes_attachment",
    ),
    path(
        "<slug:slug>/rencontres/<int:pk>/compte-rendu/versions/",
        views.minutes_revisions,
        name="minutes_revisions",
    ),
    path(
        "<slug:slug>/documents/<int:pk>/",
        views.minutes_attachment_download,
        name="attachment",
    ),
    path("<slug:slug>/productions/nouvelle/", views.production_edit, name="production_add"),
    path("<slug:slug>/productions/<int:pk>/", views.production_edit, name="production_edit"),
    path(
        "<slug:slug>/productions/<int:pk>/publier/",
        views.production_publish,
        name="production_publish",
    ),
    path(
        "<slug:slug>/rencontres-citoyennes/ajouter/",
        views.citizens_meeting_add,
        name="citizens_meeting_add",
    ),
]
