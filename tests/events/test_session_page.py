"""A page per session, linked from the programme; the event page's queries stay the same with one
session and with several."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from terreau.events.models import EventState, SessionKind, SessionSpeaker
from tests.events.factories import (
    EventDayFactory,
    EventFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlotFactory,
    TariffFactory,
    WorkshopReportFactory,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def workshop(event, **kwargs):
    day = event.days.first() or EventDayFactory(event=event)
    slot = SlotFactory(day=day, round_number=1, starts_at=dt.time(14, 0), ends_at=dt.time(15, 30))
    return SessionFactory(slot=slot, kind=SessionKind.EXCHANGE_WORKSHOP, **kwargs)


def test_a_session_page_shows_its_kind_time_room_round_brief_speakers_and_links(client):
    event = EventFactory()
    session = workshop(
        event,
        title="Le budget participatif",
        brief="Partager des expériences",
        room=RoomFactory(name="Salle Europe", venue=event.venue),
    )
    other = SessionFactory(slot=session.slot, title="La concertation numérique")
    SessionSpeakerFactory(
        session=session,
        person=PersonFactory(
            first_name="Claire", last_name="Martin", is_listed=True, bio="Élue **locale**."
        ),
        title_that_day="Vice-présidente",
        role=SessionSpeaker.Role.FACILITATOR,
    )
    SessionSpeakerFactory(
        session=session,
        person=PersonFactory(first_name="Jean", last_name="Dupont", is_listed=False, bio="Privé."),
    )
    url = reverse("events:session", args=[event.slug, session.pk])
    body = client.get(url).content.decode()
    for text in (
        "Le budget participatif",
        "Atelier d",  # the kind, in French
        "14h00",
        "Salle Europe",
        "Tour 1",
        "Partager des expériences",
        "Claire Martin",
        "Vice-présidente",
        "<strong>locale</strong>",
        "Jean Dupont",
        reverse("events:session_ics", args=[event.slug, session.pk]),
        reverse("events:session", args=[event.slug, other.pk]),
    ):
        assert text in body, text
    assert "Privé." not in body  # a biography shows only for people on the public list
    programme = client.get(reverse("events:programme", args=[event.slug])).content.decode()
    assert f'href="{url}"' in programme


def test_a_session_page_shows_the_published_report_back_after_the_event(client):
    start = timezone.now() - dt.timedelta(days=10)
    event = EventFactory(starts_at=start, ends_at=start + dt.timedelta(hours=8))
    session = workshop(event, title="Atelier jeunesse")
    url = reverse("events:session", args=[event.slug, session.pk])
    report = WorkshopReportFactory(
        session=session, recommendations="Associer les lycées", is_published=False
    )
    assert "Associer les lycées" not in client.get(url).content.decode()
    report.is_published = True
    report.save()
    assert "Associer les lycées" in client.get(url).content.decode()


def test_a_session_of_another_event_or_of_a_draft_is_not_found(client, staff):
    event, other = EventFactory(), EventFactory()
    session = workshop(other)
    assert client.get(reverse("events:session", args=[event.slug, session.pk])).status_code == 404
    draft = EventFactory(state=EventState.DRAFT)
    hidden = workshop(draft)
    url = reverse("events:session", args=[draft.slug, hidden.pk])
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_the_event_and_session_pages_run_the_same_queries_with_one_session_and_with_several(
    client,
):
    event = EventFactory()
    TariffFactory(event=event)
    first = workshop(event)
    SessionSpeakerFactory(session=first)
    urls = [
        event.get_absolute_url(),
        reverse("events:programme", args=[event.slug]),
        reverse("events:session", args=[event.slug, first.pk]),
    ]
    one = [page_queries(client, url)[0] for url in urls]
    for _ in range(4):
        session = SessionFactory(slot=first.slot)
        SessionSpeakerFactory.create_batch(2, session=session)
    several = [page_queries(client, url)[0] for url in urls]
    assert several == one
    assert one[0] <= 9  # the event page: 14 queries before its selector
