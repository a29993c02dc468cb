"""The staff area of events: permissions and every editing journey."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from terreau.directory.models import Organisation, Person
from terreau.events.models import Event, EventState, Session, SessionSpeaker, Slot
from tests.events.factories import (
    EventDayFactory,
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    SlotFactory,
    TariffFactory,
)

pytestmark = pytest.mark.django_db


def staff_urls(event):
    slug = event.slug
    return [
        reverse("events:staff_events"),
        reverse("events:staff_create"),
        reverse("events:venue_create"),
        reverse("events:staff_event", args=[slug]),
        reverse("events:staff_edit", args=[slug]),
        reverse("events:staff_cancel", args=[slug]),
        reverse("events:staff_duplicate", args=[slug]),
        reverse("events:staff_part_add", args=[slug, "session"]),
    ]


def test_visitors_are_sent_to_log_in_and_members_refused(client, user):
    event = EventFactory()
    for url in staff_urls(event):
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/login/" in response["Location"], url
    client.force_login(user)
    for url in staff_urls(event):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("events:staff_publish", args=[event.slug]))
    assert response.status_code == 403


def test_staff_pages_answer(client, staff):
    event = EventFactory()
    client.force_login(staff)
    for url in staff_urls(event):
        assert client.get(url).status_code == 200, url


def test_staff_create_an_event_with_organisers_from_the_directory(client, staff):
    nord = Organisation.objects.create(
        name="Département du Nord", slug="departement-du-nord", kind="departement"
    )
    Organisation.objects.create(name="CNFPT", slug="cnfpt", kind="public_body", acronym="CNFPT")
    client.force_login(staff)
    response = client.post(
        reverse("events:staff_create"),
        {
            "title": "Rencontres nationales 2015",
            "kind": "national_meetings",
            "audience": "professionals",
            "starts_at": "2015-11-17T13:00",
            "ends_at": "2015-11-18T16:00",
            "organisers": "departement-du-nord",
            "partners": "cnfpt",
            "certificate_issuer": "CNFPT",
            "has_waiting_list": "on",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:staff_event", args=[event.slug])
    assert event.state == EventState.DRAFT
    assert list(event.organisers.all()) == [nord]
    assert event.certificate_issuer.slug == "cnfpt"
    assert event.days.count() == 2


def test_an_unknown_organisation_is_a_field_error_and_nothing_is_saved(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("events:staff_create"),
        {
            "title": "Journée",
            "kind": "regional_day",
            "audience": "open",
            "starts_at": "2026-09-30T09:00",
            "ends_at": "2026-09-29T17:00",
            "organisers": "Structure inconnue",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "organisers" in form.errors and "ends_at" in form.errors
    assert not Event.objects.exists()


def test_staff_edit_an_event(client, staff):
    event = EventFactory(title="Ancien titre")
    client.force_login(staff)
    response = client.get(reverse("events:staff_edit", args=[event.slug]))
    data = {
        key: value
        for key, value in response.context["form"].initial.items()
        if value is not None and key not in {"themes", "organisers", "partners"}
    }
    data |= {
        "title": "Nouveau titre",
        "venue": event.venue_id,
        "starts_at": "2026-10-01T09:00",
        "ends_at": "2026-10-01T17:00",
        "certificate_issuer": "",
    }
    response = client.post(reverse("events:staff_edit", args=[event.slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    event.refresh_from_db()
    assert event.title == "Nouveau titre"


def test_staff_publish_a_draft(client, staff):
    day = EventDayFactory(event__state=EventState.DRAFT)
    client.force_login(staff)
    client.post(reverse("events:staff_publish", args=[day.event.slug]))
    day.event.refresh_from_db()
    assert day.event.state == EventState.PUBLISHED


def test_publishing_without_days_shows_why(client, staff):
    event = EventFactory(state=EventState.DRAFT)
    client.force_login(staff)
    response = client.post(reverse("events:staff_publish", args=[event.slug]), follow=True)
    assert "Ajoutez au moins un jour" in response.content.decode()
    event.refresh_from_db()
    assert event.state == EventState.DRAFT


def test_staff_cancel_an_event_and_registrants_are_told(
    client, staff, django_capture_on_commit_callbacks
):
    event = EventFactory()
    registrations = RegistrationFactory.create_batch(3, event=event)
    client.force_login(staff)
    page = client.get(reverse("events:staff_cancel", args=[event.slug])).content.decode()
    assert "3 inscrit" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:staff_cancel", args=[event.slug]),
            {"message": "Grève des transports."},
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in registrations)
    assert all("Grève des transports." in m.body for m in mail.outbox)


def test_staff_duplicate_last_years_event(client, staff):
    event = EventFactory(title="Journée régionale")
    SessionFactory(slot=SlotFactory(day=EventDayFactory(event=event)))
    client.force_login(staff)
    response = client.post(
        reverse("events:staff_duplicate", args=[event.slug]),
        {"starts_on": "2027-09-30", "title": "Journée régionale 2027"},
    )
    copy = Event.objects.get(title="Journée régionale 2027")
    assert response["Location"] == reverse("events:staff_event", args=[copy.slug])
    assert Session.objects.filter(slot__day__event=copy).count() == 1


def test_staff_add_a_slot_a_session_and_a_speaker(client, staff):
    day = EventDayFactory()
    event = day.event
    client.force_login(staff)
    client.post(
        reverse("events:staff_part_add", args=[event.slug, "creneau"]),
        {"day": day.pk, "starts_at": "16:30", "ends_at": "18:15", "round_number": "1"},
    )
    slot = Slot.objects.get(day=day)
    assert slot.round_number == 1
    client.post(
        reverse("events:staff_part_add", args=[event.slug, "session"]),
        {"slot": slot.pk, "kind": "spotlight", "title": "Vers un droit à participer ?"},
    )
    session = Session.objects.get(slot=slot)
    response = client.post(
        reverse("events:staff_part_add", args=[event.slug, "intervenant"]),
        {
            "session": session.pk,
            "first_name": "Rémi",
            "last_name": "Lefebvre",
            "role": "moderator",
            "title_that_day": "Professeur de sciences politiques",
        },
    )
    assert response.status_code == 302
    speaker = SessionSpeaker.objects.get()
    assert speaker.person == Person.objects.get(last_name="Lefebvre")
    assert speaker.role == "moderator"
    programme = client.get(reverse("events:programme", args=[event.slug])).content.decode()
    assert "Vers un droit à participer ?" in programme
    assert "Professeur de sciences politiques" in programme


def test_a_slot_on_another_events_day_is_refused_in_the_form(client, staff):
    event = EventFactory()
    other_day = EventDayFactory()
    client.force_login(staff)
    response = client.post(
        reverse("events:staff_part_add", args=[event.slug, "creneau"]),
        {"day": other_day.pk, "starts_at": "09:00"},
    )
    assert response.status_code == 200
    assert "day" in response.context["form"].errors
    assert not Slot.objects.exists()


def test_staff_cannot_edit_another_events_part_through_this_event(client, staff):
    tariff = TariffFactory()
    client.force_login(staff)
    url = reverse("events:staff_part_edit", args=[EventFactory().slug, "tarif", tariff.pk])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("events:staff_part_add", args=[tariff.event.slug, "x"])).status_code
        == 404
    )


def test_staff_delete_a_tariff(client, staff):
    tariff = TariffFactory()
    client.force_login(staff)
    url = reverse("events:staff_part_delete", args=[tariff.event.slug, "tarif", tariff.pk])
    assert client.get(url).status_code == 200
    client.post(url)
    assert not tariff.event.tariffs.exists()


def test_a_choice_question_needs_choices(client, staff):
    event = EventFactory()
    client.force_login(staff)
    response = client.post(
        reverse("events:staff_part_add", args=[event.slug, "question"]),
        {"label": "Atelier préféré ?", "kind": "choice", "choices": "Un seul", "position": 0},
    )
    assert "choices" in response.context["form"].errors
    assert not event.questions.exists()


def test_staff_add_a_venue_with_its_commune(client, staff):
    from tests.territories.factories import CommuneFactory

    CommuneFactory(insee="59350", name="Lille")
    client.force_login(staff)
    response = client.post(
        reverse("events:venue_create"),
        {"name": "Halle aux Sucres", "address": "Avenue du Peuple-belge", "commune_insee": "59350"},
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("events:venue_create"), {"name": "Ailleurs", "commune_insee": "00000"}
    )
    assert "commune_insee" in bad.context["form"].errors


def test_a_new_day_date_is_checked(client, staff):
    event = EventFactory()
    client.force_login(staff)
    client.post(
        reverse("events:staff_part_add", args=[event.slug, "jour"]),
        {"date": "2026-10-02", "starts_at": "09:00", "ends_at": "17:00"},
    )
    assert event.days.get().date == dt.date(2026, 10, 2)


def test_the_staff_list_runs_a_constant_number_of_queries_and_searches(
    client, staff, django_assert_max_num_queries, django_assert_num_queries
):
    EventFactory(title="Rencontres nationales")
    client.force_login(staff)
    url = reverse("events:staff_events")
    with django_assert_max_num_queries(12) as first:
        client.get(url)
    EventFactory.create_batch(3)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)
    body = client.get(url, {"q": "nationales"}).content.decode()
    assert "Rencontres nationales" in body
    assert body.count("<tr>") == 2  # the header and one event
