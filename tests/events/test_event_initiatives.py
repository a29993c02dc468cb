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


# Sessions and initiatives: a session presents initiatives of the observatory --------------


def _session_presenting(*initiatives, event=None):
    from tests.events.factories import SessionFactory, SlotFactory

    slot = SlotFactory(day__event=event) if event else SlotFactory()
    session = SessionFactory(slot=slot, title="Atelier : les conseils citoyens")
    session.initiatives.add(*initiatives)
    return session


def _session_url(session):
    return reverse("events:session", args=[session.slot.day.event.slug, session.pk])


def test_a_session_page_lists_the_published_initiatives_it_presented(client):
    shown = PublishedInitiativeFactory(title="Assemblée populaire d'Etouvie")
    draft = PublishedInitiativeFactory(title="Brouillon caché", state=PublicationState.DRAFT)
    session = _session_presenting(shown, draft)
    body = client.get(_session_url(session)).content.decode()
    assert "Initiatives présentées" in body
    assert shown.get_absolute_url() in body
    assert "Brouillon caché" not in body


def test_the_programme_links_each_session_to_its_initiatives(client):
    shown = PublishedInitiativeFactory(title="Raismes 2032")
    session = _session_presenting(shown)
    event = session.slot.day.event
    body = client.get(reverse("events:programme", args=[event.slug])).content.decode()
    assert shown.get_absolute_url() in body


def test_the_event_page_lists_the_initiatives_of_its_sessions_once_each(client):
    in_both = PublishedInitiativeFactory(title="Raismes 2032")
    in_session = PublishedInitiativeFactory(title="La ferme de Moyembrie")
    event = EventFactory()
    event.initiatives.add(in_both)
    _session_presenting(in_both, in_session, event=event)
    response = client.get(event.get_absolute_url())
    assert [i.title for i in response.context["page"].initiatives] == [
        "La ferme de Moyembrie",
        "Raismes 2032",
    ]
    assert in_session.get_absolute_url() in response.content.decode()


def test_the_initiative_page_lists_the_sessions_of_public_events_that_presented_it(client):
    initiative = PublishedInitiativeFactory()
    public = _session_presenting(initiative, event=EventFactory(title="Journée de Liévin"))
    _session_presenting(
        initiative, event=EventFactory(title="Réunion en préparation", state=EventState.DRAFT)
    )
    body = client.get(initiative.get_absolute_url()).content.decode()
    assert _session_url(public) in body
    assert "Journée de Liévin" in body
    assert "Réunion en préparation" not in body


@pytest.mark.parametrize("count", [1, 3])
def test_the_initiative_page_queries_do_not_grow_with_its_sessions(
    client, django_assert_max_num_queries, count
):
    initiative = PublishedInitiativeFactory()
    for _ in range(count):
        _session_presenting(initiative)
    with django_assert_max_num_queries(20):
        response = client.get(initiative.get_absolute_url())
    assert len(response.context["initiative"].sessions.all()) == count


def test_linking_a_session_to_an_initiative_changes_the_cached_pages(client):
    """The session, programme, event and initiative pages are cached for anonymous visitors:
    a new link shows at once on each."""
    initiative = PublishedInitiativeFactory(title="Les fabriques d'initiatives")
    session = _session_presenting()
    event = session.slot.day.event
    urls = [
        _session_url(session),
        reverse("events:programme", args=[event.slug]),
        event.get_absolute_url(),
        initiative.get_absolute_url(),
    ]
    for url in urls:
        client.get(url)
    session.initiatives.add(initiative)
    for url in urls[:3]:
        assert initiative.get_absolute_url() in client.get(url).content.decode(), url
    assert _session_url(session) in client.get(urls[3]).content.decode()


def test_staff_link_a_session_to_initiatives_by_title_or_slug(client, staff):
    from terreau.events.models import Session
    from tests.events.factories import SlotFactory

    by_title = PublishedInitiativeFactory(title="Raismes 2032")
    by_slug = PublishedInitiativeFactory(slug="la-ferme-de-moyembrie")
    slot = SlotFactory()
    event = slot.day.event
    client.force_login(staff)
    data = {
        "slot": slot.pk,
        "kind": "talk",
        "title": "L'expérience de Raismes",
        "initiatives": "raismes 2032\nla-ferme-de-moyembrie",
    }
    response = client.post(reverse("events:staff_part_add", args=[event.slug, "session"]), data)
    assert response.status_code == 302
    session = Session.objects.get(slot=slot)
    assert set(session.initiatives.all()) == {by_title, by_slug}
    data["initiatives"] = "Une initiative inconnue"
    response = client.post(
        reverse("events:staff_part_edit", args=[event.slug, "session", session.pk]), data
    )
    assert response.status_code == 200
    assert "Une initiative inconnue" in response.context["form"].errors["initiatives"][0]
    assert set(session.initiatives.all()) == {by_title, by_slug}
