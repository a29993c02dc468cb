"""On site and after: check-in, undo, walk-ins, capacity, attendance, hours, certificates,
report-backs and uploaded outputs (services and selectors)."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image
from pypdf import PdfReader

from terreau.directory.models import Organisation
from terreau.events.models import (
    Attendance,
    AttendanceRecord,
    EventFile,
    Half,
    Registration,
    RegistrationStatus,
    SessionKind,
    WorkshopReport,
)
from terreau.events.selectors import onsite as selectors
from terreau.events.services import onsite as services
from tests.events.factories import (
    EventDayFactory,
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    SlotFactory,
)
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db


def past_event(**kwargs):
    """A one-day event (9:00–17:00, lunch 12:30–14:30) that happened a week ago."""
    starts = timezone.now() - dt.timedelta(days=7)
    event = EventFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=8), **kwargs)
    day = EventDayFactory(event=event, starts_at=dt.time(9), ends_at=dt.time(17))
    lunch = SlotFactory(day=day, starts_at=dt.time(12, 30), ends_at=dt.time(14, 30))
    SessionFactory(slot=lunch, kind=SessionKind.MEAL, title="Pause déjeuner")
    return event, day


def organisation(name: str) -> Organisation:
    return Organisation.objects.create(name=name, slug=slugify(name)[:50], kind="public_body")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- check-in ------------------------------------------------------------------------------


def test_checking_in_records_the_half_day_and_marks_the_registration_attended(staff):
    event, day = past_event()
    registration = RegistrationFactory(event=event)
    services.attendance_check_in(registration=registration, day=day, half=Half.MORNING, by=staff)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.attendance == Attendance.ATTENDED
    record = AttendanceRecord.objects.get()
    assert (record.day, record.half, record.recorded_by) == (day, "am", staff)


def test_checking_in_twice_is_idempotent_and_keeps_the_first_time():
    event, day = past_event()
    registration = RegistrationFactory(event=event)
    services.attendance_check_in(registration=registration, day=day, half=Half.MORNING)
    first = Registration.objects.get().checked_in_at
    services.attendance_check_in(registration=registration, day=day, half=Half.MORNING)
    assert AttendanceRecord.objects.count() == 1
    assert Registration.objects.get().checked_in_at == first


def test_undo_removes_the_half_day_and_the_check_in_when_none_is_left():
    event, day = past_event()
    registration = RegistrationFactory(event=event)
    services.attendance_check_in(registration=registration, day=day, half=Half.MORNING)
    services.attendance_check_in(registration=registration, day=day, half=Half.AFTERNOON)
    services.attendance_undo(registration=registration, day=day, half=Half.MORNING)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert list(AttendanceRecord.objects.values_list("half", flat=True)) == ["pm"]
    services.attendance_undo(registration=registration, day=day, half=Half.AFTERNOON)
    services.attendance_undo(registration=registration, day=day, half=Half.AFTERNOON)
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert registration.attendance == Attendance.UNKNOWN
    assert not AttendanceRecord.objects.exists()


def test_a_check_in_never_overwrites_a_concurrent_change_of_the_registration():
    event, day = past_event()
    registration = RegistrationFactory(event=event, employer="Ville de Lille")
    stale = Registration.objects.get(pk=registration.pk)
    # Another member of staff corrects the organisation after this phone loaded the row.
    Registration.objects.filter(pk=registration.pk).update(employer="Département du Nord")
    services.attendance_check_in(registration=stale, day=day, half=Half.MORNING)
    registration.refresh_from_db()
    assert registration.employer == "Département du Nord"
    assert registration.checked_in_at is not None


def test_only_confirmed_registrations_can_be_checked_in():
    event, day = past_event()
    waitlisted = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    with pytest.raises(ValidationError):
        services.attendance_check_in(registration=waitlisted, day=day, half=Half.MORNING)
    assert not AttendanceRecord.objects.exists()


def test_a_half_day_outside_the_event_is_refused():
    event, day = past_event()
    other_day = EventDayFactory()
    registration = RegistrationFactory(event=event)
    with pytest.raises(ValidationError) as error:
        services.attendance_check_in(registration=registration, day=other_day, half="am")
    assert "day" in error.value.message_dict
    afternoon_only = EventDayFactory(
        event=event, date=day.date + dt.timedelta(days=1), starts_at=dt.time(14)
    )
    with pytest.raises(ValidationError) as error:
        services.attendance_check_in(registration=registration, day=afternoon_only, half="am")
    assert "half" in error.value.message_dict


def test_the_check_in_list_searches_names_organisations_and_e_mails():
    event, day = past_event()
    RegistrationFactory(event=event, first_name="Sophie", last_name="Mollet", employer="CALL")
    RegistrationFactory(
        event=event, first_name="Harold", last_name="George", email="hg@centre-social.fr"
    )
    RegistrationFactory(event=event, first_name="Fanny", last_name="Meilhac", employer="Raismes")
    RegistrationFactory(event=event, last_name="Annulée", status=RegistrationStatus.CANCELLED)

    def names(query):
        rows, _total = selectors.checkin_list(event=event, day=day, half="am", query=query)
        return [row.last_name for row in rows]

    assert names("") == ["George", "Meilhac", "Mollet"]
    assert names("mol") == ["Mollet"]
    assert names("raismes") == ["Meilhac"]
    assert names("centre-social") == ["George"]
    assert names("fanny raismes") == ["Meilhac"]
    assert names("personne") == []


def test_counts_are_per_half_day():
    event, day = past_event()
    first, second = RegistrationFactory.create_batch(2, event=event)
    services.attendance_check_in(registration=first, day=day, half="am")
    services.attendance_check_in(registration=first, day=day, half="pm")
    services.attendance_check_in(registration=second, day=day, half="pm")
    morning = selectors.checkin_counts(event=event, day=day, half="am")
    afternoon = selectors.checkin_counts(event=event, day=day, half="pm")
    assert (morning.present, morning.expected) == (1, 2)
    assert (afternoon.present, afternoon.expected) == (2, 2)


# --- walk-ins ------------------------------------------------------------------------------


def walk_in(event, day, **kwargs):
    data = {"first_name": "Rémi", "last_name": "Lefebvre", "email": "R.Lefebvre@univ-lille.fr"}
    return services.registration_create_walk_in(event=event, day=day, half="am", **data | kwargs)


def test_a_walk_in_is_confirmed_and_present_at_once_after_registration_closed(
    django_capture_on_commit_callbacks,
):
    event, day = past_event(requires_approval=True)  # started: the public form is closed
    with django_capture_on_commit_callbacks(execute=True):
        registration = walk_in(event, day, employer="Université de Lille")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.email == "r.lefebvre@univ-lille.fr"
    assert registration.checked_in_at is not None
    assert AttendanceRecord.objects.filter(registration=registration, half="am").exists()
    # They get the confirmation with their personal link (where their certificate will be).
    assert [message.to for message in mail.outbox] == [["r.lefebvre@univ-lille.fr"]]


def test_a_walk_in_respects_the_capacity_unless_staff_override_it():
    event, day = past_event(capacity=2)
    RegistrationFactory.create_batch(2, event=event)
    with pytest.raises(ValidationError) as error:
        walk_in(event, day)
    assert "full" in str(error.value) or "complet" in str(error.value)
    assert "override_capacity" in error.value.message_dict
    assert Registration.objects.count() == 2
    walk_in(event, day, override_capacity=True)
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 3


def test_a_walk_in_already_registered_by_e_mail_is_pointed_to_the_list():
    event, day = past_event()
    RegistrationFactory(event=event, email="r.lefebvre@univ-lille.fr", last_name="Lefebvre")
    with pytest.raises(ValidationError) as error:
        walk_in(event, day)
    assert "email" in error.value.message_dict
    assert Registration.objects.count() == 1


# --- after the event -----------------------------------------------------------------------


def test_closing_attendance_marks_everyone_never_checked_in_as_no_show():
    event, day = past_event()
    came, absent = RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    services.attendance_check_in(registration=came, day=day, half="pm")
    assert services.event_attendance_close(event=event) == {"attended": 1, "no_show": 1}
    came.refresh_from_db()
    absent.refresh_from_db()
    assert came.attendance == Attendance.ATTENDED
    assert absent.attendance == Attendance.NO_SHOW


def test_attendance_cannot_be_closed_before_the_event_starts():
    event = EventFactory()
    RegistrationFactory(event=event)
    with pytest.raises(ValidationError):
        services.event_attendance_close(event=event)
    assert Registration.objects.get().attendance == Attendance.UNKNOWN


def test_hours_attended_come_from_the_records_and_the_days_times():
    event, day = past_event()
    registration = RegistrationFactory(event=event)
    services.attendance_check_in(registration=registration, day=day, half="am")
    assert selectors.registration_attended_minutes(registration=registration) == 210
    services.attendance_check_in(registration=registration, day=day, half="pm")
    assert selectors.registration_attended_minutes(registration=registration) == 360


def test_hours_over_two_days_leave_out_the_welcome_coffee_and_the_evening():
    # Lille, 18–19 November 2014: Tuesday 13:00–23:00 with a welcome coffee until 14:00, work
    # until the closing at 18:15 and the evening from 20:00; Wednesday 9:00–16:00 with lunch.
    starts = timezone.now() - dt.timedelta(days=30)
    event = EventFactory(starts_at=starts, ends_at=starts + dt.timedelta(days=1, hours=8))
    tuesday = EventDayFactory(event=event, starts_at=dt.time(13), ends_at=dt.time(23))
    for start, end, kind in [
        (dt.time(13), dt.time(14), SessionKind.WELCOME),
        (dt.time(14), dt.time(16), SessionKind.PLENARY),
        (dt.time(16, 30), dt.time(18, 15), SessionKind.EXCHANGE_WORKSHOP),
        (dt.time(18, 15), None, SessionKind.CLOSING),
        (dt.time(20), None, SessionKind.EVENING),
    ]:
        SessionFactory(slot=SlotFactory(day=tuesday, starts_at=start, ends_at=end), kind=kind)
    wednesday = EventDayFactory(
        event=event,
        date=tuesday.date + dt.timedelta(days=1),
        starts_at=dt.time(9),
        ends_at=dt.time(16),
    )
    SessionFactory(
        slot=SlotFactory(day=wednesday, starts_at=dt.time(13), ends_at=dt.time(14)),
        kind=SessionKind.MEAL,
    )
    registration = RegistrationFactory(event=event)
    for day, half in [(tuesday, "pm"), (wednesday, "am"), (wednesday, "pm")]:
        services.attendance_check_in(registration=registration, day=day, half=half)
    assert selectors.registration_attended_minutes(registration=registration) == 255 + 360


def test_certificates_are_for_attendees_only():
    event, day = past_event()
    came, absent = RegistrationFactory.create_batch(2, event=event)
    services.attendance_check_in(registration=came, day=day, half="am")
    assert selectors.registration_is_certificate_eligible(registration=came)
    assert not selectors.registration_is_certificate_eligible(registration=absent)
    with pytest.raises(ValidationError):
        services.certificate_render(registration=absent)
    services.registration_mark_no_show(registration=came)
    came.refresh_from_db()
    assert not selectors.registration_is_certificate_eligible(registration=came)


def test_the_certificate_names_the_person_the_event_the_hours_and_the_issuer():
    cnfpt = organisation("Centre national de la fonction publique territoriale (CNFPT)")
    nord = organisation("Département du Nord")
    institut = organisation("Institut de la Concertation")
    event, day = past_event(
        title="Rencontres nationales des professionnels de la démocratie participative",
        has_certificate=True,
        certificate_issuer=cnfpt,
    )
    event.organisers.add(nord)
    event.partners.add(institut, cnfpt)
    registration = RegistrationFactory(
        event=event, first_name="Sophie", last_name="Mollet", employer="Ville de Lille"
    )
    services.attendance_check_in(registration=registration, day=day, half="am")
    services.attendance_check_in(registration=registration, day=day, half="pm")
    text = pdf_text(services.certificate_render(registration=registration))
    assert "Attestation de formation" in text
    assert "Délivrée par : Centre national de la fonction publique territoriale" in text
    assert "Sophie MOLLET" in text
    assert "Rencontres nationales des professionnels" in text
    assert "Département du Nord" in text
    assert "Institut de la Concertation" in text
    assert "6 h" in text


def test_certificates_are_e_mailed_in_bulk_to_attendees_with_the_pdf_attached(
    django_capture_on_commit_callbacks,
):
    event, day = past_event(title="Journée régionale des initiatives citoyennes")
    came = RegistrationFactory(event=event, email="present@example.org")
    RegistrationFactory(event=event, email="absent@example.org")
    services.attendance_check_in(registration=came, day=day, half="pm")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_certificates_send(event=event) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["present@example.org"]
    assert "Journée régionale des initiatives citoyennes" in message.subject
    (filename, content, mimetype) = message.attachments[0]
    assert filename.endswith(".pdf") and mimetype == "application/pdf"
    assert "Attestation de présence" in pdf_text(content)


# --- report-backs and outputs --------------------------------------------------------------


def test_a_report_back_is_published_with_its_recommendations(staff):
    event, day = past_event()
    workshop = SessionFactory(slot=SlotFactory(day=day), kind=SessionKind.EXCHANGE_WORKSHOP)
    report = services.workshop_report_save(
        session=workshop,
        recommendations="- Ouvrir des lieux d'accueil\n- Simplifier les appels à projets",
        notes="",
        is_published=True,
        by=staff,
    )
    assert report.is_published and report.published_at is not None
    outputs = selectors.event_outputs(event=event)
    assert [item.session for item in outputs.reports] == [workshop]


def test_an_empty_report_back_cannot_be_published():
    event, day = past_event()
    workshop = SessionFactory(slot=SlotFactory(day=day), kind=SessionKind.EXCHANGE_WORKSHOP)
    with pytest.raises(ValidationError) as error:
        services.workshop_report_save(
            session=workshop, recommendations=" ", notes="", is_published=True
        )
    assert "recommendations" in error.value.message_dict
    assert not WorkshopReport.objects.filter(is_published=True).exists()


def png_upload(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_photo_needs_a_text_alternative():
    event, _day = past_event()
    with pytest.raises(ValidationError) as error:
        services.event_file_add(event=event, upload=png_upload(), title="Les ateliers")
    assert "alt_text" in error.value.message_dict
    item = services.event_file_add(
        event=event,
        upload=png_upload(),
        title="Les ateliers",
        alt_text="Des participants autour d'une table, post-its au mur",
    )
    assert item.kind == EventFile.Kind.PHOTO
    assert item.file.name.endswith(".png")


def test_uploads_are_checked_by_content_and_size(settings):
    event, _day = past_event()
    fake_pdf = SimpleUploadedFile("notes.pdf", b"<script>alert(1)</script>", "application/pdf")
    with pytest.raises(ValidationError) as error:
        services.event_file_add(event=event, upload=fake_pdf, title="Notes")
    assert "file" in error.value.message_dict
    pdf = SimpleUploadedFile("synthese.pdf", pdf_bytes(), "application/pdf")
    settings.TERREAU_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        services.event_file_add(event=event, upload=pdf, title="Synthèse")
    assert "file" in error.value.message_dict
    settings.TERREAU_UPLOAD_MAX_BYTES = 100_000
    item = services.event_file_add(event=event, upload=pdf, title="Synthèse")
    assert item.kind == EventFile.Kind.DOCUMENT
    renamed = SimpleUploadedFile("photo.pdf", png_upload().read(), "application/pdf")
    with pytest.raises(ValidationError):
        services.event_file_add(event=event, upload=renamed, title="x", alt_text="x")
    assert EventFile.objects.count() == 1


def test_event_outputs_take_pdf_documents_only():
    import zipfile

    event, _day = past_event()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    docx = SimpleUploadedFile("compte-rendu.docx", buffer.getvalue())
    with pytest.raises(ValidationError) as error:
        services.event_file_add(event=event, upload=docx, title="Compte rendu")
    assert "document PDF" in error.value.message_dict["file"][0]
    assert not EventFile.objects.exists()


def test_a_walk_in_is_matched_to_the_directory_by_e_mail_case_aside():
    from tests.events.factories import PersonFactory

    event, day = past_event()
    person = PersonFactory(email="r.lefebvre@UNIV-LILLE.fr")
    assert walk_in(event, day).person == person
