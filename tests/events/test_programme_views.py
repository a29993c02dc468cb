"""Public pages of the programme area: agenda, month, map, feed, event page, programme, exports."""

import datetime as dt
from io import BytesIO

import icalendar
import pytest
from django.urls import reverse
from pypdf import PdfReader

from terreau.events import home
from terreau.events.models import EventState
from tests.events.factories import (
    EventDayFactory,
    EventFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlotFactory,
    TariffFactory,
    local,
)
from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def _programme(event, sessions_per_round: int):
    day = EventDayFactory(event=event)
    SessionFactory(slot=SlotFactory(day=day, starts_at=dt.time(9)), kind="opening")
    slot = SlotFactory(day=day, starts_at=dt.time(14, 30), round_number=1)
    for n in range(sessions_per_round):
        session = SessionFactory(slot=slot, kind="exchange_workshop", title=f"Atelier {n}")
        SessionSpeakerFactory(session=session, title_that_day=f"Animatrice {n}")
    return day


def _agenda_events(count: int):
    for _ in range(count):
        EventFactory().themes.add(ThemeFactory())


@pytest.mark.parametrize("name", ["events:agenda", "events:month", "events:map"])
def test_agenda_pages_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, django_assert_num_queries, name
):
    _agenda_events(1)
    with django_assert_max_num_queries(10) as small:
        assert client.get(reverse(name), {"period": "all"}).status_code == 200
    _agenda_events(6)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name), {"period": "all"}).status_code == 200


def test_the_programme_page_runs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    small, large = EventFactory(), EventFactory()
    _programme(small, 1)
    _programme(large, 8)
    with django_assert_max_num_queries(15) as first:
        client.get(reverse("events:programme", args=[small.slug]))
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(reverse("events:programme", args=[large.slug]))
    assert response.content.decode().count('class="session kind-exchange_workshop"') == 8


def test_the_agenda_lists_published_events_and_hides_drafts(client):
    EventFactory(title="Journée publiée")
    EventFactory(title="Brouillon secret", state=EventState.DRAFT)
    body = client.get(reverse("events:agenda")).content.decode()
    assert "Journée publiée" in body
    assert "Brouillon secret" not in body


def test_bad_agenda_filters_show_an_error_instead_of_failing(client):
    response = client.get(reverse("events:agenda"), {"date_from": "pas une date", "kind": "x"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_the_month_view_links_to_the_previous_and_next_months(client):
    EventFactory(
        title="Rencontres de Lille", starts_at=local(2014, 11, 18, 13), ends_at=local(2014, 11, 19)
    )
    response = client.get(reverse("events:month", args=[2014, 11]))
    body = response.content.decode()
    assert "Rencontres de Lille" in body
    assert reverse("events:month", args=[2014, 10]) in body
    assert reverse("events:month", args=[2014, 12]) in body


def test_an_impossible_month_is_a_404(client):
    assert client.get(reverse("events:month", args=[2014, 13])).status_code == 404


def test_the_map_page_carries_the_markers_as_data_and_the_list(client):
    EventFactory(title="Journée de Liévin")
    body = client.get(reverse("events:map")).content.decode()
    assert 'id="events-map-points"' in body
    assert "Journée de Liévin" in body
    assert "leaflet.js" in body


def test_the_feed_lists_published_events_with_their_place(client):
    EventFactory(title="Journée de Liévin", venue__name="Aréna Stade couvert")
    EventFactory(title="Annulée", state=EventState.CANCELLED)
    EventFactory(title="Brouillon", state=EventState.DRAFT)
    response = client.get(reverse("events:feed"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    entries = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(entries) == {"Journée de Liévin", "Annulée"}
    assert "Aréna Stade couvert" in str(entries["Journée de Liévin"]["LOCATION"])
    assert str(entries["Annulée"]["STATUS"]) == "CANCELLED"


def test_a_draft_is_a_404_for_visitors_and_members_but_visible_to_staff(client, user, staff):
    draft = EventFactory(state=EventState.DRAFT)
    url = reverse("events:detail", args=[draft.slug])
    assert client.get(url).status_code == 404
    assert client.get(reverse("events:programme", args=[draft.slug])).status_code == 404
    assert client.get(reverse("events:programme_pdf", args=[draft.slug])).status_code == 404
    client.force_login(user)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_the_event_page_shows_practical_information(client):
    event = EventFactory(
        title="Rencontres nationales",
        objectives="- créer une culture professionnelle partagée",
        pays_by_administrative_order=True,
        has_certificate=True,
        venue__access="Quartier du Vieux-Lille",
        audience="professionals",
    )
    TariffFactory(event=event, amount=75, includes="les deux journées et la soirée")
    body = client.get(event.get_absolute_url()).content.decode()
    assert "<li>créer une culture professionnelle partagée</li>" in body
    assert "Quartier du Vieux-Lille" in body
    assert "75 €" in body and "les deux journées et la soirée" in body
    assert "mandat administratif" in body
    assert "attestation de formation" in body
    assert "professionnels" in body


def test_a_past_event_page_becomes_its_archive(client):
    event = EventFactory(starts_at=local(2021, 9, 30, 9), ends_at=local(2021, 9, 30, 17))
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Archive" in body
    assert "Registration is open" not in body and "Les inscriptions sont ouvertes" not in body


def test_a_cancelled_event_page_says_so(client):
    event = EventFactory(state=EventState.CANCELLED)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "annulé" in body


def test_the_programme_reads_like_the_seed_with_times_kinds_and_speakers(client):
    event = EventFactory()
    day = EventDayFactory(event=event)
    opening = SessionFactory(
        slot=SlotFactory(day=day, starts_at=dt.time(9, 30)), kind="opening", title="Mot d'intro"
    )
    SessionSpeakerFactory(
        session=opening,
        person__first_name="Alain",
        person__last_name="Bavay",
        title_that_day="Vice-Président de la Communauté d'Agglomération Lens-Liévin",
    )
    round_slot = SlotFactory(day=day, starts_at=dt.time(14, 30), round_number=1)
    SessionFactory(slot=round_slot, kind="exchange_workshop", title="L'émergence")
    SessionFactory(slot=round_slot, kind="exchange_workshop", title="La consolidation")
    body = client.get(reverse("events:programme", args=[event.slug])).content.decode()
    assert "9h30" in body and "14h30" in body
    assert "Ouverture" in body  # the session kind, in French
    assert "Alain Bavay</span>, Vice-Président de la Communauté d&#x27;Agglomération" in body
    assert body.count('class="programme-round"') == 1
    assert body.index("L&#x27;émergence") < body.index("La consolidation")


def test_the_event_calendar_has_one_entry_per_day(client):
    event = EventFactory(title="Rencontres nationales")
    EventDayFactory(event=event, date=dt.date(2014, 11, 18), starts_at=dt.time(13))
    EventDayFactory(event=event, date=dt.date(2014, 11, 19), ends_at=dt.time(16))
    response = client.get(reverse("events:event_ics", args=[event.slug]))
    entries = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    starts = sorted(e.decoded("DTSTART").replace(tzinfo=None) for e in entries)
    assert starts == [dt.datetime(2014, 11, 18, 13), dt.datetime(2014, 11, 19, 9)]
    assert all(str(e["SUMMARY"]) == "Rencontres nationales" for e in entries)


def test_a_session_calendar_entry_has_its_times_speakers_and_room(client):
    speaker = SessionSpeakerFactory(
        session__title="La démocratie 2.0 ?",
        session__slot__starts_at=dt.time(16, 30),
        session__slot__ends_at=dt.time(18, 15),
        person__first_name="Rémi",
        person__last_name="Lefebvre",
        title_that_day="Professeur",
    )
    session = speaker.session
    event = session.slot.day.event
    response = client.get(reverse("events:session_ics", args=[event.slug, session.pk]))
    [entry] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(entry["SUMMARY"]).startswith("La démocratie 2.0 ?")
    assert entry.decoded("DTSTART").time() == dt.time(16, 30)
    assert entry.decoded("DTEND").time() == dt.time(18, 15)
    assert "Rémi Lefebvre, Professeur" in str(entry["DESCRIPTION"])


def test_a_session_of_another_event_is_a_404(client):
    session = SessionFactory()
    other = EventFactory()
    url = reverse("events:session_ics", args=[other.slug, session.pk])
    assert client.get(url).status_code == 404


def test_the_programme_pdf_reads_back_with_its_sessions_and_speakers(client):
    event = EventFactory(title="Journée régionale de Liévin")
    day = _programme(event, 3)
    SessionFactory(
        slot=SlotFactory(day=day, starts_at=dt.time(16, 30), ends_at=None),
        title="Restitution finale",
    )
    response = client.get(reverse("events:programme_pdf", args=[event.slug]))
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Journée régionale de Liévin" in text
    assert "Atelier 2" in text and "Animatrice 2" in text
    assert "Restitution finale" in text
    assert "16h30" in text


def test_the_home_summary_lists_the_next_events_only():
    soon = EventFactory(title="Bientôt")
    EventFactory(starts_at=local(2014, 11, 18), ends_at=local(2014, 11, 19))
    EventFactory(state=EventState.CANCELLED)
    section = home.summary()
    assert section["count"] == 1
    assert section["items"] == [soon]
    assert section["url"] == reverse("events:agenda")


def test_the_home_page_shows_the_events_section(client):
    EventFactory(title="Journée à venir")
    assert "Journée à venir" in client.get(reverse("core:home")).content.decode()


def test_an_open_event_page_links_to_its_registration_form(client):
    event = EventFactory(capacity=100)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Les inscriptions sont ouvertes." in body
    assert f'href="{reverse("events:register", args=[event.slug])}"' in body


def test_the_registration_window_is_written_with_the_programme_time(client):
    from django.utils import timezone

    now = timezone.localtime()
    closes = timezone.make_aware(dt.datetime(now.year + 1, 3, 2, 17, 30))
    event = EventFactory(
        capacity=100,
        starts_at=closes + dt.timedelta(days=10),
        ends_at=closes + dt.timedelta(days=10, hours=8),
        registration_closes_at=closes,
    )
    body = client.get(event.get_absolute_url()).content.decode()
    assert f"Clôture le 2 mars {closes.year} à 17h30." in body


def test_a_past_event_page_has_no_registration_button(client):
    event = EventFactory(starts_at=local(2021, 9, 30, 9), ends_at=local(2021, 9, 30, 17))
    body = client.get(event.get_absolute_url()).content.decode()
    assert reverse("events:register", args=[event.slug]) not in body
