"""The synthetic events data set used by the benchmarks."""

import random

import pytest
from django.urls import reverse

from terreau.events import dataset
from terreau.events.models import Event, Session

pytestmark = pytest.mark.django_db


def test_the_small_data_set_makes_events_with_rounds_and_runs_once(client):
    dataset.generate(scale="small", rng=random.Random(1))
    events = Event.objects.filter(slug__startswith=dataset.PREFIX)
    assert events.count() == dataset.SCALES["small"]
    assert Session.objects.filter(slot__round_number=1).count() >= 4 * events.count()
    dataset.generate(scale="small", rng=random.Random(1))
    assert events.count() == dataset.SCALES["small"]
    event = events.filter(state="published").first()
    response = client.get(reverse("events:programme", args=[event.slug]))
    assert response.status_code == 200
