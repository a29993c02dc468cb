"""Synthetic events for benchmarks: up to 2,000 events with full programmes (days, slots,
rounds of parallel workshops, speakers), spread over the communes that are loaded."""

import datetime as dt

from django.utils import timezone

from terreau.core.models import Theme
from terreau.directory.models import Person
from terreau.territories.models import Commune

from .models import (
    Event,
    EventDay,
    EventKind,
    EventState,
    Session,
    SessionKind,
    SessionSpeaker,
    Slot,
    Tariff,
    Venue,
)

SCALES = {"small": 100, "medium": 500, "large": 2000}
PREFIX = "synthetique-"
WORDS = [
    "participation",
    "concertation",
    "budget participatif",
    "conseils citoyens",
    "pouvoir d'agir",
    "transition",
    "jeunesse",
    "numérique",
    "tiers-lieux",
    "évaluation",
    "chartes",
    "garants",
]
DAY_PLAN = [
    (dt.time(9), dt.time(9, 30), SessionKind.WELCOME, "Accueil", None),
    (dt.time(9, 30), dt.time(10, 30), SessionKind.PLENARY, "Plénière : {w}", None),
    (dt.time(10, 45), dt.time(12, 30), SessionKind.EXCHANGE_WORKSHOP, "Atelier : {w}", 1),
    (dt.time(12, 30), dt.time(14), SessionKind.MEAL, "Déjeuner", None),
    (dt.time(14), dt.time(15, 30), SessionKind.SPOTLIGHT, "Coup de zoom : {w}", 2),
    (dt.time(15, 45), dt.time(16, 30), SessionKind.REPORT_BACK, "Restitution", None),
]


def _speaker_pool(rng, size: int = 400) -> list[int]:
    ids = list(Person.objects.order_by("?").values_list("pk", flat=True)[:size])
    missing = size - len(ids)
    if missing > 0:
        people = [
            Person(
                first_name=rng.choice(["Anne", "Paul", "Léa", "Karim", "Sophie", "Yves"]),
                last_name=f"Intervenant {n}",
                slug=f"{PREFIX}intervenant-{n}",
                title="Chargé·e de mission",
            )
            for n in range(missing)
        ]
        Person.objects.bulk_create(people, ignore_conflicts=True)
        ids += list(
            Person.objects.filter(slug__startswith=f"{PREFIX}intervenant-").values_list(
                "pk", flat=True
            )
        )
    return ids


def generate(*, scale: str, rng, stdout=None) -> None:
    target = SCALES.get(scale, SCALES["small"])
    existing = Event.objects.filter(slug__startswith=PREFIX).count()
    if existing >= target:
        return
    communes = list(Commune.objects.order_by("insee").values_list("insee", flat=True))
    venues = Venue.objects.bulk_create(
        [
            Venue(
                name=f"Salle synthétique {n}",
                address=f"{n} rue de la Participation",
                commune_id=rng.choice(communes) if communes else None,
            )
            for n in range(max(10, target // 20))
        ]
    )
    themes = list(Theme.objects.values_list("pk", flat=True))
    speakers = _speaker_pool(rng)
    kinds = [k for k, _ in EventKind.choices]
    base = timezone.localdate() - dt.timedelta(days=365 * 3)
    events = []
    for n in range(existing, target):
        start = base + dt.timedelta(days=rng.randrange(365 * 4))
        length = 2 if rng.random() < 0.2 else 1
        starts_at = timezone.make_aware(dt.datetime.combine(start, dt.time(9)))
        events.append(
            Event(
                title=f"Journée {rng.choice(WORDS)} n° {n}",
                slug=f"{PREFIX}{n}",
                kind=rng.choice(kinds),
                state=EventState.PUBLISHED if rng.random() < 0.9 else EventState.DRAFT,
                summary="Événement synthétique pour les mesures de performance.",
                venue=rng.choice(venues),
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(days=length - 1, hours=7, minutes=30),
                capacity=rng.choice([None, 60, 120, 250]),
            )
        )
    events = Event.objects.bulk_create(events, batch_size=500)
    through = Event.themes.through
    through.objects.bulk_create(
        [
            through(event_id=event.pk, theme_id=theme)
            for event in events
            for theme in (rng.sample(themes, k=min(2, len(themes))) if themes else [])
        ],
        batch_size=2000,
    )
    Tariff.objects.bulk_create(
        [Tariff(event=e, label="Tarif unique", amount=rng.choice([0, 30, 75])) for e in events],
        batch_size=2000,
    )
    days = EventDay.objects.bulk_create(
        [
            EventDay(
                event=event,
                date=timezone.localtime(event.starts_at).date() + dt.timedelta(days=offset),
                starts_at=dt.time(9),
                ends_at=dt.time(16, 30),
            )
            for event in events
            for offset in range((event.ends_at - event.starts_at).days + 1)
        ],
        batch_size=2000,
    )
    slots = Slot.objects.bulk_create(
        [
            Slot(day=day, starts_at=start, ends_at=end, round_number=round_number)
            for day in days
            for start, end, _kind, _title, round_number in DAY_PLAN
        ],
        batch_size=2000,
    )
    sessions = []
    for index, slot in enumerate(slots):
        _start, _end, kind, title, round_number = DAY_PLAN[index % len(DAY_PLAN)]
        count = rng.randint(4, 8) if round_number else 1
        for position in range(count):
            sessions.append(
                Session(
                    slot=slot,
                    kind=kind,
                    title=title.format(w=rng.choice(WORDS)),
                    brief="Formuler des recommandations." if round_number else "",
                    capacity=30 if round_number else None,
                    position=position,
                )
            )
    sessions = Session.objects.bulk_create(sessions, batch_size=2000)
    SessionSpeaker.objects.bulk_create(
        [
            SessionSpeaker(
                session=session,
                person_id=rng.choice(speakers),
                title_that_day="Chargé·e de mission participation",
                position=position,
            )
            for session in sessions
            if session.kind not in {SessionKind.WELCOME, SessionKind.MEAL}
            for position in range(rng.randint(0, 2))
        ],
        batch_size=2000,
    )
    if stdout:
        stdout.write(f"Events: {len(events)} synthetic events, {len(sessions)} sessions ({scale}).")
