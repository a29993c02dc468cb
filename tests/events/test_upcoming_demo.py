"""The demo's coming event: a copy of the Lille meetings open for registration at once."""

import datetime as dt

import pytest
from django.utils import timezone

from terreau.events.demo import upcoming as demo_upcoming
from terreau.events.models import Event, EventState, Session
from terreau.events.services.registration import registration_closed_reason
from tests.events.registration_fixtures import make_lille_meetings

pytestmark = pytest.mark.django_db


def test_a_published_copy_of_the_lille_meetings_opens_for_registration_weeks_ahead():
    source = make_lille_meetings(days_ahead=-4000, slug=demo_upcoming.LILLE_SLUG)
    demo_upcoming.load()
    demo_upcoming.load()  # loading twice adds nothing

    copy = Event.objects.get(slug=demo_upcoming.SLUG)
    assert copy.state == EventState.PUBLISHED
    assert copy.title == source.title + demo_upcoming.TITLE_SUFFIX
    starts = timezone.localtime(copy.starts_at).date()
    assert starts - timezone.localdate() >= dt.timedelta(weeks=demo_upcoming.WEEKS_AHEAD)
    assert starts.weekday() == timezone.localtime(source.starts_at).weekday()
    assert registration_closed_reason(copy) == ""
    assert copy.registration_closes_at == copy.starts_at - dt.timedelta(days=7)
    rounds = Session.objects.filter(slot__day__event=copy, slot__round_number__isnull=False)
    assert (
        rounds.count()
        == Session.objects.filter(slot__day__event=source, slot__round_number__isnull=False).count()
    )
    assert not copy.registrations.exists()


def test_nothing_is_made_without_the_seed_event():
    demo_upcoming.load()
    assert not Event.objects.filter(slug=demo_upcoming.SLUG).exists()
