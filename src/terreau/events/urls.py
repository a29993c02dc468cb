"""URLs of the events app (French paths), grouped by area.

The event page `<slug>/` catches any single path segment: put fixed one-segment paths before it.
"""

from django.urls import path

from terreau.core.pagecache import public_page
from terreau.core.versions import REGISTRATIONS, SITE

from .selectors.agenda import agenda_next_change
from .views import (
    agenda,
    assignment,
    onsite,
    programme,
    registration,
    registration_link,
    staff_programme,
)

# Public pages kept for anonymous visitors (core.pagecache); the event's pages show its
# registrations (places left, who takes part), so they also follow their version.
agenda_page = public_page(expires=agenda_next_change)
event_page = public_page(scopes=(SITE, REGISTRATIONS))
# The blank registration form (seats left, full workshops), each visitor with their own token.
registration_form_page = public_page(scopes=(SITE, REGISTRATIONS), form=True)

app_name = "events"
urlpatterns = [
    # programme, agenda, staff area
    path("", agenda_page(agenda.AgendaView.as_view()), name="agenda"),
    path(
        "mes-inscriptions/",
        registration_link.MyRegistrationsView.as_view(),
        name="my_registrations",
    ),
    path("mois/", agenda_page(agenda.AgendaMonthView.as_view()), name="month"),
    path(
        "mois/<int:year>/<int:month>/", agenda_page(agenda.AgendaMonthView.as_view()), name="month"
    ),
    path("carte/", agenda_page(agenda.AgendaMapView.as_view()), name="map"),
    path("agenda.ics", agenda.AgendaFeedView.as_view(), name="feed"),
    path("gestion/", staff_programme.StaffEventListView.as_view(), name="staff_events"),
    path("gestion/nouveau/", staff_programme.StaffEventCreateView.as_view(), name="staff_create"),
    path(
        "gestion/lieux/nouveau/", staff_programme.StaffVenueFormView.as_view(), name="venue_create"
    ),
    path(
        "gestion/lieux/<int:pk>/", staff_programme.StaffVenueFormView.as_view(), name="venue_edit"
    ),
    path("gestion/<slug:slug>/", staff_programme.StaffEventView.as_view(), name="staff_event"),
    path(
        "gestion/<slug:slug>/modifier/",
        staff_programme.StaffEventUpdateView.as_view(),
        name="staff_edit",
    ),
    path(
        "gestion/<slug:slug>/publier/",
        staff_programme.StaffEventPublishView.as_view(),
        name="staff_publish",
    ),
    path(
        "gestion/<slug:slug>/annuler/",
        staff_programme.StaffEventCancelView.as_view(),
        name="staff_cancel",
    ),
    path(
        "gestion/<slug:slug>/dupliquer/",
        staff_programme.StaffEventDuplicateView.as_view(),
        name="staff_duplicate",
    ),
    path(
        "gestion/<slug:slug>/programme/<str:part>/ajouter/",
        staff_programme.StaffEventPartFormView.as_view(),
        name="staff_part_add",
    ),
    path(
        "gestion/<slug:slug>/programme/<str:part>/<int:pk>/",
        staff_programme.StaffEventPartFormView.as_view(),
        name="staff_part_edit",
    ),
    path(
        "gestion/<slug:slug>/programme/<str:part>/<int:pk>/supprimer/",
        staff_programme.StaffEventPartDeleteView.as_view(),
        name="staff_part_delete",
    ),
    path("<slug:slug>/", event_page(programme.EventDetailView.as_view()), name="detail"),
    path(
        "<slug:slug>/programme/",
        public_page()(programme.EventProgrammeView.as_view()),
        name="programme",
    ),
    path(
        "<slug:slug>/sessions/<int:pk>/",
        public_page()(programme.SessionDetailView.as_view()),
        name="session",
    ),
    path("<slug:slug>/programme.ics", programme.EventCalendarView.as_view(), name="event_ics"),
    path("<slug:slug>/programme.pdf", programme.ProgrammePdfView.as_view(), name="programme_pdf"),
    path(
        "<slug:slug>/sessions/<int:pk>.ics",
        programme.SessionCalendarView.as_view(),
        name="session_ics",
    ),
    # on site and after
    path("<slug:slug>/sur-place/", onsite.onsite_dashboard, name="onsite"),
    path("<slug:slug>/accueil/", onsite.checkin, name="checkin"),
    path("<slug:slug>/accueil/compteur/", onsite.checkin_counts, name="checkin_counts"),
    path("<slug:slug>/accueil/code/", onsite.checkin_scan, name="checkin_scan"),
    path("<slug:slug>/accueil/<int:pk>/", onsite.checkin_toggle, name="checkin_toggle"),
    path("<slug:slug>/accueil/sur-place/", onsite.walk_in, name="walk_in"),
    path("<slug:slug>/badges.pdf", onsite.badges_pdf, name="badges_pdf"),
    path("<slug:slug>/emargement/<int:day>/", onsite.sign_in_sheet_pdf, name="sign_in_sheet"),
    path(
        "<slug:slug>/emargement/<int:day>/<str:half>/",
        onsite.sign_in_sheet_pdf,
        name="sign_in_sheet_half",
    ),
    path("<slug:slug>/documents/<int:pk>/", onsite.document_status, name="document"),
    path(
        "<slug:slug>/documents/<int:pk>/telecharger/",
        onsite.document_download,
        name="document_download",
    ),
    path("<slug:slug>/presences/cloture/", onsite.attendance_close, name="attendance_close"),
    path("<slug:slug>/attestations/envoi/", onsite.certificates_send, name="certificates_send"),
    path(
        "<slug:slug>/attestation/<str:signed_token>/",
        onsite.certificate_download,
        name="certificate",
    ),
    path(
        "<slug:slug>/ateliers/<int:pk>/restitution/",
        onsite.workshop_report,
        name="workshop_report",
    ),
    path(
        "<slug:slug>/ateliers/<int:pk>/fichiers/",
        onsite.event_file_upload,
        name="workshop_file_upload",
    ),
    path("<slug:slug>/fichiers/", onsite.event_file_upload, name="event_file_upload"),
    path(
        "<slug:slug>/fichiers/<int:pk>/suppression/",
        onsite.event_file_delete,
        name="event_file_delete",
    ),
    path("<slug:slug>/restitution/", onsite.event_archive, name="archive"),
    # workshop assignment
    path(
        "gestion/<slug:slug>/ateliers/",
        assignment.AssignmentDashboardView.as_view(),
        name="assignment",
    ),
    path(
        "gestion/<slug:slug>/ateliers/lancer/",
        assignment.AssignmentRunView.as_view(),
        name="assignment_run",
    ),
    path(
        "gestion/<slug:slug>/ateliers/completer/",
        assignment.AssignmentFillView.as_view(),
        name="assignment_fill",
    ),
    path(
        "gestion/<slug:slug>/ateliers/envoyer/",
        assignment.AssignmentNotifyView.as_view(),
        name="assignment_notify",
    ),
    path(
        "gestion/<slug:slug>/ateliers/atelier/<int:pk>/",
        assignment.AssignmentWorkshopView.as_view(),
        name="assignment_workshop",
    ),
    path(
        "gestion/<slug:slug>/ateliers/participant/<int:pk>/",
        assignment.AssignmentPersonView.as_view(),
        name="assignment_person",
    ),
    path(
        "gestion/<slug:slug>/ateliers/participant/<int:pk>/desepingler/<int:slot>/",
        assignment.AssignmentUnpinView.as_view(),
        name="assignment_unpin",
    ),
    # registration
    path(
        "mon-inscription/<str:signed_token>/",
        registration.RegistrationManageView.as_view(),
        name="registration_manage",
    ),
    path(
        "mon-inscription/<str:signed_token>/modifier/",
        registration.RegistrationChangeView.as_view(),
        name="registration_change",
    ),
    path(
        "mon-inscription/<str:signed_token>/annuler/",
        registration.RegistrationCancelView.as_view(),
        name="registration_cancel",
    ),
    path(
        "mon-inscription/<str:signed_token>/programme.ics",
        registration.RegistrationIcsView.as_view(),
        name="registration_ics",
    ),
    path(
        "mon-inscription/<str:signed_token>/questionnaire/",
        registration.SurveyAnswerView.as_view(),
        name="registration_survey",
    ),
    path(
        "<slug:slug>/inscription/",
        registration_form_page(registration.RegistrationCreateView.as_view()),
        name="register",
    ),
    path(
        "<slug:slug>/inscription/mon-lien/",
        registration_link.RegistrationLinkResendView.as_view(),
        name="registration_link",
    ),
    path(
        "<slug:slug>/participants/",
        registration.ParticipantListView.as_view(),
        name="participant_list",
    ),
    path(
        "gestion/<slug:slug>/inscriptions/",
        registration.RegistrationTableView.as_view(),
        name="registration_table",
    ),
    path(
        "gestion/<slug:slug>/inscriptions/export.csv",
        registration.RegistrationExportView.as_view(),
        name="registration_export",
    ),
    path(
        "gestion/<slug:slug>/inscriptions/selection/",
        registration.RegistrationBulkView.as_view(),
        name="registration_bulk",
    ),
    path(
        "gestion/<slug:slug>/inscriptions/courriel/",
        registration.RegistrationSegmentEmailView.as_view(),
        name="registration_email",
    ),
    path(
        "gestion/<slug:slug>/inscriptions/<int:pk>/",
        registration.RegistrationStaffDetailView.as_view(),
        name="registration_staff_detail",
    ),
    path(
        "gestion/<slug:slug>/questions/",
        registration.QuestionListView.as_view(),
        name="question_list",
    ),
    path(
        "gestion/<slug:slug>/questions/<int:pk>/",
        registration.QuestionEditView.as_view(),
        name="question_edit",
    ),
    path(
        "gestion/<slug:slug>/questionnaire/",
        registration.SurveyResultsView.as_view(),
        name="survey_results",
    ),
]
