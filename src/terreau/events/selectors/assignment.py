"""Reads for the workshop assignment: the problem as plain data, workshop and waiting lists, and
the report of the last run shaped for the staff page."""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from terreau.core.charts import fill_bar_svg, stacked_bar_svg
from terreau.core.dates import date_format
from terreau.directory.models import ActorCategory

from .. import assignment as algorithm
from ..models import (
    AssignmentRun,
    Event,
    Registration,
    RegistrationStatus,
    Session,
    Slot,
    WorkshopAssignment,
    WorkshopChoice,
)

# Order of the bars and columns of the report; colours come from the stylesheet.
RANK_KEYS = ["1", "2", "3"]


def topic_key(title: str) -> str:
    """Sessions with the same title (case, accents' form, spaces and punctuation aside) in two
    rounds are one workshop offered twice, as the Lille 2014 meetings did: attend it once."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def round_label(slot: Slot) -> str:
    return _("Round %(number)s · %(date)s %(time)s") % {
        "number": slot.round_number,
        "date": date_format(slot.day.date, "l j F"),
        "time": time_format(slot.starts_at, "H:i"),
    }


@dataclass
class AssignmentInput:
    """An event's workshop assignment problem, as the pure algorithm takes it."""

    event: Event
    slots: list[Slot]
    sessions: dict[int, Session]
    registrations: dict[int, Registration]
    participants: list[algorithm.Participant]
    rounds: list[algorithm.Round]
    pins: list[tuple[int, int]]
    placements: dict[tuple[int, int], int | None] = field(default_factory=dict)
    sources: dict[tuple[int, int], WorkshopAssignment] = field(default_factory=dict)

    @property
    def has_rounds(self) -> bool:
        return bool(self.rounds)


def session_seats(session: Session) -> int | None:
    """The session's seats, else its room's; None when neither is set (no limit)."""
    if session.capacity is not None:
        return session.capacity
    if session.room_id and session.room.capacity is not None:
        return session.room.capacity
    return None


def session_capacity(session: Session, unlimited: int) -> int:
    """The session's seats, else its room's, else `unlimited`."""
    seats = session_seats(session)
    return unlimited if seats is None else seats


def round_slots(*, event: Event) -> list[Slot]:
    """The event's rounds (slots whose sessions participants choose), with their sessions."""
    return list(
        Slot.objects.filter(day__event=event, round_number__isnull=False)
        .select_related("day")
        .prefetch_related("sessions__room")
        .order_by("day__date", "starts_at", "pk")
    )


def assignment_input(*, event: Event) -> AssignmentInput:
    """Confirmed registrations (in registration order), their choices, pins and current seats.

    Five queries whatever the size of the event.
    """
    slots = round_slots(event=event)
    registrations = {
        r.pk: r
        for r in Registration.objects.filter(
            event=event, status=RegistrationStatus.CONFIRMED
        ).order_by("created_at", "pk")
    }
    sessions = {s.pk: s for slot in slots for s in slot.sessions.all()}
    unlimited = max(len(registrations), 1)
    rounds = [
        algorithm.Round(
            id=slot.pk,
            workshops=tuple(
                algorithm.Workshop(
                    id=s.pk, capacity=session_capacity(s, unlimited), topic=topic_key(s.title)
                )
                for s in slot.sessions.all()
            ),
        )
        for slot in slots
    ]
    _deduplicate_topics(rounds)
    choices: dict[int, dict[int, list[int]]] = {pk: {} for pk in registrations}
    rows = (
        WorkshopChoice.objects.filter(
            registration__event=event,
            registration__status=RegistrationStatus.CONFIRMED,
            session__in=sessions,
        )
        .order_by("registration_id", "rank", "pk")
        .values_list("registration_id", "session_id")
    )
    for registration_id, session_id in rows:
        if registration_id not in choices:  # confirmed between the two queries
            continue
        slot_id = sessions[session_id].slot_id
        ranked = choices[registration_id].setdefault(slot_id, [])
        if session_id not in ranked:
            ranked.append(session_id)
    participants = [
        algorithm.Participant(
            id=pk,
            category=registration.actor_category or None,
            choices={slot: tuple(ranked) for slot, ranked in choices[pk].items()},
        )
        for pk, registration in registrations.items()
    ]
    pins, placements, sources = [], {}, {}
    assignments = WorkshopAssignment.objects.filter(
        registration__event=event,
        registration__status=RegistrationStatus.CONFIRMED,
        session__in=sessions,
    ).order_by("pk")
    for assignment in assignments:
        if assignment.registration_id not in registrations:
            continue
        key = (assignment.registration_id, assignment.slot_id)
        placements[key] = assignment.session_id
        sources[key] = assignment
        if assignment.is_pinned:
            pins.append((assignment.registration_id, assignment.session_id))
    return AssignmentInput(
        event=event,
        slots=slots,
        sessions=sessions,
        registrations=registrations,
        participants=participants,
        rounds=rounds,
        pins=pins,
        placements=placements,
        sources=sources,
    )


def _deduplicate_topics(rounds: list[algorithm.Round]) -> None:
    """Two sessions of one round with the same title are two groups of one workshop: distinct."""
    for position, round_ in enumerate(rounds):
        seen: dict[str, int] = {}
        workshops = []
        for workshop in round_.workshops:
            count = seen.get(workshop.topic, 0)
            seen[workshop.topic] = count + 1
            if count:
                workshop = algorithm.Workshop(
                    workshop.id, workshop.capacity, topic=f"{workshop.topic} #{count + 1}"
                )
            workshops.append(workshop)
        rounds[position] = algorithm.Round(round_.id, tuple(workshops))


def assignment_last_run(*, event: Event) -> AssignmentRun | None:
    return (
        AssignmentRun.objects.filter(event=event)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
        .first()
    )


# ---------------------------------------------------------------------------------------------
# The staff page


@dataclass
class WorkshopLine:
    session: Session
    capacity: int
    seats: int | None  # None: no limit set
    assigned: int
    waiting: int
    fill_percent: int  # width of its bar

    @property
    def free(self) -> int | None:
        return None if self.seats is None else max(self.seats - self.assigned, 0)


@dataclass
class RoundState:
    slot: Slot
    label: str
    workshops: list[WorkshopLine]
    unplaced: list[Registration]


def assignment_state(*, data: AssignmentInput) -> list[RoundState]:
    """Seats taken, free and waited for in every workshop, from the current assignments."""
    load: dict[int, int] = {}
    for session_id in data.placements.values():
        load[session_id] = load.get(session_id, 0) + 1
    waiting_lists = algorithm.waiting_lists(
        data.participants, data.rounds, data.placements, pins=data.pins
    )
    states = []
    for slot, round_ in zip(data.slots, data.rounds, strict=True):
        lines = []
        for workshop in round_.workshops:
            waiting = waiting_lists[workshop.id]
            assigned = load.get(workshop.id, 0)
            lines.append(
                WorkshopLine(
                    session=data.sessions[workshop.id],
                    capacity=workshop.capacity,
                    seats=session_seats(data.sessions[workshop.id]),
                    assigned=assigned,
                    waiting=len(waiting),
                    fill_percent=_percent(assigned, workshop.capacity),
                )
            )
        unplaced = [
            registration
            for pk, registration in data.registrations.items()
            if (pk, slot.pk) not in data.placements
        ]
        states.append(
            RoundState(slot=slot, label=round_label(slot), workshops=lines, unplaced=unplaced)
        )
    return states


def _percent(part, whole) -> int:
    return min(100, round(100 * part / whole)) if whole else 0


@dataclass
class Bar:
    key: str
    label: str
    count: int
    percent: float


def rank_bar_svg(bars: list[Bar]):
    """The bars as one stacked bar (core.charts)."""
    return stacked_bar_svg([(bar.key, bar.percent) for bar in bars], css_class="rank-bar")


@dataclass
class RoundReport:
    label: str
    bars: list[Bar]
    workshops: list[dict]

    @property
    def bar_svg(self):
        return rank_bar_svg(self.bars)


def _bars(counts: dict, shares: dict, ranks: list[str]) -> list[Bar]:
    labels = {
        "1": _("1st choice"),
        "2": _("2nd choice"),
        "3": _("3rd choice"),
        algorithm.UNRANKED: _("Not ranked"),
        algorithm.UNPLACED_KEY: _("No seat"),
    }
    bars = []
    for key in [*ranks, algorithm.UNRANKED, algorithm.UNPLACED_KEY]:
        percent = round(100 * shares.get(key, 0), 1)
        label = labels.get(key) or _("Choice %(rank)s") % {"rank": key}
        bars.append(Bar(key=key, label=label, count=counts.get(key, 0), percent=percent))
    return bars


def assignment_report(*, run: AssignmentRun | None) -> dict | None:
    """The stored report of a run, with labels, percentages and bar geometry for the page."""
    if run is None:
        return None
    report = run.report
    ranks = report.get("ranks", RANK_KEYS)
    categories = dict(ActorCategory.choices)
    rounds = []
    for item in report.get("rounds", []):
        workshops = []
        for workshop in item["workshops"]:
            mix = ", ".join(
                f"{categories.get(key, key)} {count}"
                for key, count in workshop["categories"].items()
            )
            fill = workshop["fill"]
            workshops.append(
                {
                    **workshop,
                    "fill_percent": round(100 * fill) if fill is not None else None,
                    "fill_svg": fill_bar_svg(
                        round(100 * fill) if fill is not None else 0, css_class="fill-bar"
                    ),
                    "mix": mix,
                }
            )
        rounds.append(
            RoundReport(
                label=item.get("label", ""),
                bars=_bars(item["counts"], item["shares"], ranks),
                workshops=workshops,
            )
        )
    overall = report["overall"]
    overall_bars = _bars(overall["counts"], overall["shares"], ranks)
    unplaced = report.get("unplaced_people", [])
    return {
        "run": run,
        "status": report["status"],
        "is_optimal": report["status"] == algorithm.OPTIMAL,
        "is_infeasible": report["status"] == algorithm.INFEASIBLE,
        "objective": report["objective"],
        "placement_cost": report["placement_cost"],
        "spread_penalty": report["spread_penalty"],
        "quota_excess": report["quota_excess"],
        "participants": report["participants"],
        "no_first_choice": report["no_first_choice_any_round"],
        "unplaced_count": report["unplaced_count"],
        "unplaced": unplaced,
        "solve_ms": round(1000 * report["solve_seconds"]),
        "solver": report.get("solver"),
        "weights": report["weights"],
        "spreading": report["spreading"],
        "warnings": report.get("warnings", []),
        "overall": overall_bars,
        "overall_svg": rank_bar_svg(overall_bars),
        "rounds": rounds,
        "comparison": _comparison(report.get("comparison")),
    }


def _rank(participant: algorithm.Participant, slot_id: int, session_id: int) -> int | None:
    ranked = list(participant.choices.get(slot_id, ()))
    return ranked.index(session_id) + 1 if session_id in ranked else None


def _comparison(comparison: dict | None) -> dict | None:
    if not comparison:
        return None
    first = comparison["overall"]["shares"].get("1", 0)
    return {**comparison, "first_percent": round(100 * first, 1)}


def assignment_workshop(*, data: AssignmentInput, session: Session) -> dict:
    """Who sits in a workshop (with the rank they gave it) and who waits for it, in order."""
    slot_id = session.slot_id
    by_id = {participant.id: participant for participant in data.participants}
    seated = [
        {
            "registration": data.registrations[pk],
            "rank": _rank(by_id[pk], slot_id, session.pk),
            "assignment": data.sources[pk, slot_id],
        }
        for pk in data.registrations
        if data.placements.get((pk, slot_id)) == session.pk
    ]
    waiting = []
    for pk in algorithm.waiting_list(
        data.participants, data.rounds, data.placements, session.pk, pins=data.pins
    ):
        current = data.placements.get((pk, slot_id))
        waiting.append(
            {
                "registration": data.registrations[pk],
                "rank": _rank(by_id[pk], slot_id, session.pk),
                "current": data.sessions.get(current) if current else None,
            }
        )
    return {"seated": seated, "waiting": waiting}


def assignment_person(*, data: AssignmentInput, registration: Registration) -> list[dict]:
    """A participant's rounds: their ranked choices and where they sit."""
    participant = next(p for p in data.participants if p.id == registration.pk)
    rows = []
    for slot in data.slots:
        key = (registration.pk, slot.pk)
        current = data.placements.get(key)
        rows.append(
            {
                "slot": slot,
                "label": round_label(slot),
                "choices": [data.sessions[s] for s in participant.choices.get(slot.pk, ())],
                "session": data.sessions.get(current) if current else None,
                "assignment": data.sources.get(key),
            }
        )
    return rows


def assignment_search(*, event: Event, query: str, limit: int = 20) -> list[Registration]:
    """Confirmed participants whose name or e-mail contains the query."""
    words = query.split()
    if not words:
        return []
    queryset = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    for word in words:
        queryset = queryset.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return list(queryset.order_by("last_name", "first_name", "pk")[:limit])


def personal_workshops(*, registration: Registration) -> list[dict]:
    """A participant's assigned workshops, round by round, for their e-mail."""
    rows = []
    assignments = (
        WorkshopAssignment.objects.filter(registration=registration)
        .select_related("session__room", "slot__day")
        .order_by("slot__day__date", "slot__starts_at")
    )
    for assignment in assignments:
        rows.append(
            {
                "label": round_label(assignment.slot),
                "slot": assignment.slot,
                "session": assignment.session,
            }
        )
    return rows
