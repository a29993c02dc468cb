"""Factories for the events app (venues, events, programme, tariffs, options, questions)."""

import datetime as dt

import factory
from django.utils import timezone

from terreau.events.models import (
    Event,
    EventDay,
    EventKind,
    EventOption,
    EventState,
    Question,
    Registration,
    RegistrationStatus,
    Room,
    Session,
    SessionKind,
    SessionSpeaker,
    Slot,
    Tariff,
    Venue,
    WorkshopReport,
)
from tests.directory.factories import PersonFactory
from tests.territories.factories import CommuneFactory


def local(year, month, day, hour=9, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Salle {n}")
    address = "1 rue de la Paix"
    commune = factory.SubFactory(CommuneFactory)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Salle de réunion {n}")
    capacity = 30


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Journée régionale {n}")
    slug = factory.Sequence(lambda n: f"journee-regionale-{n}")
    kind = EventKind.REGIONAL_DAY
    state = EventState.PUBLISHED
    venue = factory.SubFactory(VenueFactory)
    starts_at = factory.LazyFunction(
        lambda: (
            timezone.now().replace(hour=8, minute=0, second=0, microsecond=0)
            + dt.timedelta(days=30)
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=8))


class EventDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventDay

    event = factory.SubFactory(EventFactory)
    date = factory.LazyAttribute(lambda o: timezone.localtime(o.event.starts_at).date())
    starts_at = dt.time(9, 0)
    ends_at = dt.time(17, 0)


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    day = factory.SubFactory(EventDayFactory)
    starts_at = dt.time(9, 30)
    ends_at = dt.time(10, 30)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    slot = factory.SubFactory(SlotFactory)
    kind = SessionKind.PLENARY
    title = factory.Sequence(lambda n: f"Session {n}")


class SessionSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSpeaker

    session = factory.SubFactory(SessionFactory)
    # A speaker is not in the public directory unless a test says so.
    person = factory.SubFactory(PersonFactory, is_listed=False)
    title_that_day = "Chargée de mission"


class TariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tariff

    event = factory.SubFactory(EventFactory)
    label = "Tarif professionnel"
    amount = 75


class EventOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventOption

    event = factory.SubFactory(EventFactory)
    kind = EventOption.Kind.MEAL
    label = "Déjeuner"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    event = factory.SubFactory(EventFactory)
    label = "Comment avez-vous connu l'événement ?"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"inscrit{n}@example.org")
    status = RegistrationStatus.CONFIRMED
    consent = True


# On site and after


class WorkshopReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopReport

    session = factory.SubFactory(SessionFactory, kind=SessionKind.EXCHANGE_WORKSHOP)
    recommendations = "- Accueillir les initiatives sans formulaire préalable"
    is_published = True
