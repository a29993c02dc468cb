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


def test_calls_groups_and_worksites_list_their_resources_and_the_resource_shows_them(client):
    from tests.calls.factories import CallFactory
    from tests.groups.factories import ExchangeGroupFactory
    from tests.worksites.factories import worksite_create

    call = CallFactory(title="Appel à projets 2013")
    group = ExchangeGroupFactory(name="Groupe de l'Artois")
    worksite = worksite_create(is_public=True)
    form = ResourceFactory(title="Dossier de candidature 2013", kind=ResourceKind.CALL)
    invitation = ResourceFactory(title="Invitation Chantier coopératif")
    draft = ResourceFactory(title="Brouillon caché", draft=True)
    form.calls.add(call)
    form.groups.add(group)
    invitation.worksites.add(worksite)
    draft.calls.add(call)
    draft.groups.add(group)
    draft.worksites.add(worksite)
    assert "Dossier de candidature 2013" in client.get(call.get_absolute_url()).content.decode()
    assert "Dossier de candidature 2013" in client.get(group.get_absolute_url()).content.decode()
    body = client.get(worksite.get_absolute_url()).content.decode()
    assert "Invitation Chantier coopératif" in body and "Ses ressources" in body
    for target in (call, group, worksite):
        assert "Brouillon caché" not in client.get(target.get_absolute_url()).content.decode()
    body = client.get(form.get_absolute_url()).content.decode()
    assert call.get_absolute_url() in body and group.get_absolute_url() in body
    assert "Appel à projets 2013" in body
    assert worksite.get_absolute_url() in client.get(invitation.get_absolute_url()).content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_a_call_page_queries_do_not_grow_with_its_resources(
    client, django_assert_max_num_queries, count
):
    from tests.calls.factories import CallFactory

    call = CallFactory()
    for _ in range(count):
        ResourceFactory().calls.add(call)
    with django_assert_max_num_queries(25):
        body = client.get(call.get_absolute_url()).content.decode()
    assert body.count('href="/ressources/') >= count
