"""On site and after: pages, permissions, PDFs read back, query counts."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from terreau.directory.models import ActorCategory, Person
from terreau.events.models import (
    AttendanceRecord,
    EventFile,
    EventState,
    Registration,
    RegistrationStatus,
    SessionKind,
    SessionSpeaker,
    WorkshopReport,
)
from terreau.events.selectors.registration import registration_signed_token
from terreau.events.services import onsite as services
from tests.events.factories import (
    EventDayFactory,
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    SlotFactory,
    WorkshopReportFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def an_event(days_from_now=0, **kwargs):
    starts = timezone.now() + dt.timedelta(days=days_from_now)
    event = EventFactory(
        starts_at=starts - dt.timedelta(hours=1), ends_at=starts + dt.timedelta(hours=7), **kwargs
    )
    day = EventDayFactory(
        event=event,
        date=timezone.localtime(starts).date(),
        starts_at=dt.time(9),
        ends_at=dt.time(17),
    )
    return event, day


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def url(name, event, *args):
    return reverse(f"events:{name}", args=[event.slug, *args])


# --- permissions ---------------------------------------------------------------------------

STAFF_GET_PAGES = ["onsite", "checkin", "checkin_counts", "walk_in", "badges_pdf"]


@pytest.mark.parametrize("name", STAFF_GET_PAGES)
def test_staff_pages_send_anonymous_visitors_to_log_in(client, name):
    event, _day = an_event()
    response = client.get(url(name, event))
    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]


@pytest.mark.parametrize("name", STAFF_GET_PAGES)
def test_staff_pages_are_forbidden_to_members_and_moderators(client, user, moderator, name):
    event, _day = an_event()
    for account in (user, moderator):
        client.force_login(account)
        assert client.get(url(name, event)).status_code == 403


@pytest.mark.parametrize("name", STAFF_GET_PAGES)
def test_staff_pages_open_for_staff(client, staff, name):
    event, _day = an_event()
    client.force_login(staff)
    assert client.get(url(name, event)).status_code == 200


def test_sign_in_sheets_are_staff_only(client, user, staff):
    event, day = an_event()
    assert client.get(url("sign_in_sheet", event, day.pk)).status_code == 302
    client.force_login(user)
    assert client.get(url("sign_in_sheet", event, day.pk)).status_code == 403
    client.force_login(staff)
    assert client.get(url("sign_in_sheet", event, day.pk)).status_code == 200


def test_a_member_cannot_check_anyone_in(client, user):
    event, day = an_event()
    registration = RegistrationFactory(event=event)
    client.force_login(user)
    response = client.post(
        url("checkin_toggle", event, registration.pk),
        {"day": day.pk, "half": "am", "action": "present"},
    )
    assert response.status_code == 403
    assert not AttendanceRecord.objects.exists()


@pytest.mark.parametrize("name", ["attendance_close", "certificates_send", "event_file_upload"])
def test_after_the_event_actions_are_staff_only(client, user, name):
    event, _day = an_event(days_from_now=-7)
    RegistrationFactory(event=event)
    client.force_login(user)
    assert client.post(url(name, event)).status_code == 403
    assert Registration.objects.get().attendance == "unknown"


# --- check-in ------------------------------------------------------------------------------


def test_the_check_in_page_lists_confirmed_registrants_and_the_count(client, staff):
    event, day = an_event()
    RegistrationFactory(event=event, first_name="Christelle", last_name="Briatte")
    RegistrationFactory(event=event, last_name="Attente", status=RegistrationStatus.WAITLISTED)
    client.force_login(staff)
    response = client.get(url("checkin", event))
    body = response.content.decode()
    assert "BRIATTE Christelle" in body
    assert "ATTENTE" not in body
    assert 'id="checkin-counts"' in body
    assert "<strong data-present>0</strong> / <span data-expected>1</span>" in body
    assert body.count("<h1") == 1


def test_search_as_you_type_returns_the_matching_rows_and_fresh_counts(client, staff):
    event, day = an_event()
    RegistrationFactory(event=event, last_name="Bavay", employer="Communauté d'Agglomération")
    RegistrationFactory(event=event, last_name="George", employer="Centre social La Bourgogne")
    client.force_login(staff)
    response = client.get(
        url("checkin", event),
        {"q": "bourgogne", "day": day.pk, "half": "am"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "GEORGE" in body and "BAVAY" not in body
    assert "<html" not in body
    assert 'hx-swap-oob="true"' in body


def test_one_tap_marks_present_and_a_second_tap_undoes(client, staff):
    event, day = an_event()
    registration = RegistrationFactory(event=event, last_name="Meilhac")
    client.force_login(staff)
    data = {"day": day.pk, "half": "am", "action": "present"}
    response = client.post(
        url("checkin_toggle", event, registration.pk), data, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "is-present" in body
    assert "<strong data-present>1</strong>" in body
    assert AttendanceRecord.objects.filter(registration=registration, half="am").exists()
    # A second phone taps the same person before its list refreshed: still one record.
    client.post(url("checkin_toggle", event, registration.pk), data, HTTP_HX_REQUEST="true")
    assert AttendanceRecord.objects.count() == 1
    response = client.post(
        url("checkin_toggle", event, registration.pk),
        data | {"action": "undo"},
        HTTP_HX_REQUEST="true",
    )
    assert "<strong data-present>0</strong>" in response.content.decode()
    assert not AttendanceRecord.objects.exists()


def test_a_tap_without_javascript_redirects_back_to_the_search(client, staff):
    event, day = an_event()
    registration = RegistrationFactory(event=event)
    client.force_login(staff)
    response = client.post(
        url("checkin_toggle", event, registration.pk),
        {"day": day.pk, "half": "pm", "action": "present", "q": "dup"},
    )
    assert response.status_code == 302
    assert "q=dup" in response["Location"] and "half=pm" in response["Location"]
    assert AttendanceRecord.objects.filter(half="pm").count() == 1


def test_a_row_redrawn_after_a_tap_keeps_the_search_for_its_next_tap(client, staff):
    event, day = an_event()
    registration = RegistrationFactory(event=event, last_name="Dupont")
    client.force_login(staff)
    response = client.post(
        url("checkin_toggle", event, registration.pk),
        {"day": day.pk, "half": "am", "action": "present", "q": "dup"},
        HTTP_HX_REQUEST="true",
    )
    assert '<input type="hidden" name="q" value="dup">' in response.content.decode()


def test_a_registrant_of_another_event_cannot_be_tapped(client, staff):
    event, day = an_event()
    stranger = RegistrationFactory()
    client.force_login(staff)
    response = client.post(
        url("checkin_toggle", event, stranger.pk),
        {"day": day.pk, "half": "am", "action": "present"},
    )
    assert response.status_code == 404


def test_the_check_in_list_runs_a_constant_number_of_queries(
    client, staff, django_assert_max_num_queries
):
    event, day = an_event()
    client.force_login(staff)
    RegistrationFactory(event=event)
    with django_assert_max_num_queries(12) as small:
        client.get(url("checkin", event))
    RegistrationFactory.create_batch(30, event=event)
    for registration in Registration.objects.all()[:10]:
        services.attendance_check_in(registration=registration, day=day, half="am")
    with django_assert_max_num_queries(12) as large:
        client.get(url("checkin", event))
    assert len(small.captured_queries) == len(large.captured_queries)


# --- walk-ins ------------------------------------------------------------------------------


def walk_in_data(day, **extra):
    return {
        "day": day.pk,
        "half": "am",
        "first_name": "Alain",
        "last_name": "Bavay",
        "email": "a.bavay@example.org",
        "employer": "Communauté d'Agglomération Lens-Liévin",
        "actor_category": ActorCategory.ELECTED,
    } | extra


def test_a_walk_in_is_registered_and_present_from_the_phone(client, staff):
    event, day = an_event()
    client.force_login(staff)
    response = client.post(url("walk_in", event), walk_in_data(day))
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.attendance_records.filter(half="am").exists()
    assert "q=Bavay" in response["Location"]


def test_a_full_event_says_so_and_lets_staff_override(client, staff):
    event, day = an_event(capacity=1)
    RegistrationFactory(event=event)
    client.force_login(staff)
    response = client.post(url("walk_in", event), walk_in_data(day))
    assert response.status_code == 400
    assert "complet" in response.content.decode()
    assert Registration.objects.count() == 1
    response = client.post(url("walk_in", event), walk_in_data(day, override_capacity="on"))
    assert response.status_code == 302
    assert Registration.objects.count() == 2


def test_a_walk_in_with_a_bad_e_mail_gets_a_field_error(client, staff):
    event, day = an_event()
    client.force_login(staff)
    response = client.post(url("walk_in", event), walk_in_data(day, email="pas-une-adresse"))
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Registration.objects.exists()


# --- PDFs ----------------------------------------------------------------------------------


def test_badges_show_name_organisation_event_and_category(client, staff):
    event, _day = an_event(title="Journée régionale des initiatives citoyennes")
    RegistrationFactory(
        event=event,
        first_name="Harold",
        last_name="George",
        employer="Centre social La Bourgogne",
        actor_category=ActorCategory.ASSOCIATION_STAFF,
    )
    RegistrationFactory.create_batch(8, event=event)
    client.force_login(staff)
    response = client.get(url("badges_pdf", event))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2  # nine badges, eight to a sheet
    text = pdf_text(response.content)
    assert "GEORGE" in text and "Harold" in text
    assert "Centre social La Bourgogne" in text
    assert "Journée régionale des initiatives citoyennes" in text
    # The colour band names the category (in capitals), so colour is not the only cue.
    assert str(ActorCategory.ASSOCIATION_STAFF.label).upper() in text


def test_the_sign_in_sheet_is_sorted_by_last_name_with_a_header_and_page_numbers(client, staff):
    event, day = an_event(title="Rencontres nationales")
    for last_name in ["Mollet", "Briatte", "Élie", "George"]:
        RegistrationFactory(event=event, last_name=last_name)
    RegistrationFactory(event=event, last_name="Aaron", status=RegistrationStatus.CANCELLED)
    client.force_login(staff)
    text = pdf_text(client.get(url("sign_in_sheet_half", event, day.pk, "am")).content)
    assert "Feuille d'émargement" in text or "Feuille d’émargement" in text
    assert "Rencontres nationales" in text
    assert "Signature" in text
    order = [text.index(name) for name in ["BRIATTE", "ÉLIE", "GEORGE", "MOLLET"]]
    assert order == sorted(order)
    assert "AARON" not in text
    assert "1 / 1" in text
    assert "matin" in text


def test_a_full_day_sheet_has_a_signature_column_per_half_day(client, staff):
    event, day = an_event()
    RegistrationFactory(event=event)
    client.force_login(staff)
    text = pdf_text(client.get(url("sign_in_sheet", event, day.pk)).content)
    assert "matin" in text and "après-midi" in text


def test_a_long_sign_in_sheet_numbers_its_pages(client, staff):
    event, day = an_event()
    RegistrationFactory.create_batch(40, event=event)
    client.force_login(staff)
    content = client.get(url("sign_in_sheet", event, day.pk)).content
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) >= 2
    assert f"2 / {len(pages)}" in pages[1].extract_text()


def test_a_sheet_for_a_day_of_another_event_is_not_found(client, staff):
    event, _day = an_event()
    _other, other_day = an_event()
    client.force_login(staff)
    assert client.get(url("sign_in_sheet", event, other_day.pk)).status_code == 404
    assert client.get(url("sign_in_sheet_half", event, _day.pk, "soir")).status_code == 404


# --- certificates --------------------------------------------------------------------------


def test_a_participant_downloads_their_own_certificate_through_their_link(client):
    event, day = an_event(days_from_now=-7, has_certificate=True)
    registration = RegistrationFactory(event=event, first_name="Fanny", last_name="Meilhac")
    manage = reverse("events:registration_manage", args=[registration_signed_token(registration)])
    assert (
        url("certificate", event, "x").rsplit("/", 2)[0] not in client.get(manage).content.decode()
    )
    services.attendance_check_in(registration=registration, day=day, half="am")
    # Their registration's page offers the certificate once they were recorded present.
    assert url("certificate", event, registration_signed_token(registration)) in (
        client.get(manage).content.decode()
    )
    response = client.get(url("certificate", event, registration_signed_token(registration)))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Fanny MEILHAC" in pdf_text(response.content)


def test_a_tampered_or_foreign_link_gets_no_certificate(client):
    event, day = an_event(days_from_now=-7)
    registration = RegistrationFactory(event=event)
    services.attendance_check_in(registration=registration, day=day, half="am")
    signed = registration_signed_token(registration)
    assert client.get(url("certificate", event, signed[:-2] + "xx")).status_code == 404
    assert client.get(url("certificate", event, registration.token)).status_code == 404
    other_event, _day = an_event(days_from_now=-7)
    assert client.get(url("certificate", other_event, signed)).status_code == 404


def test_someone_who_did_not_attend_is_told_why_there_is_no_certificate(client):
    event, _day = an_event(days_from_now=-7)
    registration = RegistrationFactory(event=event)
    response = client.get(url("certificate", event, registration_signed_token(registration)))
    assert response.status_code == 403
    assert "présent" in response.content.decode()


def test_staff_e_mail_every_certificate_from_the_dashboard(
    client, staff, django_capture_on_commit_callbacks
):
    event, day = an_event(days_from_now=-7)
    registrations = RegistrationFactory.create_batch(3, event=event)
    for registration in registrations[:2]:
        services.attendance_check_in(registration=registration, day=day, half="pm")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("certificates_send", event))
    assert response.status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        r.email for r in registrations[:2]
    )
    assert all(message.attachments for message in mail.outbox)


def test_staff_close_the_attendance_after_the_event(client, staff):
    event, day = an_event(days_from_now=-7)
    came, absent = RegistrationFactory.create_batch(2, event=event)
    services.attendance_check_in(registration=came, day=day, half="am")
    client.force_login(staff)
    client.post(url("attendance_close", event))
    assert Registration.objects.get(pk=absent.pk).attendance == "no_show"
    assert Registration.objects.get(pk=came.pk).attendance == "attended"


# --- report-backs and archive --------------------------------------------------------------


def a_workshop(event, day):
    return SessionFactory(
        slot=SlotFactory(day=day, round_number=1),
        kind=SessionKind.EXCHANGE_WORKSHOP,
        title="L'émergence : quels espaces d'accueil ?",
    )


def test_a_facilitator_writes_the_report_back_of_their_workshop(client):
    event, day = an_event(days_from_now=-7)
    workshop = a_workshop(event, day)
    account = UserFactory()
    person = Person.objects.create(first_name="Sophie", last_name="Mollet", slug="sm", user=account)
    SessionSpeaker.objects.create(
        session=workshop, person=person, role=SessionSpeaker.Role.FACILITATOR
    )
    client.force_login(account)
    response = client.post(
        url("workshop_report", event, workshop.pk),
        {"recommendations": "- Créer des lieux d'accueil", "notes": "", "is_published": "on"},
    )
    assert response.status_code == 302
    assert WorkshopReport.objects.get(session=workshop).is_published


def test_other_members_cannot_write_a_report_back(client, user):
    event, day = an_event(days_from_now=-7)
    workshop = a_workshop(event, day)
    client.force_login(user)
    assert client.get(url("workshop_report", event, workshop.pk)).status_code == 403
    response = client.post(
        url("workshop_report", event, workshop.pk), {"recommendations": "x", "is_published": "on"}
    )
    assert response.status_code == 403
    assert not WorkshopReport.objects.exists()


def test_anonymous_visitors_read_published_report_backs_sanitised(client):
    event, day = an_event(days_from_now=-7)
    WorkshopReportFactory(
        session=a_workshop(event, day),
        recommendations="- Simplifier les appels à projets\n\n<script>alert(1)</script>",
    )
    draft = SessionFactory(slot=SlotFactory(day=day), kind=SessionKind.SPOTLIGHT, title="Brouillon")
    WorkshopReportFactory(session=draft, recommendations="Pas encore", is_published=False)
    body = client.get(url("archive", event)).content.decode()
    assert "Simplifier les appels à projets" in body
    assert "<script>alert(1)" not in body
    assert "Pas encore" not in body


def test_drafts_events_have_no_public_archive(client):
    event, _day = an_event(state=EventState.DRAFT)
    assert client.get(url("archive", event)).status_code == 404


def test_staff_upload_a_photo_with_its_text_alternative_shown_on_the_archive(client, staff):
    event, _day = an_event(days_from_now=-7)
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buffer, "JPEG")
    client.force_login(staff)
    response = client.post(
        url("event_file_upload", event),
        {
            "file": SimpleUploadedFile("salle.jpg", buffer.getvalue(), "image/jpeg"),
            "title": "La plénière",
            "alt_text": "Une salle comble écoute la table ronde",
        },
    )
    assert response.status_code == 302
    assert EventFile.objects.get().kind == EventFile.Kind.PHOTO
    body = client.get(url("archive", event)).content.decode()
    assert 'alt="Une salle comble écoute la table ronde"' in body


def test_an_upload_of_the_wrong_type_is_refused_with_a_message(client, staff):
    event, _day = an_event(days_from_now=-7)
    client.force_login(staff)
    response = client.post(
        url("event_file_upload", event),
        {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00", "application/pdf"), "title": "x"},
        follow=True,
    )
    assert "PDF" in response.content.decode()
    assert not EventFile.objects.exists()


def test_the_archive_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    event, day = an_event(days_from_now=-7)
    WorkshopReportFactory(session=a_workshop(event, day))
    with django_assert_max_num_queries(10) as small:
        client.get(url("archive", event))
    for _ in range(3):
        WorkshopReportFactory(session=a_workshop(event, day))
    with django_assert_max_num_queries(10) as large:
        client.get(url("archive", event))
    assert len(small.captured_queries) == len(large.captured_queries)


def test_a_reporter_finds_their_workshop_on_the_report_back_page(client, user):
    event, day = an_event(days_from_now=-7)
    mine, other = a_workshop(event, day), a_workshop(event, day)
    other.title = "Un autre atelier"
    other.save()
    person = Person.objects.create(first_name="Rémi", last_name="Lefebvre", slug="rl", user=user)
    SessionSpeaker.objects.create(session=mine, person=person, role=SessionSpeaker.Role.REPORTER)
    client.force_login(user)
    body = client.get(url("archive", event)).content.decode()
    assert url("workshop_report", event, mine.pk) in body
    assert url("workshop_report", event, other.pk) not in body


def test_the_half_day_menu_switches_the_list_to_another_half_day(client, staff):
    event, day = an_event()
    second = EventDayFactory(event=event, date=day.date + dt.timedelta(days=1))
    registration = RegistrationFactory(event=event)
    services.attendance_check_in(registration=registration, day=second, half="pm")
    client.force_login(staff)
    body = client.get(url("checkin", event), {"half_day": f"{second.pk}-pm"}).content.decode()
    assert f'value="{second.pk}-pm" selected' in body
    assert "<strong data-present>1</strong>" in body
    body = client.get(url("checkin", event), {"half_day": f"{day.pk}-am"}).content.decode()
    assert "<strong data-present>0</strong>" in body
    # Nonsense falls back to the current half-day instead of failing.
    assert client.get(url("checkin", event), {"half_day": "x-y", "day": "z"}).status_code == 200


def test_the_event_page_becomes_its_archive_with_the_report_backs(client, staff):
    event, day = an_event(days_from_now=-7)
    WorkshopReportFactory(
        session=a_workshop(event, day), recommendations="- Former les agents à l'accueil"
    )
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Former les agents à l&#x27;accueil" in body or "Former les agents à l'accueil" in body
    assert url("onsite", event) not in body
    client.force_login(staff)
    assert url("onsite", event) in client.get(event.get_absolute_url()).content.decode()
