"""Cached documents never outlive what they show: the programme PDF (drawn once per version of
the site's content) and the public pages (the page cache) are drawn again after any change of a
speaker's name, their removal from the directory, an organisation's name, the venue, a room or
a session — whichever way the change was made."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from terreau.directory import services as directory
from terreau.directory.personal_data import remove_person
from terreau.events.services.programme import event_part_save, venue_save
from tests.events.factories import (
    EventDayFactory,
    EventFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlotFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(monkeypatch):
    """A published event with one session, its speaker (a member of an organisation) and its
    room; the PDF is 'drawn' as the HTML of its template (what WeasyPrint would be given)."""
    from terreau.events.views import programme as views

    drawn = []

    def draw(*, event, days, request=None):
        html = render_to_string(
            "events/pdf/programme.html", {"event": event, "days": days, "pdf": True}
        )
        drawn.append(html)
        return html.encode()

    monkeypatch.setattr(views, "programme_pdf", draw)
    event = EventFactory(title="Rencontres de Liévin")
    day = EventDayFactory(event=event)
    room = RoomFactory(venue=event.venue, name="Salle Nelson-Mandela")
    session = SessionFactory(
        slot=SlotFactory(day=day, starts_at=dt.time(9)), title="Ouverture", room=room
    )
    speaker = SessionSpeakerFactory(session=session, title_that_day="Adjointe")
    organisation = directory.organisation_create(name="Collectif Pas-de-Calais", kind="association")
    directory.membership_create(person=speaker.person, organisation=organisation)
    return {
        "event": event,
        "session": session,
        "room": room,
        "person": speaker.person,
        "organisation": organisation,
        "drawn": drawn,
        "url": reverse("events:programme_pdf", kwargs={"slug": event.slug}),
    }


def pdf(world) -> str:
    return Client().get(world["url"]).content.decode()


def test_the_pdf_is_drawn_once_while_nothing_changes(programme):
    first = pdf(programme)
    assert pdf(programme) == first
    assert len(programme["drawn"]) == 1


def test_a_speaker_s_new_name_is_in_the_next_pdf(programme):
    person = programme["person"]
    assert person.last_name in pdf(programme)
    directory.person_update(person=person, first_name="Camille", last_name="Renommée")
    assert "Camille Renommée" in pdf(programme)


def test_a_speaker_s_name_changed_in_their_profile_is_in_the_next_pdf(programme):
    from tests.factories import UserFactory

    person = programme["person"]
    person.user = UserFactory()
    person.save()
    pdf(programme)
    directory.person_profile_save(
        user=person.user,
        fields={"first_name": "Dominique", "last_name": "Nouveaunom"},
        themes=[],
        memberships=[],
    )
    assert "Dominique Nouveaunom" in pdf(programme)


def test_a_speaker_removed_from_the_directory_leaves_the_pdf(programme):
    person = programme["person"]
    name = person.display_name
    assert name in pdf(programme)
    remove_person(person)
    assert name not in pdf(programme)


def test_an_organisation_s_new_name_and_the_venue_s_new_address_are_in_the_next_pages(
    programme,
):
    event = programme["event"]
    venue_save(venue=event.venue, fields={"address": "12 rue des Écoles"})
    assert "12 rue des Écoles" in pdf(programme)
    directory.organisation_update(organisation=programme["organisation"], name="Réseau Liévin")
    page = Client().get(reverse("directory:person_detail", args=[programme["person"].slug]))
    if page.status_code == 200:  # a listed person: the cached page names the new organisation
        assert "Réseau Liévin" in page.content.decode()


def test_a_session_s_and_a_room_s_edits_are_in_the_next_pdf(programme):
    event, session, room = programme["event"], programme["session"], programme["room"]
    pdf(programme)
    event_part_save(event=event, instance=session, fields={"title": "Plénière d'ouverture"})
    assert "Plénière d&#x27;ouverture" in pdf(programme) or "Plénière d'ouverture" in pdf(programme)
    event_part_save(event=event, instance=room, fields={"name": "Salle Olympe-de-Gouges"})
    assert "Salle Olympe-de-Gouges" in pdf(programme)


# Writes that send no signal (QuerySet.update, bulk_update, bulk_create) move the version too:
# before, a territories import renaming communes (bulk_update) or any `filter().update()` left
# the programme PDF — cached for a week — and the cached pages showing the old text.


def test_a_commune_renamed_by_a_bulk_update_is_in_the_next_pdf(programme):
    from terreau.territories.models import Commune

    commune = programme["event"].venue.commune
    assert commune.name in pdf(programme)
    commune.name = "Liévin-les-Terrils"
    Commune.objects.bulk_update([commune], ["name"])  # what territories' _upsert does
    assert "Liévin-les-Terrils" in pdf(programme)


def test_a_name_changed_by_a_queryset_update_is_in_the_next_pdf(programme):
    from terreau.directory.models import Person

    pdf(programme)
    Person.objects.filter(pk=programme["person"].pk).update(first_name="Sacha", last_name="Autre")
    assert "Sacha Autre" in pdf(programme)
    assert len(programme["drawn"]) == 2


def test_only_writes_that_changed_something_move_the_version():
    from terreau.core import versions
    from terreau.core.models import OutboxMessage
    from terreau.directory.models import Person

    def stamp():
        return versions.current([versions.SITE, versions.REGISTRATIONS])[0]

    before = stamp()
    assert Person.objects.filter(pk=-1).update(last_name="x") == 0
    OutboxMessage.objects.filter(pk=-1).update(subject="x")
    assert stamp() == before  # nothing changed; a model no page shows
    Person.objects.bulk_create([Person(first_name="A", last_name="B", slug="a-b-bulk")])
    assert stamp() != before
