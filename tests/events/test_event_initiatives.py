"""Events and the observatory: the initiatives an event presented, shown on both pages."""

import datetime as dt

import pytest
from django.urls import reverse

from terreau.events.models import Event, EventState
from terreau.events.services.programme import event_duplicate
from terreau.observatory.models import PublicationState
from tests.events.factories import EventFactory
from tests.observatory.factories import PublishedInitiativeFactory

pytestmark = pytest.mark.django_db


def test_the_event_page_lists_the_published_initiatives_it_presented(client):
    shown = PublishedInitiativeFactory(title="Assemblée populaire d'Etouvie")
    draft = PublishedInitiativeFactory(title="Brouillon caché", state=PublicationState.DRAFT)
    event = EventFactory()
    event.initiatives.add(shown, draft)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Initiatives présentées" in body
    assert shown.get_absolute_url() in body
    assert "Brouillon caché" not in body


def test_the_initiative_page_lists_the_public_events_that_presented_it(client):
    initiative = PublishedInitiativeFactory()
    public = EventFactory(title="Journée régionale de Liévin")
    private = EventFactory(title="Réunion en préparation", state=EventState.DRAFT)
    public.initiatives.add(initiative)
    private.initiatives.add(initiative)
    body = client.get(initiative.get_absolute_url()).content.decode()
    assert "Journée régionale de Liévin" in body
    assert public.get_absolute_url() in body
    assert "Réunion en préparation" not in body


def test_staff_link_initiatives_by_title_or_slug(client, staff):
    by_title = PublishedInitiativeFactory(title="Raismes 2032")
    by_slug = PublishedInitiativeFactory(slug="la-ferme-de-moyembrie")
    event = EventFactory()
    client.force_login(staff)
    form = client.get(reverse("events:staff_edit", args=[event.slug])).context["form"]
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in {"themes", "organisers", "partners", "initiatives"}
    }
    data |= {
        "venue": event.venue_id,
        "starts_at": "2026-10-01T09:00",
        "ends_at": "2026-10-01T17:00",
        "certificate_issuer": "",
        "initiatives": "raismes 2032\nla-ferme-de-moyembrie",
    }
    response = client.post(reverse("events:staff_edit", args=[event.slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert set(event.initiatives.all()) == {by_title, by_slug}

    data["initiatives"] = "Raismes 2032\nUne initiative inconnue"
    data["title"] = "Titre qui ne doit pas être enregistré"
    response = client.post(reverse("events:staff_edit", args=[event.slug]), data)
    assert response.status_code == 200
    assert "Une initiative inconnue" in response.context["form"].errors["initiatives"][0]
    event.refresh_from_db()
    assert event.title != "Titre qui ne doit pas être enregistré"
    assert set(event.initiatives.all()) == {by_title, by_slug}


def test_a_duplicated_event_does_not_present_last_years_initiatives():
    event = EventFactory()
    event.initiatives.add(PublishedInitiativeFactory())
    copy = event_duplicate(event=event, starts_on=event.starts_at.date() + dt.timedelta(days=365))
    assert copy.initiatives.count() == 0
    assert Event.objects.get(pk=event.pk).initiatives.count() == 1
