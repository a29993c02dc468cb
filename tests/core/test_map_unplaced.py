"""Map pages say how many items have no place on the map, and list them."""

import pytest
from django.urls import reverse

from tests.events.factories import EventFactory
from tests.observatory.factories import InitiativeFactory
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def test_the_initiative_map_lists_the_initiatives_without_a_place(client):
    InitiativeFactory(published=True, title="Placée")
    nowhere = CommuneFactory(latitude=None, longitude=None)
    InitiativeFactory(published=True, title="Sans centroïde", commune=nowhere)
    body = client.get(reverse("observatory:map")).content.decode()
    unplaced = body.split('id="map-unplaced"')[1].split("</div>")[0]
    assert "1 initiative n’a pas de place sur la carte" in unplaced
    assert "Sans centroïde" in unplaced and "Placée" not in unplaced


def test_the_initiative_map_says_nothing_when_all_are_placed(client):
    InitiativeFactory(published=True)
    assert 'id="map-unplaced"' not in client.get(reverse("observatory:map")).content.decode()


def test_the_event_map_lists_the_events_without_a_place(client):
    EventFactory(title="À Lille")
    EventFactory(title="En ligne", venue=None)
    body = client.get(reverse("events:map")).content.decode()
    unplaced = body.split('id="map-unplaced"')[1].split("</div>")[0]
    assert "En ligne" in unplaced and "À Lille" not in unplaced
