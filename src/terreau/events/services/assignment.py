"""Workshop assignment: run the solver (or the first-come baseline) for an event, pin and move
people by hand, hand freed seats to the workshops' waiting lists, and send personal programmes.

The algorithm itself lives in `terreau.events.assignment` (pure, no Django); these services adapt
the models to it and write its result.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from terreau.core.tasks import task_enqueue_atomic

from .. import assignment as algorithm
from ..models import (
    AssignmentRun,
    Event,
    Registration,
    RegistrationStatus,
    Session,
    Slot,
    WorkshopAssignment,
)
from ..selectors.assignment import (
    AssignmentInput,
    assignment_input,
    round_label,
    session_seats,
    topic_key,
)

logger = logging.getLogger(__name__)

METHODS = {
    AssignmentRun.Method.OPTIMAL: algorithm.assign_optimal,
    AssignmentRun.Method.FIRST_COME: algorithm.assign_first_come,
}
SOURCES = {
    AssignmentRun.Method.OPTIMAL: WorkshopAssignment.Source.SOLVER,
    AssignmentRun.Method.FIRST_COME: WorkshopAssignment.Source.FIRST_COME,
}


def _lock(event: Event) -> Event:
    """One assignment change at a time per event (a no-op lock on SQLite, whose write
    transactions are serialised anyway)."""
    return Event.objects.select_for_update().get(pk=event.pk)


def assignment_run(
    *,
    event: Event,
    spread_categories: bool = False,
    method: str = AssignmentRun.Method.OPTIMAL,
    by=None,
) -> AssignmentRun:
    """Assign every confirmed participant to one workshop per round, in one transaction.

    Pinned assignments stay; every other assignment of the event is replaced. The run and its
    report (shares of 1st/2nd/3rd choices, fill, who could not be placed, solve time…) are
    stored; the report also holds the other method's figures for comparison.
    Side effects: none beyond the database (participants are told by `assignment_notify`).
    """
    if method not in METHODS:
        raise ValidationError({"method": _("Choose a method.")})
    with transaction.atomic():
        event = _lock(event)
        data = assignment_input(event=event)
        if not data.has_rounds:
            raise ValidationError(
                _("This event has no round of workshops: set a round number on a time slot.")
            )
        spreading = algorithm.Spreading() if spread_categories else None
        try:
            result = METHODS[method](
                data.participants, data.rounds, pins=data.pins, spreading=spreading
            )
        except ValueError as error:  # inconsistent pins, e.g. one topic pinned twice
            raise ValidationError(str(error))
        other = (
            algorithm.assign_first_come
            if method == AssignmentRun.Method.OPTIMAL
            else algorithm.assign_optimal
        )
        comparison = other(data.participants, data.rounds, pins=data.pins, spreading=spreading)
        pinned = {(pk, data.sessions[session_id].slot_id) for pk, session_id in data.pins}
        # Assignments of people no longer confirmed go too, pinned or not.
        WorkshopAssignment.objects.filter(slot__in=[s.pk for s in data.slots]).exclude(
            pk__in=[a.pk for key, a in data.sources.items() if key in pinned]
        ).delete()
        source = SOURCES[method]
        WorkshopAssignment.objects.bulk_create(
            [
                WorkshopAssignment(
                    registration_id=registration_id,
                    slot_id=slot_id,
                    session_id=session_id,
                    source=source,
                )
                for (registration_id, slot_id), session_id in result.placements.items()
                if session_id is not None and (registration_id, slot_id) not in pinned
            ],
            batch_size=1000,
        )
        report = _labelled(result.report, data)
        report["comparison"] = {
            "method": comparison.report["method"],
            "objective": comparison.report["objective"],
            "unplaced_count": comparison.report["unplaced_count"],
            "no_first_choice_any_round": comparison.report["no_first_choice_any_round"],
            "quota_excess": comparison.report["quota_excess"],
            "solve_seconds": comparison.report["solve_seconds"],
            "overall": comparison.report["overall"],
        }
        run = AssignmentRun.objects.create(
            event=event,
            method=method,
            spread_categories=spread_categories,
            status=result.status,
            report=report,
            created_by=by if by is not None and by.is_authenticated else None,
        )
    logger.info("Workshop assignment %s for %s by %s: %s", method, event.slug, by, result.status)
    return run


def _labelled(report: dict, data: AssignmentInput) -> dict:
    """The report with the rounds' and workshops' names, and who could not be placed."""
    slots = {slot.pk: slot for slot in data.slots}
    for item in report["rounds"]:
        item["label"] = round_label(slots[item["id"]])
        for workshop in item["workshops"]:
            session = data.sessions[workshop["id"]]
            workshop["label"] = session.title
            if session_seats(session) is None:  # no limit: neither seats nor fill to show
                workshop["capacity"] = workshop["fill"] = None
    report["unplaced_people"] = [
        {
            "registration": registration_id,
            "name": data.registrations[registration_id].full_name,
            "round": round_label(slots[slot_id]),
        }
        for registration_id, slot_id in report["unplaced"]
    ]
    return report


def _check_place(registration: Registration, session: Session) -> Slot:
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(
            {"session": _("Only confirmed participants can be placed in a workshop.")}
        )
    slot = session.slot
    if slot.round_number is None or slot.day.event_id != registration.event_id:
        raise ValidationError({"session": _("Choose a workshop of one of this event's rounds.")})
    taken = (
        WorkshopAssignment.objects.filter(session=session)
        .exclude(registration=registration)
        .count()
    )
    capacity = session_seats(session)
    if capacity is not None and taken >= capacity:
        raise ValidationError({"session": _("This workshop is full.")})
    topic = topic_key(session.title)
    others = WorkshopAssignment.objects.filter(registration=registration).exclude(slot=slot)
    for other in others.select_related("session", "slot"):
        if topic_key(other.session.title) == topic:
            raise ValidationError(
                {
                    "session": _(
                        "This participant already attends this workshop in round %(number)s."
                    )
                    % {"number": other.slot.round_number}
                }
            )
    return slot


def _place(*, registration, session, pin: bool, by) -> WorkshopAssignment:
    with transaction.atomic():
        _lock(registration.event)
        registration = Registration.objects.get(pk=registration.pk)
        session = Session.objects.select_related("slot__day", "room").get(pk=session.pk)
        slot = _check_place(registration, session)
        assignment, _created = WorkshopAssignment.objects.update_or_create(
            registration=registration,
            slot=slot,
            defaults={
                "session": session,
                "source": WorkshopAssignment.Source.MANUAL,
                "is_pinned": pin,
            },
        )
    logger.info("%s placed %s in %s (pinned: %s)", by, registration.pk, session.pk, pin)
    return assignment


def assignment_move(*, registration: Registration, session: Session, by=None):
    """Put a participant in a workshop of a round by hand; a later run may move them again.

    The seat they leave is not handed to the waiting list (staff may be moving several people);
    `assignment_fill_free_seats` does that on demand. Side effects: none beyond the database.
    """
    return _place(registration=registration, session=session, pin=False, by=by)


def assignment_pin(*, registration: Registration, session: Session, by=None):
    """Put a participant in a workshop by hand and keep them there when the assignment runs
    again. Side effects: none beyond the database."""
    return _place(registration=registration, session=session, pin=True, by=by)


def assignment_unpin(*, registration: Registration, slot: Slot, by=None) -> int:
    """Let the next run move this participant in this round again."""
    with transaction.atomic():
        count = WorkshopAssignment.objects.filter(
            registration=registration, slot=slot, is_pinned=True
        ).update(is_pinned=False)
    logger.info("%s unpinned %s in %s", by, registration.pk, slot.pk)
    return count


def _apply_moves(data: AssignmentInput, moves: list[algorithm.Move]) -> list[WorkshopAssignment]:
    changed = []
    for move in moves:
        assignment, _created = WorkshopAssignment.objects.update_or_create(
            registration_id=move.participant,
            slot_id=move.round,
            defaults={
                "session_id": move.to_workshop,
                "source": WorkshopAssignment.Source.WAITLIST,
                "is_pinned": False,
            },
        )
        changed.append(assignment)
    moved = sorted({move.participant for move in moves})
    if moved:
        from ..tasks import send_assignment_emails

        task_enqueue_atomic(send_assignment_emails, moved, "changed")
    return changed


def assignment_release(*, registration: Registration) -> list[WorkshopAssignment]:
    """Free a participant's seats (cancellation) and give each to the workshop's waiting list.

    Call it from the cancellation service, in its transaction. A seat goes to the first person
    waiting for that workshop; the seat they leave goes to the first waiting for theirs, and so
    on. Returns the assignments that changed.
    Side effects: e-mails each participant who moved their new programme (after commit).
    """
    with transaction.atomic():
        event = _lock(registration.event)
        released = list(
            WorkshopAssignment.objects.filter(registration=registration).values_list(
                "session_id", flat=True
            )
        )
        WorkshopAssignment.objects.filter(registration=registration).delete()
        if not released:
            return []
        data = assignment_input(event=event)
        moves = algorithm.fill_freed_seats(
            data.participants, data.rounds, data.placements, freed=released, pins=data.pins
        )
        return _apply_moves(data, moves)


def assignment_fill_free_seats(*, event: Event) -> list[WorkshopAssignment]:
    """Give every free seat to its workshop's waiting list (e.g. after moves by hand).

    Side effects: e-mails each participant who moved their new programme (after commit).
    """
    with transaction.atomic():
        event = _lock(event)
        data = assignment_input(event=event)
        freed = [workshop.id for round_ in data.rounds for workshop in round_.workshops]
        moves = algorithm.fill_freed_seats(
            data.participants,
            data.rounds,
            data.placements,
            freed=freed,
            pins=data.pins,
            until_full=True,
        )
        return _apply_moves(data, moves)


def assignment_place(*, registration: Registration) -> list[WorkshopAssignment]:
    """Seat a participant confirmed after the assignment ran (e.g. promoted from the event's
    waiting list): in each round without a seat, their best choice with a free seat, else any
    free seat. Does nothing before the first run. Side effects: none beyond the database.
    """
    with transaction.atomic():
        event = _lock(registration.event)
        if not AssignmentRun.objects.filter(event=event).exists():
            return []
        data = assignment_input(event=event)
        if registration.pk not in data.registrations:
            return []
        # The newcomer first, every seat taken held as it is: first come, first served.
        others = [
            (pk, session_id)
            for (pk, _slot), session_id in data.placements.items()
            if session_id is not None
        ]
        newcomer = next(p for p in data.participants if p.id == registration.pk)
        people = [newcomer, *(p for p in data.participants if p.id != registration.pk)]
        result = algorithm.assign_first_come(people, data.rounds, pins=others)
        created = []
        for slot in data.slots:
            key = (registration.pk, slot.pk)
            session_id = result.placements.get(key)
            if key in data.placements or session_id is None:
                continue
            created.append(
                WorkshopAssignment.objects.create(
                    registration=registration,
                    slot=slot,
                    session_id=session_id,
                    source=WorkshopAssignment.Source.FIRST_COME,
                )
            )
        return created


def assignment_notify(*, event: Event) -> int:
    """E-mail every confirmed participant with a workshop their personal programme.

    Returns how many e-mails were queued. Side effects: one e-mail per participant, sent by a
    background task.
    """
    registration_ids = list(
        Registration.objects.filter(
            event=event,
            status=RegistrationStatus.CONFIRMED,
            assignments__isnull=False,
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if registration_ids:
        from ..tasks import send_assignment_emails

        task_enqueue_atomic(send_assignment_emails, registration_ids, "programme")
    return len(registration_ids)
