"""The initiatives' and events' pages list the published resources that mention them."""

import pytest

from terreau.library.models import ResourceKind
from tests.events.factories import EventFactory
from tests.library.factories import ResourceFactory
from tests.observatory.factories import PublishedInitiativeFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def test_the_initiative_page_lists_the_published_resources_that_mention_it(client):
    initiative = PublishedInitiativeFactory()
    shown = ResourceFactory(title="Retour sur la journée d'Arras", kind=ResourceKind.REPORT)
    draft = ResourceFactory(title="Compte rendu en cours", draft=True)
    shown.initiatives.add(initiative)
    draft.initiatives.add(initiative)
    body = client.get(initiative.get_absolute_url()).content.decode()
    assert "Ressources qui la mentionnent" in body
    assert shown.get_absolute_url() in body and "Compte rendu" in body
    assert "Compte rendu en cours" not in body


def test_an_initiative_without_resources_shows_no_empty_section(client):
    initiative = PublishedInitiativeFactory()
    ResourceFactory(draft=True).initiatives.add(initiative)
    body = client.get(initiative.get_absolute_url()).content.decode()
    assert "Ressources qui la mentionnent" not in body


def test_the_event_page_lists_the_published_resources_about_it(client):
    event = EventFactory()
    shown = ResourceFactory(title="Programme de la journée", kind=ResourceKind.PROGRAMME)
    draft = ResourceFactory(title="Bilan à relire", draft=True)
    shown.events.add(event)
    draft.events.add(event)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Ressources liées à cet événement" in body
    assert shown.get_absolute_url() in body
    assert "Bilan à relire" not in body


@pytest.mark.parametrize("related", ["events", "resources"])
def test_the_initiative_page_queries_do_not_grow_with_its_events_or_resources(client, related):
    factory = {"events": EventFactory, "resources": ResourceFactory}[related]
    small, large = PublishedInitiativeFactory(), PublishedInitiativeFactory()
    factory().initiatives.add(small)
    for _ in range(4):
        factory().initiatives.add(large)
    page_queries(client, PublishedInitiativeFactory().get_absolute_url())  # warms the process
    few, response = page_queries(client, small.get_absolute_url())
    assert len(getattr(response.context["initiative"], related).all()) == 1
    many, response = page_queries(client, large.get_absolute_url())
    assert len(getattr(response.context["initiative"], related).all()) == 4
    assert few == many


def test_the_event_page_queries_do_not_grow_with_its_resources(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    small, large = EventFactory(), EventFactory()
    ResourceFactory().events.add(small)
    for _ in range(5):
        ResourceFactory().events.add(large)
    with django_assert_max_num_queries(20) as first:
        client.get(small.get_absolute_url())
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(large.get_absolute_url())
    assert response.content.decode().count('href="/ressources/') >= 5
