"""Events shaped like the seeds' for registration tests: the Lille national meetings (two days,
three rounds of parallel workshops, a 75 € tariff, meals and the evening)."""

import datetime as dt

from django.utils import timezone

from terreau.events.models import (
    Audience,
    EventDay,
    EventKind,
    EventOption,
    Question,
    SessionKind,
    Slot,
)
from terreau.events.services.registration import RegistrationData
from tests.events.factories import EventFactory, SessionFactory, TariffFactory

ROUNDS = {
    1: [
        "Les démarches citoyennes / le pouvoir d'agir : quelle rencontre entre demande sociale "
        "et offre de participation ?",
        "Les conseils citoyens et la co-élaboration de la politique de la ville",
        "Comment animer les espaces permanents pour les rendre vivants, inclusifs, productifs ?",
        "L'évaluation des effets de la participation",
        "La démocratie 2.0 ? Numérique et participation citoyenne",
    ],
    2: [
        "L’évolution institutionnelle et juridique de la concertation : "
        "vers un droit à participer ?",
        "Les chartes de la participation et autres dispositifs de garantie",
        "Comment mettre en concertation le budget et les finances ?",
        "La prise en compte des pratiques professionnelles par les ressources humaines",
        "Comment mobiliser et rendre attractives nos concertations ?",
    ],
    3: [
        "Proximité, gouvernance, démocratie locale, pouvoir d'agir… de quoi parle-t-on ?",
        "Comment mettre en concertation le budget et les finances ? (2)",
        "La prise en compte des pratiques professionnelles par les ressources humaines (2)",
        "Comment mobiliser et rendre attractives nos concertations ? (2)",
    ],
}


def make_lille_meetings(*, days_ahead: int = 30, **event_fields):
    """The 2014 Lille meetings, moved into the future so that registration is open."""
    first = (timezone.localtime() + dt.timedelta(days=days_ahead)).date()
    second = first + dt.timedelta(days=1)
    tz = timezone.get_current_timezone()
    defaults = {
        "title": "Rencontres nationales des professionnels de la démocratie participative",
        "slug": f"rencontres-lille-{days_ahead}",
        "kind": EventKind.NATIONAL_MEETINGS,
        "audience": Audience.PROFESSIONALS,
        "capacity": 250,
        "starts_at": dt.datetime.combine(first, dt.time(13, 0), tzinfo=tz),
        "ends_at": dt.datetime.combine(second, dt.time(16, 0), tzinfo=tz),
        "pays_by_administrative_order": True,
    }
    event = EventFactory(**(defaults | event_fields))
    day1 = EventDay.objects.create(
        event=event, date=first, starts_at=dt.time(13, 0), ends_at=dt.time(21, 0)
    )
    day2 = EventDay.objects.create(
        event=event, date=second, starts_at=dt.time(9, 0), ends_at=dt.time(16, 0)
    )
    opening = Slot.objects.create(day=day1, starts_at=dt.time(14, 0), ends_at=dt.time(14, 30))
    SessionFactory(slot=opening, kind=SessionKind.OPENING, title="Ouverture officielle")
    plenary = Slot.objects.create(day=day1, starts_at=dt.time(14, 30), ends_at=dt.time(16, 0))
    SessionFactory(
        slot=plenary,
        kind=SessionKind.PLENARY,
        title="État des lieux de la participation citoyenne aujourd'hui",
    )
    times = {1: (day1, 16, 30, 18, 15), 2: (day2, 9, 0, 10, 30), 3: (day2, 11, 0, 13, 0)}
    for number, titles in ROUNDS.items():
        day, h1, m1, h2, m2 = times[number]
        slot = Slot.objects.create(
            day=day,
            starts_at=dt.time(h1, m1),
            ends_at=dt.time(h2, m2),
            round_number=number,
            title=f"Ateliers d'échange et coups de zoom — round {number}",
        )
        for position, title in enumerate(titles):
            SessionFactory(
                slot=slot,
                kind=SessionKind.SPOTLIGHT if position == 0 else SessionKind.EXCHANGE_WORKSHOP,
                title=title,
                capacity=60,
                position=position,
            )
    closing = Slot.objects.create(day=day2, starts_at=dt.time(15, 0), ends_at=dt.time(16, 0))
    SessionFactory(
        slot=closing, kind=SessionKind.CLOSING, title="Plénière de clôture participative"
    )
    TariffFactory(
        event=event, label="Participant·e", amount=75, includes="Pauses, soirée, déjeuner"
    )
    EventOption.objects.create(
        event=event, kind=EventOption.Kind.EVENING, label="Soirée du mardi", day=day1
    )
    EventOption.objects.create(
        event=event, kind=EventOption.Kind.MEAL, label="Déjeuner du mercredi", day=day2
    )
    Question.objects.create(
        event=event,
        label="Souhaitez-vous présenter une expérience en atelier ?",
        kind=Question.Kind.YES_NO,
        position=1,
    )
    Question.objects.create(
        event=event,
        label="Vos attentes",
        kind=Question.Kind.TEXT,
        position=2,
    )
    return event


def rounds_of(event) -> dict[int, list]:
    """round number → sessions, in order."""
    out: dict[int, list] = {}
    for slot in Slot.objects.filter(day__event=event, round_number__isnull=False).order_by(
        "round_number"
    ):
        out[slot.round_number] = list(slot.sessions.order_by("position", "pk"))
    return out


def registration_data(event=None, *, email="claire.martin@lenord.fr", choices=True, **fields):
    """A valid RegistrationData for the event (three ranked choices per round)."""
    data = RegistrationData(
        first_name="Claire",
        last_name="Martin",
        email=email,
        employer="Département du Nord",
        employer_kind="departement",
        job_title="Chargée de mission participation",
        actor_category="public_staff",
        consent=True,
    )
    if event is not None and choices:
        data.choices = {
            sessions[0].slot_id: [s.pk for s in sessions[:3]]
            for sessions in rounds_of(event).values()
        }
    for name, value in fields.items():
        setattr(data, name, value)
    return data
