"""The demo registrations: hundreds of registrants with ranked, skewed choices and a survey."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.utils import timezone

from terreau.events.demo import registrations as demo_registrations
from terreau.events.models import EventKind, Question, RegistrationStatus, WorkshopChoice
from tests.events.factories import EventFactory
from tests.events.registration_fixtures import make_lille_meetings, rounds_of

pytestmark = pytest.mark.django_db


def test_demo_registrants_rank_three_workshops_per_round_with_skewed_popularity():
    event = make_lille_meetings(capacity=120)
    assert demo_registrations._load_for(event, 150, random.Random(1)) == 150
    statuses = Counter(event.registrations.values_list("status", flat=True))
    assert statuses[RegistrationStatus.CONFIRMED] <= 120
    assert statuses[RegistrationStatus.WAITLISTED] > 0
    first = rounds_of(event)[1]
    firsts = Counter(
        WorkshopChoice.objects.filter(session__in=first, rank=1).values_list(
            "session_id", flat=True
        )
    )
    assert sum(firsts.values()) == 150
    assert max(firsts.values()) > 2 * min(firsts.values())
    per_registration = Counter(
        WorkshopChoice.objects.filter(registration__event=event).values_list(
            "registration_id", flat=True
        )
    )
    assert set(per_registration.values()) == {9}
    assert len(set(event.registrations.values_list("actor_category", flat=True))) >= 4
    # Loading again adds nothing.
    assert demo_registrations._load_for(event, 150, random.Random(1)) == 0


def test_load_fills_the_2014_meetings_and_their_survey():
    EventFactory(
        kind=EventKind.NATIONAL_MEETINGS,
        starts_at=timezone.make_aware(dt.datetime(2014, 11, 18, 13)),
        ends_at=timezone.make_aware(dt.datetime(2014, 11, 19, 16)),
    )
    demo_registrations.load()
    event = EventFactory._meta.model.objects.get(starts_at__year=2014)
    assert event.registrations.count() == 300
    survey = event.questions.filter(purpose=Question.Purpose.SURVEY)
    assert survey.count() == 4
    assert survey.get(kind=Question.Kind.CHOICE).answers.count() > 100
