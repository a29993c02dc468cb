"""URLs of the calls app (French paths, under /appels/)."""

from django.urls import path

from terreau.core.pagecache import public_page

from . import views
from . import views_staff as staff

app_name = "calls"
G = "gestion/<slug:slug>/"
urlpatterns = [
    path("", public_page()(views.CallListView.as_view()), name="call_list"),
    path("mes-candidatures/", views.MyApplicationsView.as_view(), name="my_applications"),
    path(
        "candidatures/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"
    ),
    path(
        "candidatures/<int:pk>/retirer/", views.WithdrawView.as_view(), name="application_withdraw"
    ),
    path(
        "candidatures/<int:pk>/fichiers/<int:answer_pk>/",
        views.AnswerFileView.as_view(),
        name="answer_file",
    ),
    path("evaluation/candidature/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("evaluation/candidature/<int:pk>/conflit/", views.ConflictView.as_view(), name="conflict"),
    path("tirages/<int:pk>/", views.DrawVerifyView.as_view(), name="draw_verify"),
    # staff
    path("gestion/", staff.StaffCallListView.as_view(), name="staff_calls"),
    path("gestion/nouvel-appel/", staff.StaffCallCreateView.as_view(), name="staff_call_create"),
    path("gestion/suivi/", staff.StaffFollowUpListView.as_view(), name="staff_follow_up"),
    path("gestion/suivi/aides/<int:pk>/", staff.StaffAidView.as_view(), name="staff_aid"),
    path("gestion/suivi/appui/<int:pk>/", staff.StaffSupportView.as_view(), name="staff_support"),
    path(G, staff.StaffCallView.as_view(), name="staff_call"),
    path(G + "modifier/", staff.StaffCallEditView.as_view(), name="staff_call_edit"),
    path(G + "publier/", staff.StaffCallPublishView.as_view(), name="staff_call_publish"),
    path(
        G + "phases/<int:pk>/activer/",
        staff.StaffPhaseActivateView.as_view(),
        name="staff_phase_activate",
    ),
    path(G + "candidatures/", staff.StaffApplicationListView.as_view(), name="staff_applications"),
    path(
        G + "candidatures/papier/",
        staff.StaffPaperApplicationView.as_view(),
        name="staff_paper_application",
    ),
    path(
        G + "candidatures/<int:pk>/",
        staff.StaffApplicationView.as_view(),
        name="staff_application",
    ),
    path(
        G + "candidatures/<int:pk>/reouvrir/",
        staff.StaffApplicationReopenView.as_view(),
        name="staff_application_reopen",
    ),
    path(
        G + "candidatures/<int:pk>/evaluateur/",
        staff.StaffReviewerAssignView.as_view(),
        name="staff_reviewer_assign",
    ),
    path(
        G + "candidatures/<int:pk>/appui/",
        staff.StaffSupportOpenView.as_view(),
        name="staff_support_open",
    ),
    path(G + "evaluateurs/", staff.StaffReviewAssignmentView.as_view(), name="staff_reviewers"),
    path(G + "selection/", staff.StaffSelectionView.as_view(), name="staff_selection"),
    path(
        G + "selection/<int:pk>/",
        staff.StaffSelectionRunView.as_view(),
        name="staff_selection_run",
    ),
    path(G + "groupes/", staff.StaffGroupsView.as_view(), name="staff_groups"),
    path(G + "groupes/deplacer/", staff.StaffGroupMoveView.as_view(), name="staff_group_move"),
    # the parts of a call's form (question, critere, groupe, phase), after the fixed words
    path(G + "<str:part>/ajouter/", staff.StaffPartFormView.as_view(), name="staff_part_add"),
    path(G + "<str:part>/<int:pk>/", staff.StaffPartFormView.as_view(), name="staff_part_edit"),
    path(
        G + "<str:part>/<int:pk>/supprimer/",
        staff.StaffPartDeleteView.as_view(),
        name="staff_part_delete",
    ),
    # a call's public pages last: their slug would shadow the words above
    path("<slug:slug>/", public_page()(views.CallDetailView.as_view()), name="call_detail"),
    path("<slug:slug>/candidater/", views.ApplyView.as_view(), name="apply"),
    path("<slug:slug>/evaluation/", views.ReviewQueueView.as_view(), name="review_queue"),
]
