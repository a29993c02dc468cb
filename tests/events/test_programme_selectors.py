"""Selectors of the programme area: agenda filters, the month grid, the programme tree."""

import datetime as dt

import pytest

from terreau.events.models import EventState
from terreau.events.selectors.agenda import (
    AgendaFilters,
    agenda_events,
    agenda_map_points,
    agenda_month,
)
from terreau.events.selectors.programme import (
    RegistrationState,
    event_programme,
    event_registration_status,
)
from tests.events.factories import (
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlotFactory,
    VenueFactory,
    local,
)
from tests.factories import ThemeFactory
from tests.territories.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db
NOW = local(2026, 6, 15, 12)


def test_the_agenda_never_lists_drafts_but_keeps_cancelled_events():
    published = EventFactory()
    cancelled = EventFactory(state=EventState.CANCELLED)
    EventFactory(state=EventState.DRAFT)
    assert set(agenda_events()) == {published, cancelled}


def test_upcoming_events_come_soonest_first_and_past_ones_latest_first():
    later = EventFactory(starts_at=local(2026, 9, 1), ends_at=local(2026, 9, 1, 17))
    sooner = EventFactory(starts_at=local(2026, 7, 1), ends_at=local(2026, 7, 1, 17))
    old = EventFactory(starts_at=local(2021, 9, 30), ends_at=local(2021, 9, 30, 17))
    older = EventFactory(starts_at=local(2014, 11, 18), ends_at=local(2014, 11, 19, 16))
    upcoming = agenda_events(filters=AgendaFilters(period="upcoming"), now=NOW)
    past = agenda_events(filters=AgendaFilters(period="past"), now=NOW)
    assert list(upcoming) == [sooner, later]
    assert list(past) == [old, older]


def test_an_event_running_now_counts_as_upcoming():
    running = EventFactory(starts_at=local(2026, 6, 15, 9), ends_at=local(2026, 6, 16, 17))
    assert list(agenda_events(filters=AgendaFilters(period="upcoming"), now=NOW)) == [running]


def test_filtering_by_kind():
    training = EventFactory(kind="training")
    EventFactory(kind="webinar")
    assert list(agenda_events(filters=AgendaFilters(kind="training"))) == [training]


def test_filtering_by_a_theme_includes_its_sub_themes_once():
    parent = ThemeFactory()
    child = ThemeFactory(parent=parent)
    tagged = EventFactory()
    tagged.themes.add(parent, child)
    tagged_child = EventFactory()
    tagged_child.themes.add(child)
    EventFactory()
    found = list(agenda_events(filters=AgendaFilters(theme=parent)))
    assert sorted(e.pk for e in found) == sorted([tagged.pk, tagged_child.pk])


def test_filtering_by_departement_uses_the_venues_commune():
    pas_de_calais = DepartmentFactory(code="62", name="Pas-de-Calais")
    lievin = CommuneFactory(insee="62510", name="Liévin", department=pas_de_calais)
    in_62 = EventFactory(venue=VenueFactory(commune=lievin))
    EventFactory()  # in the Nord
    EventFactory(venue=None, online_url="https://visio.example.org")
    assert list(agenda_events(filters=AgendaFilters(department=pas_de_calais))) == [in_62]


def test_filtering_by_dates_keeps_events_overlapping_the_range():
    two_days = EventFactory(starts_at=local(2014, 11, 18, 13), ends_at=local(2014, 11, 19, 16))
    EventFactory(starts_at=local(2014, 12, 1), ends_at=local(2014, 12, 1, 17))
    found = agenda_events(
        filters=AgendaFilters(date_from=dt.date(2014, 11, 19), date_to=dt.date(2014, 11, 30))
    )
    assert list(found) == [two_days]


def test_the_month_grid_starts_on_monday_and_places_multi_day_events_on_each_day():
    meetings = EventFactory(starts_at=local(2014, 11, 18, 13), ends_at=local(2014, 11, 19, 16))
    EventFactory(state=EventState.DRAFT, starts_at=local(2014, 11, 20), ends_at=local(2014, 11, 20))
    month = agenda_month(year=2014, month=11)
    assert month.weeks[0][0].date == dt.date(2014, 10, 27)  # a Monday
    assert all(len(week) == 7 for week in month.weeks)
    days = {day.date: day for week in month.weeks for day in week}
    assert days[dt.date(2014, 11, 18)].events == [meetings]
    assert days[dt.date(2014, 11, 19)].events == [meetings]
    assert days[dt.date(2014, 11, 20)].events == []
    assert not days[dt.date(2014, 10, 27)].in_month
    assert month.previous == dt.date(2014, 10, 1)
    assert month.next == dt.date(2014, 12, 1)
    assert month.event_count == 1


def test_the_month_grid_applies_the_agenda_filters():
    EventFactory(kind="webinar", starts_at=local(2023, 4, 13), ends_at=local(2023, 4, 13, 17))
    month = agenda_month(year=2023, month=4, filters=AgendaFilters(kind="training"))
    assert month.event_count == 0


def test_december_links_to_january_of_the_next_year():
    month = agenda_month(year=2025, month=12)
    assert month.next == dt.date(2026, 1, 1)
    assert month.previous == dt.date(2025, 11, 1)


def test_map_points_use_the_venue_or_its_communes_centroid():
    precise = EventFactory(venue=VenueFactory(latitude=50.6, longitude=3.07))
    centroid = EventFactory(venue=VenueFactory(commune=CommuneFactory(latitude=50.29)))
    online = EventFactory(venue=None)
    points = agenda_map_points(events=[precise, centroid, online])
    assert [(p["lat"], p["url"]) for p in points] == [
        (50.6, precise.get_absolute_url()),
        (50.29, centroid.get_absolute_url()),
    ]


def test_the_programme_groups_parallel_sessions_of_a_round_by_kind():
    slot = SlotFactory(round_number=1, title="Ateliers d'échange et coups de zoom")
    spotlight = SessionFactory(slot=slot, kind="spotlight", position=0)
    workshops = [SessionFactory(slot=slot, kind="exchange_workshop", position=i) for i in (1, 2)]
    SessionSpeakerFactory(session=workshops[0])
    days = event_programme(event=slot.day.event)
    [entry] = days[0].slots
    assert entry.is_parallel
    assert [(str(label), sessions) for label, sessions in entry.groups] == [
        ("Coups de zoom", [spotlight]),
        ("Ateliers d'échange", workshops),
    ]


def test_registration_is_open_until_the_window_closes_and_the_event_starts():
    event = EventFactory(
        starts_at=local(2026, 7, 1),
        ends_at=local(2026, 7, 1, 17),
        registration_closes_at=local(2026, 6, 20),
        capacity=2,
    )
    RegistrationFactory(event=event)
    status = event_registration_status(event=event, now=NOW)
    assert status.state == RegistrationState.OPEN and status.places_left == 1
    late = event_registration_status(event=event, now=local(2026, 6, 25))
    assert late.state == RegistrationState.CLOSED
    after = event_registration_status(event=event, now=local(2026, 7, 2))
    assert after.state == RegistrationState.PAST


def test_a_full_event_offers_its_waiting_list():
    event = EventFactory(starts_at=local(2026, 7, 1), ends_at=local(2026, 7, 1, 17), capacity=1)
    RegistrationFactory(event=event)
    assert event_registration_status(event=event, now=NOW).state == RegistrationState.WAITING_LIST
    event.has_waiting_list = False
    assert event_registration_status(event=event, now=NOW).state == RegistrationState.FULL
