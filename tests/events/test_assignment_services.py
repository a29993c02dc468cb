"""Workshop assignment services: runs, pins and moves, waiting lists, release, notification."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from terreau.events.models import (
    AssignmentRun,
    RegistrationStatus,
    WorkshopAssignment,
)
from terreau.events.services.assignment import (
    assignment_fill_free_seats,
    assignment_move,
    assignment_notify,
    assignment_pin,
    assignment_place,
    assignment_release,
    assignment_run,
    assignment_unpin,
)
from tests.events.assignment_fixtures import REPEATED, make_two_rounds, register, seat
from tests.events.factories import EventFactory, SessionFactory


@pytest.fixture
def lille(db):
    return make_two_rounds()


def test_running_the_assignment_seats_everyone_once_per_round_and_stores_the_report(lille, staff):
    event, rounds = lille
    people = [register(event, rounds, [(0, 1), (0, 1)]) for _ in range(4)]
    run = assignment_run(event=event, by=staff)
    assert run.status == "optimal" and run.method == AssignmentRun.Method.OPTIMAL
    assert run.created_by == staff
    assert WorkshopAssignment.objects.count() == 8
    for person in people:
        first, second = seat(person, rounds[0][0]), seat(person, rounds[1][0])
        # Never the same workshop twice: the budget workshop in one round, HR in the other.
        assert first.title != second.title
    report = run.report
    assert report["rounds"][0]["label"].startswith("Tour 1")
    assert report["rounds"][0]["workshops"][0]["label"] == REPEATED[0]
    assert report["overall"]["counts"]["1"] == 4
    assert report["comparison"]["method"] == "first_come"
    assert set(WorkshopAssignment.objects.values_list("source", flat=True)) == {"solver"}


def test_a_new_run_replaces_the_assignments_but_keeps_the_pinned_ones(lille, staff):
    event, rounds = lille
    people = [register(event, rounds, [(0,), (1,)]) for _ in range(2)]
    assignment_pin(registration=people[0], session=rounds[0][1][1], by=staff)
    assignment_run(event=event, method=AssignmentRun.Method.FIRST_COME)
    assert seat(people[0], rounds[0][0]) == rounds[0][1][1]
    assert WorkshopAssignment.objects.get(registration=people[0], slot=rounds[0][0]).is_pinned
    assert seat(people[1], rounds[0][0]) == rounds[0][1][0]
    assert WorkshopAssignment.objects.filter(source="first_come").count() == 3


def test_cancelled_and_waitlisted_registrations_are_not_assigned(lille):
    event, rounds = lille
    register(event, rounds, [(0,), (1,)])
    register(event, rounds, [(0,), (1,)], status=RegistrationStatus.WAITLISTED)
    register(event, rounds, [(0,), (1,)], status=RegistrationStatus.CANCELLED)
    run = assignment_run(event=event)
    assert run.report["participants"] == 1
    assert WorkshopAssignment.objects.count() == 2


def test_not_enough_seats_is_reported_with_the_people_left_without_one(lille):
    event, rounds = lille
    people = [register(event, rounds, [(0,), (1,)]) for _ in range(5)]  # 4 seats in round 1
    run = assignment_run(event=event)
    assert run.status == "infeasible"
    assert run.report["unplaced_count"] == 1
    assert {item["name"] for item in run.report["unplaced_people"]} == {people[4].full_name}


def test_an_event_without_rounds_cannot_be_assigned(db):
    with pytest.raises(ValidationError):
        assignment_run(event=EventFactory())


def test_spreading_categories_mixes_a_workshop_everyone_of_one_kind_wanted(lille):
    event, rounds = lille
    for session in rounds[0][1]:
        session.capacity = 4
        session.save()
    for _ in range(4):
        register(event, rounds, [(0, 1), ()], actor_category="elected")
    for _ in range(4):
        register(event, rounds, [(1, 0), ()], actor_category="citizen")
    plain = assignment_run(event=event)
    assert plain.report["rounds"][0]["workshops"][0]["categories"] == {"elected": 4}
    mixed = assignment_run(event=event, spread_categories=True)
    assert mixed.spread_categories
    assert mixed.report["rounds"][0]["workshops"][0]["categories"] == {
        "citizen": 2,
        "elected": 2,
    }


def test_moving_by_hand_checks_capacity_rounds_and_repeated_topics(lille, staff):
    event, rounds = lille
    people = [register(event, rounds, [(0,), (1,)]) for _ in range(3)]
    assignment_move(registration=people[0], session=rounds[0][1][0], by=staff)
    assignment_move(registration=people[1], session=rounds[0][1][0], by=staff)
    with pytest.raises(ValidationError) as full:
        assignment_move(registration=people[2], session=rounds[0][1][0], by=staff)
    assert "session" in full.value.message_dict
    with pytest.raises(ValidationError) as twice:
        assignment_move(registration=people[0], session=rounds[1][1][0], by=staff)
    assert "tour 1" in twice.value.message_dict["session"][0]
    other_event = SessionFactory(capacity=5)
    with pytest.raises(ValidationError):
        assignment_move(registration=people[2], session=other_event, by=staff)
    moved = assignment_move(registration=people[0], session=rounds[0][1][1], by=staff)
    assert moved.source == "manual" and not moved.is_pinned
    assert WorkshopAssignment.objects.filter(registration=people[0]).count() == 1


def test_only_confirmed_people_can_be_placed(lille, staff):
    event, rounds = lille
    waiting = register(event, rounds, [(), ()], status=RegistrationStatus.WAITLISTED)
    with pytest.raises(ValidationError):
        assignment_pin(registration=waiting, session=rounds[0][1][0], by=staff)
    assert not WorkshopAssignment.objects.exists()


def test_unpinning_lets_the_next_run_move_the_person(lille, staff):
    event, rounds = lille
    person = register(event, rounds, [(0,), (1,)])
    assignment_pin(registration=person, session=rounds[0][1][1], by=staff)
    assert assignment_unpin(registration=person, slot=rounds[0][0], by=staff) == 1
    assignment_run(event=event)
    assert seat(person, rounds[0][0]) == rounds[0][1][0]


def test_a_cancellation_hands_the_seat_down_the_waiting_list_and_tells_who_moved(
    lille, django_capture_on_commit_callbacks
):
    event, rounds = lille
    # Three want the budget workshop (2 seats) in round 1.
    people = [register(event, rounds, [(0, 1), (2,)]) for _ in range(3)]
    assignment_run(event=event)
    mail.outbox.clear()
    outsider = next(p for p in people if seat(p, rounds[0][0]) == rounds[0][1][1])
    leaving = next(p for p in people if seat(p, rounds[0][0]) == rounds[0][1][0])
    leaving.status = RegistrationStatus.CANCELLED
    leaving.save()
    with django_capture_on_commit_callbacks(execute=True):
        changed = assignment_release(registration=leaving)
    assert not WorkshopAssignment.objects.filter(registration=leaving).exists()
    assert seat(outsider, rounds[0][0]) == rounds[0][1][0]
    assert [a.source for a in changed] == ["waitlist"]
    assert [m.to for m in mail.outbox] == [[outsider.email]]
    assert REPEATED[0] in mail.outbox[0].body


def test_filling_free_seats_after_moves_by_hand(lille, staff):
    event, rounds = lille
    people = [register(event, rounds, [(0,), (2,)]) for _ in range(2)]
    assignment_run(event=event)
    assignment_move(registration=people[0], session=rounds[0][1][1], by=staff)
    assert seat(people[0], rounds[0][0]) == rounds[0][1][1]
    changed = assignment_fill_free_seats(event=event)
    assert [(a.registration, a.session) for a in changed] == [(people[0], rounds[0][1][0])]


def test_someone_confirmed_after_the_run_takes_their_best_free_seat(lille):
    event, rounds = lille
    assert assignment_place(registration=register(event, rounds, [(0,), (0,)])) == []
    assignment_run(event=event)
    late = register(event, rounds, [(0,), (0,)])
    created = assignment_place(registration=late)
    # Round 2's budget workshop is the topic they already have: the roomiest other one.
    assert [a.session for a in created] == [rounds[0][1][0], rounds[1][1][2]]


def test_notifying_e_mails_each_participant_their_workshops(
    lille, django_capture_on_commit_callbacks
):
    event, rounds = lille
    people = [register(event, rounds, [(0,), (1,)]) for _ in range(2)]
    register(event, rounds, [(0,), (1,)], status=RegistrationStatus.WAITLISTED)
    assignment_run(event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert assignment_notify(event=event) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    body = mail.outbox[0].body
    assert REPEATED[0] in body and REPEATED[1] in body
    assert "Rencontres nationales" in mail.outbox[0].subject
