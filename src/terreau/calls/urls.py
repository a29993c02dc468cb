"""URLs of the calls app (French paths, under /appels/)."""

from django.urls import path

from . import views, views_staff

app_name = "calls"
urlpatterns = [
    path("", views.CallListView.as_view(), name="call_list"),
    path("mes-candidatures/", views.MyApplicationsView.as_view(), name="my_applications"),
    path(
        "candidatures/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"
    ),
    path(
        "candidatures/<int:pk>/retirer/", views.WithdrawView.as_view(), name="application_withdraw"
    ),
    path("evaluation/candidature/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("evaluation/candidature/<int:pk>/conflit/", views.ConflictView.as_view(), name="conflict"),
    path("tirages/<int:pk>/", views.DrawVerifyView.as_view(), name="draw_verify"),
    # staff
    path("gestion/", views_staff.StaffCallListView.as_view(), name="staff_calls"),
    path(
        "gestion/nouvel-appel/", views_staff.StaffCallCreateView.as_view(), name="staff_call_create"
    ),
    path("gestion/suivi/", views_staff.StaffFollowUpListView.as_view(), name="staff_follow_up"),
    path("gestion/suivi/aides/<int:pk>/", views_staff.StaffAidView.as_view(), name="staff_aid"),
    path(
        "gestion/suivi/appui/<int:pk>/",
        views_staff.StaffSupportView.as_view(),
        name="staff_support",
    ),
    path("gestion/<slug:slug>/", views_staff.StaffCallView.as_view(), name="staff_call"),
    path(
        "gestion/<slug:slug>/modifier/",
        views_staff.StaffCallEditView.as_view(),
        name="staff_call_edit",
    ),
    path(
        "gestion/<slug:slug>/publier/",
        views_staff.StaffCallPublishView.as_view(),
        name="staff_call_publish",
    ),
    path(
        "gestion/<slug:slug>/<str:part>/ajouter/",
        views_staff.StaffPartFormView.as_view(),
        name="staff_part_add",
    ),
    path(
        "gestion/<slug:slug>/<str:part>/<int:pk>/",
        views_staff.StaffPartFormView.as_view(),
        name="staff_part_edit",
    ),
    path(
        "gestion/<slug:slug>/<str:part>/<int:pk>/supprimer/",
        views_staff.StaffPartDeleteView.as_view(),
        name="staff_part_delete",
    ),
    path(
        "gestion/<slug:slug>/phases/<int:pk>/activer/",
        views_staff.StaffPhaseActivateView.as_view(),
        name="staff_phase_activate",
    ),
    path(
        "gestion/<slug:slug>/candidatures/",
        views_staff.StaffApplicationListView.as_view(),
        name="staff_applications",
    ),
    path(
        "gestion/<slug:slug>/candidatures/papier/",
        views_staff.StaffPaperApplicationView.as_view(),
        name="staff_paper_application",
    ),
    path(
        "gestion/<slug:slug>/candidatures/<int:pk>/",
        views_staff.StaffApplicationView.as_view(),
        name="staff_application",
    ),
    path(
        "gestion/<slug:slug>/candidatures/<int:pk>/reouvrir/",
        views_staff.StaffApplicationReopenView.as_view(),
        name="staff_application_reopen",
    ),
    path(
        "gestion/<slug:slug>/candidatures/<int:pk>/evaluateur/",
        views_staff.StaffReviewerAssignView.as_view(),
        name="staff_reviewer_assign",
    ),
    path(
        "gestion/<slug:slug>/evaluateurs/",
        views_staff.StaffReviewAssignmentView.as_view(),
        name="staff_reviewers",
    ),
    path(
        "gestion/<slug:slug>/selection/",
        views_staff.StaffSelectionView.as_view(),
        name="staff_selection",
    ),
    path(
        "gestion/<slug:slug>/selection/<int:pk>/",
        views_staff.StaffSelectionRunView.as_view(),
        name="staff_selection_run",
    ),
    path(
        "gestion/<slug:slug>/groupes/", views_staff.StaffGroupsView.as_view(), name="staff_groups"
    ),
    path(
        "gestion/<slug:slug>/groupes/deplacer/",
        views_staff.StaffGroupMoveView.as_view(),
        name="staff_group_move",
    ),
    # a call's public pages last: their slug would shadow the words above
    path("<slug:slug>/", views.CallDetailView.as_view(), name="call_detail"),
    path("<slug:slug>/candidater/", views.ApplyView.as_view(), name="apply"),
    path("<slug:slug>/evaluation/", views.ReviewQueueView.as_view(), name="review_queue"),
]
