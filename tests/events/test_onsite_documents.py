"""Large printed documents (badges, sign-in sheets) prepared in the background: the request,
the task that draws the file, the state page and who may download it."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from terreau.events.documents import onsite as documents
from terreau.events.models import EventDocument
from terreau.events.services import onsite as services
from terreau.events.tasks import build_event_document
from tests.events.factories import EventDayFactory, EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_threshold(monkeypatch):
    """Three registrants make a "large" event here, so tests stay fast."""
    monkeypatch.setattr(documents, "SYNCHRONOUS_MAX_REGISTRANTS", 2)


def large_event(**kwargs):
    starts = timezone.now()
    event = EventFactory(
        starts_at=starts - dt.timedelta(hours=1), ends_at=starts + dt.timedelta(hours=7), **kwargs
    )
    day = EventDayFactory(
        event=event,
        date=timezone.localtime(starts).date(),
        starts_at=dt.time(9),
        ends_at=dt.time(17),
    )
    RegistrationFactory(event=event, first_name="Harold", last_name="George")
    RegistrationFactory(event=event, first_name="Fanny", last_name="Meilhac")
    RegistrationFactory(event=event, first_name="Léon", last_name="Élie")
    return event, day


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def url(name, event, *args):
    return reverse(f"events:{name}", args=[event.slug, *args])


def ready_badges(event, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.event_document_request(
            event=event, kind=EventDocument.Kind.BADGES, by=staff
        )
    document.refresh_from_db()
    return document


# --- asking for a document ---------------------------------------------------------------


def test_a_large_event_offers_to_prepare_its_badges_instead_of_drawing_them(client, staff):
    event, _day = large_event()
    client.force_login(staff)
    response = client.get(url("badges_pdf", event))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Préparer le PDF" in page
    assert "3 personnes inscrites et confirmées" in page
    assert not EventDocument.objects.exists()


def test_a_small_event_still_gets_its_badges_at_once(client, staff, monkeypatch):
    monkeypatch.setattr(documents, "SYNCHRONOUS_MAX_REGISTRANTS", 3)
    event, _day = large_event()
    client.force_login(staff)
    response = client.get(url("badges_pdf", event))
    assert response["Content-Type"] == "application/pdf"
    assert "GEORGE" in pdf_text(response.content)


def test_preparing_the_badges_runs_the_task_and_leads_to_the_document_page(
    client, staff, django_capture_on_commit_callbacks
):
    event, _day = large_event(title="Rencontres nationales")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("badges_pdf", event))
    document = EventDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("document", event, document.pk)
    assert document.state == EventDocument.State.READY
    assert document.requested_by == staff
    assert document.filename == f"badges-{event.slug}.pdf"
    with document.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "GEORGE" in text and "MEILHAC" in text and "ÉLIE" in text
    assert "Rencontres nationales" in text


def test_the_task_draws_a_half_day_sign_in_sheet_into_a_stored_file(staff):
    event, day = large_event()
    document = EventDocument.objects.create(
        event=event, kind=EventDocument.Kind.SIGN_IN_SHEET, day=day, half="am", requested_by=staff
    )
    build_event_document.enqueue(document.pk)
    document.refresh_from_db()
    assert document.state == EventDocument.State.READY
    assert document.finished_at is not None
    assert document.filename == f"emargement-{event.slug}-{day.date}-am.pdf"
    assert document.file.name.startswith("events/documents/")
    assert event.slug not in document.file.name  # an unguessable name
    with document.file.open("rb") as handle:
        text = pdf_text(handle.read())
    order = [text.index(name) for name in ["ÉLIE", "GEORGE", "MEILHAC"]]
    assert order == sorted(order)
    assert "matin" in text and "après-midi" not in text
    assert re.search(r"\(9h00–\s*13h00\)", text)  # times as the programme prints them


def test_asking_twice_while_it_is_drawn_queues_it_once(staff):
    event, _day = large_event()
    first = services.event_document_request(event=event, kind=EventDocument.Kind.BADGES, by=staff)
    second = services.event_document_request(event=event, kind=EventDocument.Kind.BADGES, by=staff)
    assert first == second
    assert EventDocument.objects.count() == 1


def test_a_request_lost_long_ago_does_not_block_a_new_one(staff):
    event, _day = large_event()
    lost = services.event_document_request(event=event, kind=EventDocument.Kind.BADGES, by=staff)
    EventDocument.objects.filter(pk=lost.pk).update(
        requested_at=timezone.now() - services.DOCUMENT_PENDING_TIMEOUT - dt.timedelta(minutes=1)
    )
    fresh = services.event_document_request(event=event, kind=EventDocument.Kind.BADGES, by=staff)
    assert fresh != lost


def test_a_new_copy_replaces_the_older_one_and_its_file(staff, django_capture_on_commit_callbacks):
    event, _day = large_event()
    old = ready_badges(event, staff, django_capture_on_commit_callbacks)
    storage, old_name = old.file.storage, old.file.name
    assert storage.exists(old_name)
    RegistrationFactory(event=event, first_name="Anne", last_name="Nouvelle")
    new = ready_badges(event, staff, django_capture_on_commit_callbacks)
    assert list(EventDocument.objects.all()) == [new]
    assert not storage.exists(old_name)
    with new.file.open("rb") as handle:
        assert "NOUVELLE" in pdf_text(handle.read())


def test_a_drawing_that_fails_leaves_the_request_failed(staff, monkeypatch):
    event, _day = large_event()

    def broken(**kwargs):
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr(documents, "event_document_render", broken)
    document = services.event_document_request(event=event, kind=EventDocument.Kind.BADGES)
    build_event_document.enqueue(document.pk)
    document.refresh_from_db()
    assert document.state == EventDocument.State.FAILED
    assert not document.file


def test_a_sign_in_sheet_needs_a_day_of_its_event(staff):
    event, _day = large_event()
    _other, other_day = large_event()
    with pytest.raises(ValidationError):
        services.event_document_request(
            event=event, kind=EventDocument.Kind.SIGN_IN_SHEET, day=other_day
        )
    with pytest.raises(ValidationError):
        services.event_document_request(event=event, kind=EventDocument.Kind.SIGN_IN_SHEET)
    assert not EventDocument.objects.exists()


def test_members_cannot_ask_for_a_document(client, user):
    event, day = large_event()
    client.force_login(user)
    assert client.post(url("badges_pdf", event)).status_code == 403
    assert client.post(url("sign_in_sheet", event, day.pk)).status_code == 403
    assert not EventDocument.objects.exists()


# --- the state page ------------------------------------------------------------------------


def test_the_state_page_polls_while_the_document_is_drawn(client, staff):
    event, _day = large_event()
    document = services.event_document_request(event=event, kind=EventDocument.Kind.BADGES)
    client.force_login(staff)
    page = client.get(url("document", event, document.pk)).content.decode()
    assert "en cours de préparation" in page
    assert 'hx-trigger="every 2s"' in page
    # Without JavaScript, a plain link asks again.
    assert f'href="{url("document", event, document.pk)}"' in page
    assert url("document_download", event, document.pk) not in page
    fragment = client.get(url("document", event, document.pk), HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith('<div id="document-state"')
    assert "<html" not in fragment.content.decode()


def test_the_state_page_links_to_the_file_once_it_is_ready(
    client, staff, django_capture_on_commit_callbacks
):
    event, _day = large_event()
    document = ready_badges(event, staff, django_capture_on_commit_callbacks)
    client.force_login(staff)
    fragment = client.get(url("document", event, document.pk), HTTP_HX_REQUEST="true")
    assert url("document_download", event, document.pk) in fragment.content.decode()
    assert "hx-trigger" not in fragment.content.decode()  # polling stops
    # The badges' page shows the last copy too, with a way to draw it again.
    page = client.get(url("badges_pdf", event)).content.decode()
    assert url("document_download", event, document.pk) in page
    assert "Préparer de nouveau le PDF" in page


def test_the_state_page_says_when_the_drawing_failed(client, staff):
    event, _day = large_event()
    document = EventDocument.objects.create(
        event=event, kind=EventDocument.Kind.BADGES, state=EventDocument.State.FAILED
    )
    client.force_login(staff)
    page = client.get(url("document", event, document.pk)).content.decode()
    assert "pas pu être préparé" in page
    assert url("badges_pdf", event) in page


# --- downloading ---------------------------------------------------------------------------


def test_staff_download_the_prepared_pdf(client, staff, django_capture_on_commit_callbacks):
    event, _day = large_event()
    document = ready_badges(event, staff, django_capture_on_commit_callbacks)
    client.force_login(staff)
    response = client.get(url("document_download", event, document.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="badges-{event.slug}.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert "GEORGE" in pdf_text(b"".join(response.streaming_content))


def test_only_staff_see_or_download_a_prepared_document(
    client, user, moderator, staff, django_capture_on_commit_callbacks
):
    event, _day = large_event()
    document = ready_badges(event, staff, django_capture_on_commit_callbacks)
    for name in ("document", "document_download"):
        client.logout()
        response = client.get(url(name, event, document.pk))
        assert response.status_code == 302
        assert "/comptes/login/" in response["Location"]
        for account in (user, moderator):
            client.force_login(account)
            assert client.get(url(name, event, document.pk)).status_code == 403


def test_a_document_is_not_found_under_another_event(
    client, staff, django_capture_on_commit_callbacks
):
    event, _day = large_event()
    other, _other_day = large_event()
    document = ready_badges(event, staff, django_capture_on_commit_callbacks)
    client.force_login(staff)
    assert client.get(url("document", other, document.pk)).status_code == 404
    assert client.get(url("document_download", other, document.pk)).status_code == 404


def test_a_document_still_drawn_cannot_be_downloaded(client, staff):
    event, _day = large_event()
    document = services.event_document_request(event=event, kind=EventDocument.Kind.BADGES)
    client.force_login(staff)
    assert client.get(url("document_download", event, document.pk)).status_code == 404


def test_a_document_number_out_of_range_is_not_found(client, staff):
    event, _day = large_event()
    client.force_login(staff)
    for name in ("document", "document_download"):
        assert client.get(url(name, event, 99999999999999999999)).status_code == 404
