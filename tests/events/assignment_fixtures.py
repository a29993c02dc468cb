"""Events for workshop-assignment tests: two rounds where the second repeats the first's
exchange workshops, as the Lille 2014 meetings did, and confirmed registrations with choices."""

import datetime as dt

from terreau.events.models import SessionKind, WorkshopAssignment, WorkshopChoice
from tests.events.factories import (
    EventDayFactory,
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    SlotFactory,
)

REPEATED = [
    "Comment mettre en concertation le budget et les finances ?",
    "La prise en compte des pratiques professionnelles par les ressources humaines",
]
SPOTLIGHT = "Les chartes de la participation et autres dispositifs de garantie"


def make_two_rounds():
    """Two rounds; round 2 repeats round 1's two exchange workshops (as Lille 2014 did) and adds
    a spotlight with ten seats."""
    event = EventFactory(title="Rencontres nationales", slug="rencontres-lille")
    day = EventDayFactory(event=event)
    rounds = []
    for number, hour in ((1, 9), (2, 11)):
        slot = SlotFactory(day=day, round_number=number, starts_at=dt.time(hour, 0))
        sessions = [
            SessionFactory(
                slot=slot, kind=SessionKind.EXCHANGE_WORKSHOP, title=title, capacity=2, position=i
            )
            for i, title in enumerate(REPEATED)
        ]
        if number == 2:
            sessions.append(
                SessionFactory(
                    slot=slot, kind=SessionKind.SPOTLIGHT, title=SPOTLIGHT, capacity=10, position=2
                )
            )
        rounds.append((slot, sessions))
    return event, rounds


def register(event, rounds, wishes, **kwargs):
    """A confirmed registration with, per round, the indexes of its ranked sessions."""
    registration = RegistrationFactory(event=event, **kwargs)
    for (_slot, sessions), ranked in zip(rounds, wishes, strict=True):
        for rank, index in enumerate(ranked, start=1):
            WorkshopChoice.objects.create(
                registration=registration, session=sessions[index], rank=rank
            )
    return registration


def seat(registration, slot):
    return WorkshopAssignment.objects.get(registration=registration, slot=slot).session
