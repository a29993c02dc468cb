"""The workshop assignment algorithm (pure: no database), against brute force and properties."""

import itertools
import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terreau.events.assignment import (
    INFEASIBLE,
    OPTIMAL,
    Participant,
    Round,
    Spreading,
    Weights,
    Workshop,
    assign_first_come,
    assign_optimal,
    evaluate,
    fill_freed_seats,
    objective_total,
    waiting_list,
    waiting_lists,
)

WEIGHTS = Weights()

# --- brute force ------------------------------------------------------------------------------


def brute_force_best(
    participants, rounds, *, pins=(), weights=WEIGHTS, spreading=None, allow_unplaced=False
):
    """(unplaced, objective) of the best assignment, by enumerating every one of them.

    The objective is written out again here from its documented definition, independently of the
    module: rank costs, plus `penalty` per person beyond ceil(share × expected size) + slack.
    Leaving someone unplaced is only enumerated with `allow_unplaced` (slow).
    """
    round_of = {w.id: r.id for r in rounds for w in r.workshops}
    pinned = {(p, round_of[w]): w for p, w in pins}
    topic = {w.id: w.topic_key for r in rounds for w in r.workshops}
    capacity = {w.id: w.capacity for r in rounds for w in r.workshops}
    paths_of = []
    for participant in participants:
        options = []
        for round_ in rounds:
            if (participant.id, round_.id) in pinned:
                options.append([pinned[participant.id, round_.id]])
            else:
                options.append(
                    [w.id for w in round_.workshops] + ([None] if allow_unplaced else [])
                )
        paths = []
        for path in itertools.product(*options):
            topics = [topic[w] for w in path if w is not None]
            if len(topics) == len(set(topics)):
                paths.append(path)
        paths_of.append(paths)
    total = len(participants)
    sizes = {}
    for participant in participants:
        if participant.category:
            sizes[participant.category] = sizes.get(participant.category, 0) + 1
    quotas = {}
    if spreading:
        for round_ in rounds:
            seats = sum(w.capacity for w in round_.workshops)
            expected = min(total, seats)
            for w in round_.workshops:
                for category, size in sizes.items():
                    share = math.ceil(size * w.capacity * expected / (total * seats) - 1e-12)
                    quotas[w.id, category] = share + spreading.slack

    def rank_cost(participant, round_id, workshop_id):
        ranked = list(participant.choices.get(round_id, ()))
        if workshop_id not in ranked:
            return weights.unranked
        return weights.rank_costs[min(ranked.index(workshop_id), len(weights.rank_costs) - 1)]

    path_costs = [
        [
            sum(rank_cost(p, r.id, w) for r, w in zip(rounds, path, strict=True) if w is not None)
            for path in paths
        ]
        for p, paths in zip(participants, paths_of, strict=True)
    ]
    best = [None]
    load, by_category = {}, {}

    def search(person, unplaced, cost):
        if person == total:
            penalty = 0
            if spreading:
                penalty = spreading.penalty * sum(
                    max(0, count - quotas[key]) for key, count in by_category.items()
                )
            if best[0] is None or (unplaced, cost + penalty) < best[0]:
                best[0] = (unplaced, cost + penalty)
            return
        category = participants[person].category
        for path, path_cost in zip(paths_of[person], path_costs[person], strict=True):
            if any(w is not None and load.get(w, 0) >= capacity[w] for w in path):
                continue
            for w in path:
                if w is not None:
                    load[w] = load.get(w, 0) + 1
                    if category:
                        by_category[w, category] = by_category.get((w, category), 0) + 1
            search(person + 1, unplaced + path.count(None), cost + path_cost)
            for w in path:
                if w is not None:
                    load[w] -= 1
                    if category:
                        by_category[w, category] -= 1

    search(0, 0, 0)
    if best[0] is None and not allow_unplaced:  # nobody can be left out: enumerate that too
        return brute_force_best(
            participants,
            rounds,
            pins=pins,
            weights=weights,
            spreading=spreading,
            allow_unplaced=True,
        )
    return best[0]


def random_instance(rng, *, people=5, rounds=2, workshops=3, shared_topics=False, seats=(1, 3)):
    made = []
    for r in range(rounds):
        made.append(
            Round(
                id=f"r{r}",
                workshops=tuple(
                    Workshop(
                        id=f"r{r}w{w}",
                        capacity=rng.randint(*seats),
                        topic=f"t{w}" if shared_topics else None,
                    )
                    for w in range(workshops)
                ),
            )
        )
    participants = []
    for number in range(people):
        choices = {}
        for round_ in made:
            ids = [w.id for w in round_.workshops]
            rng.shuffle(ids)
            choices[round_.id] = tuple(ids[: rng.randint(0, min(3, len(ids)))])
        participants.append(
            Participant(
                id=number,
                category=rng.choice(["elected", "staff", "citizen", None]),
                choices=choices,
            )
        )
    return participants, made


# --- optimality against brute force -----------------------------------------------------------


@pytest.mark.parametrize("seed", range(12))
def test_optimal_matches_brute_force_on_small_instances(seed):
    rng = random.Random(seed)
    participants, rounds = random_instance(rng, shared_topics=seed % 2 == 0, seats=(1, 4))
    result = assign_optimal(participants, rounds)
    assert objective_total(result.report) == brute_force_best(participants, rounds)


@pytest.mark.parametrize("seed", range(8))
def test_optimal_matches_brute_force_with_category_spreading(seed):
    rng = random.Random(100 + seed)
    participants, rounds = random_instance(rng, shared_topics=seed % 2 == 1, seats=(2, 4))
    spreading = Spreading(slack=0, penalty=2)
    result = assign_optimal(participants, rounds, spreading=spreading)
    expected = brute_force_best(participants, rounds, spreading=spreading)
    assert objective_total(result.report) == expected


@pytest.mark.parametrize("seed", range(6))
def test_optimal_matches_brute_force_with_pins_and_other_weights(seed):
    rng = random.Random(200 + seed)
    participants, rounds = random_instance(rng, shared_topics=True, seats=(2, 3))
    pins = [(0, rounds[0].workshops[seed % 3].id), (1, rounds[1].workshops[(seed + 1) % 3].id)]
    weights = Weights(rank_costs=(0, 2, 5), unranked=20)
    result = assign_optimal(participants, rounds, pins=pins, weights=weights)
    assert objective_total(result.report) == brute_force_best(
        participants, rounds, pins=pins, weights=weights
    )


def test_brute_force_agrees_when_capacity_is_too_small():
    rng = random.Random(7)
    participants, rounds = random_instance(rng, people=4, workshops=2, seats=(1, 1))
    result = assign_optimal(participants, rounds)
    assert objective_total(result.report) == brute_force_best(
        participants, rounds, allow_unplaced=True
    )
    assert result.status == INFEASIBLE
    assert result.report["unplaced_count"] == 4  # two seats for four people, in each round


# --- the rules ---------------------------------------------------------------------------------


def three_rounds_like_lille():
    """Round 1 has four workshops; rounds 2 and 3 offer the same three exchange workshops."""
    round1 = Round("r1", tuple(Workshop(f"a{i}", 2) for i in range(4)))
    repeated = ["budget", "rh", "mobiliser"]
    round2 = Round("r2", tuple(Workshop(f"b-{t}", 3, topic=t) for t in repeated))
    round3 = Round("r3", tuple(Workshop(f"c-{t}", 3, topic=t) for t in repeated))
    return [round1, round2, round3]


def test_every_participant_gets_one_workshop_per_round_within_capacity():
    rounds = three_rounds_like_lille()
    participants = [
        Participant(i, choices={"r1": ("a0", "a1"), "r2": ("b-budget",), "r3": ("c-budget",)})
        for i in range(8)
    ]
    result = assign_optimal(participants, rounds)
    assert result.status == OPTIMAL
    for round_ in rounds:
        placed = [result.workshop_of(p.id, round_.id) for p in participants]
        assert None not in placed
        for workshop in round_.workshops:
            assert placed.count(workshop.id) <= workshop.capacity


def test_a_topic_repeated_in_two_rounds_is_never_attended_twice():
    rounds = three_rounds_like_lille()
    # Everyone wants the budget workshop first in both rounds.
    participants = [
        Participant(i, choices={"r2": ("b-budget", "b-rh"), "r3": ("c-budget", "c-rh")})
        for i in range(6)
    ]
    result = assign_optimal(participants, rounds)
    for participant in participants:
        topics = [result.workshop_of(participant.id, r).split("-")[1] for r in ("r2", "r3")]
        assert len(set(topics)) == 2
    # Three get budget in round 2, the other three in round 3: everyone has it once.
    budget = [
        p.id
        for p in participants
        if "budget" in (result.workshop_of(p.id, "r2"), result.workshop_of(p.id, "r3"))
        or result.workshop_of(p.id, "r2") == "b-budget"
        or result.workshop_of(p.id, "r3") == "c-budget"
    ]
    assert len(budget) == 6


def test_pinned_participants_stay_where_staff_put_them():
    rounds = three_rounds_like_lille()
    participants = [Participant(i, choices={"r1": ("a0",)}) for i in range(8)]
    result = assign_optimal(participants, rounds, pins=[(7, "a3"), (6, "b-rh")])
    assert result.workshop_of(7, "r1") == "a3"
    assert result.workshop_of(6, "r2") == "b-rh"
    assert result.workshop_of(6, "r3") != "c-rh"


def test_pins_that_repeat_a_topic_are_refused():
    rounds = three_rounds_like_lille()
    with pytest.raises(ValueError, match="pinned twice"):
        assign_optimal([Participant(1)], rounds, pins=[(1, "b-rh"), (1, "c-rh")])


def test_choices_of_a_workshop_from_another_round_are_refused():
    rounds = three_rounds_like_lille()
    with pytest.raises(ValueError, match="not in round"):
        assign_optimal([Participant(1, choices={"r1": ("b-rh",)})], rounds)


def test_earlier_registrants_win_ties_within_a_profile():
    rounds = [Round("r", (Workshop("x", 1), Workshop("y", 5)))]
    participants = [Participant(i, choices={"r": ("x", "y")}) for i in range(4)]
    result = assign_optimal(participants, rounds)
    assert result.workshop_of(0, "r") == "x"
    assert [result.workshop_of(i, "r") for i in range(1, 4)] == ["y", "y", "y"]


def test_someone_who_lost_a_round_is_served_first_in_the_next():
    rounds = [
        Round("r1", (Workshop("x", 1), Workshop("y", 5))),
        Round("r2", (Workshop("u", 1), Workshop("v", 5))),
    ]
    participants = [Participant(i, choices={"r1": ("x",), "r2": ("u",)}) for i in range(3)]
    result = assign_optimal(participants, rounds)
    winners = {result.placements[i, "r1"] == "x" for i in range(3)}
    assert winners == {True, False}
    first_round_winner = next(i for i in range(3) if result.placements[i, "r1"] == "x")
    assert result.placements[first_round_winner, "r2"] == "v"


def test_the_same_input_gives_the_same_assignment():
    rng = random.Random(42)
    participants, rounds = random_instance(
        rng, people=40, rounds=3, workshops=4, seats=(8, 16), shared_topics=True
    )
    first = assign_optimal(participants, rounds, spreading=Spreading())
    again = assign_optimal(list(participants), list(rounds), spreading=Spreading())
    assert first.placements == again.placements
    assert first.report["objective"] == again.report["objective"]


def test_too_few_seats_is_reported_with_who_could_not_be_placed():
    rounds = [Round("r", (Workshop("x", 2), Workshop("y", 1)))]
    participants = [Participant(i, choices={"r": ("x",)}) for i in range(5)]
    result = assign_optimal(participants, rounds)
    assert result.status == INFEASIBLE
    assert result.report["unplaced_count"] == 2
    assert result.report["unplaced"] == [[3, "r"], [4, "r"]]
    assert [result.workshop_of(i, "r") for i in range(3)] == ["x", "x", "y"]


def test_the_report_explains_ranks_fill_and_missed_first_choices():
    rounds = [
        Round("r1", (Workshop("x", 2), Workshop("y", 2))),
        Round("r2", (Workshop("u", 2), Workshop("v", 2))),
    ]
    participants = [
        Participant(
            i,
            category="elected" if i < 2 else "citizen",
            choices={"r1": ("x", "y"), "r2": ("u", "v")},
        )
        for i in range(4)
    ]
    report = assign_optimal(participants, rounds).report
    assert report["status"] == OPTIMAL
    assert report["overall"]["counts"] == {"1": 4, "2": 4, "3": 0, "unranked": 0, "unplaced": 0}
    assert report["overall"]["shares"]["1"] == 0.5
    assert report["rounds"][0]["workshops"][0] | {"categories": None} == {
        "id": "x",
        "capacity": 2,
        "assigned": 2,
        "fill": 1.0,
        "first_choices": 4,
        "categories": None,
        "quota_excess": report["rounds"][0]["workshops"][0]["quota_excess"],
        "quotas": {},
    }
    # The tie-break serves those who lost round 1 first in round 2: nobody misses out twice.
    assert report["no_first_choice_any_round"] == 0
    assert report["objective"] == 4
    assert report["solver"]["name"].startswith("HiGHS")
    assert report["solve_seconds"] >= 0


def test_spreading_mixes_categories_that_all_want_the_same_workshop():
    rounds = [Round("r", (Workshop("budget", 6), Workshop("numerique", 6)))]
    participants = [
        Participant(
            i,
            category="elected" if i < 6 else "citizen",
            choices={"r": ("budget", "numerique") if i < 6 else ("numerique", "budget")},
        )
        for i in range(12)
    ]
    plain = assign_optimal(participants, rounds)
    assert plain.report["rounds"][0]["workshops"][0]["categories"] == {"elected": 6}
    mixed = assign_optimal(participants, rounds, spreading=Spreading(slack=0, penalty=2))
    budget = mixed.report["rounds"][0]["workshops"][0]
    assert budget["categories"] == {"citizen": 3, "elected": 3}
    assert budget["quotas"] == {"citizen": 3, "elected": 3}
    assert mixed.report["quota_excess"] == 0 < plain.report["quota_excess"]
    # A penalty lower than the cost of a second choice leaves people where they wished.
    cheap = assign_optimal(participants, rounds, spreading=Spreading(slack=0, penalty=0))
    assert cheap.report["placement_cost"] == 0


def test_weights_must_be_non_decreasing_integers():
    with pytest.raises(ValueError):
        Weights(rank_costs=(0, 3, 1))
    with pytest.raises(ValueError):
        Weights(rank_costs=(0, 1.5))
    assert Weights(rank_costs=(0, 1, 3), unranked=10).cost(5) == 3


# --- first come, first served ----------------------------------------------------------------


def test_first_come_serves_registrations_in_order():
    rounds = [Round("r", (Workshop("x", 1), Workshop("y", 1), Workshop("z", 3)))]
    participants = [Participant(i, choices={"r": ("x", "y")}) for i in range(3)]
    result = assign_first_come(participants, rounds)
    assert [result.workshop_of(i, "r") for i in range(3)] == ["x", "y", "z"]
    assert result.report["method"] == "first_come"


def test_optimal_beats_first_come_when_order_matters():
    rounds = [Round("r", (Workshop("x", 1), Workshop("y", 1)))]
    participants = [
        Participant(0, choices={"r": ("x", "y")}),  # flexible, registered first
        Participant(1, choices={"r": ("x",)}),  # only x
    ]
    first = assign_first_come(participants, rounds)
    best = assign_optimal(participants, rounds)
    assert first.report["objective"] == 10  # person 1 lands in an unranked workshop
    assert best.report["objective"] == 1
    assert best.workshop_of(1, "r") == "x"


def test_evaluate_scores_placements_from_elsewhere():
    rounds = [Round("r", (Workshop("x", 1), Workshop("y", 1)))]
    participants = [Participant(0, choices={"r": ("x", "y")}), Participant(1)]
    report = evaluate(participants, rounds, {(0, "r"): "y", (1, "r"): None})
    assert report["objective"] == 1
    assert report["unplaced"] == [[1, "r"]]


# --- properties --------------------------------------------------------------------------------


@st.composite
def instances(draw):
    rng = random.Random(draw(st.integers(0, 10_000)))
    rounds = draw(st.integers(1, 3))
    workshops = draw(st.integers(1, 4))
    people = draw(st.integers(0, 25))
    shared = draw(st.booleans())
    participants, made = random_instance(
        rng,
        people=people,
        rounds=rounds,
        workshops=workshops,
        shared_topics=shared,
        seats=(0, 9),
    )
    return participants, made, shared


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.booleans())
def test_properties_of_the_optimal_assignment(instance, spread):
    participants, rounds, shared = instance
    spreading = Spreading() if spread else None
    result = assign_optimal(participants, rounds, spreading=spreading)
    baseline = assign_first_come(participants, rounds, spreading=spreading)
    # Each person once per round, capacities respected, no topic twice.
    for participant in participants:
        topics = []
        for round_ in rounds:
            assert (participant.id, round_.id) in result.placements
            workshop = result.workshop_of(participant.id, round_.id)
            if workshop is not None:
                assert workshop in {w.id for w in round_.workshops}
                topics.append(next(w.topic_key for w in round_.workshops if w.id == workshop))
        assert len(topics) == len(set(topics))
    for round_ in rounds:
        for workshop in round_.workshops:
            seated = sum(result.workshop_of(p.id, round_.id) == workshop.id for p in participants)
            assert seated <= workshop.capacity
    # Everyone is placed whenever the seats allow it (distinct topics: seats per round suffice).
    seats_suffice = all(sum(w.capacity for w in r.workshops) >= len(participants) for r in rounds)
    if seats_suffice and not shared:
        assert result.status == OPTIMAL
    # Never worse than the baseline: fewer unplaced, or as many and a lower objective.
    assert objective_total(result.report) <= objective_total(baseline.report)


# --- waiting lists -----------------------------------------------------------------------------


def test_the_waiting_list_puts_people_without_a_seat_first_then_by_rank_and_registration():
    rounds = [Round("r", (Workshop("x", 1), Workshop("y", 2), Workshop("z", 2)))]
    participants = [
        Participant(0, choices={"r": ("x",)}),
        Participant(1, choices={"r": ("y", "x")}),  # x only second: holds y, not waiting
        Participant(2, choices={"r": ("z", "x")}),  # holds y, ranked x second
        Participant(3, choices={"r": ("x", "y")}),  # holds z, ranked x first
        Participant(4, choices={"r": ("y",)}),  # no seat
    ]
    placements = {(0, "r"): "x", (1, "r"): "y", (2, "r"): "y", (3, "r"): "z", (4, "r"): None}
    assert waiting_list(participants, rounds, placements, "x") == [4, 3, 2]
    assert waiting_list(participants, rounds, placements, "x", pins=[(3, "z")]) == [4, 2]


def test_a_freed_seat_cascades_down_the_waiting_lists():
    rounds = [Round("r", (Workshop("x", 1), Workshop("y", 1), Workshop("z", 5)))]
    participants = [
        Participant(0, choices={"r": ("x",)}),  # cancels: x is freed
        Participant(1, choices={"r": ("x", "y")}),  # in y, wants x
        Participant(2, choices={"r": ("y", "z")}),  # in z, wants y
    ]
    placements = {(1, "r"): "y", (2, "r"): "z"}
    moves = fill_freed_seats(participants[1:], rounds, placements, freed=["x"])
    assert [(m.participant, m.from_workshop, m.to_workshop) for m in moves] == [
        (1, "y", "x"),
        (2, "z", "y"),
    ]


def test_a_freed_seat_never_gives_anyone_a_topic_twice():
    rounds = [
        Round("r1", (Workshop("b1", 1, topic="budget"), Workshop("n1", 5, topic="num"))),
        Round("r2", (Workshop("b2", 1, topic="budget"), Workshop("n2", 5, topic="num"))),
    ]
    participants = [Participant(1, choices={"r2": ("b2",)})]
    placements = {(1, "r1"): "b1", (1, "r2"): "n2"}
    assert fill_freed_seats(participants, rounds, placements, freed=["b2"]) == []


def test_all_waiting_lists_at_once_match_each_one():
    rng = random.Random(3)
    participants, rounds = random_instance(rng, people=12, rounds=2, workshops=3, seats=(2, 4))
    placements = assign_first_come(participants, rounds).placements
    lists = waiting_lists(participants, rounds, placements)
    for round_ in rounds:
        for workshop in round_.workshops:
            assert lists[workshop.id] == waiting_list(participants, rounds, placements, workshop.id)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(0, 24))
def test_freed_seats_only_move_people_up_and_never_overfill(instance, leaving):
    participants, rounds, _shared = instance
    if not participants:
        return
    placements = assign_optimal(participants, rounds).placements
    gone = participants[leaving % len(participants)]
    freed = [placements.pop((gone.id, r.id)) for r in rounds]
    rest = [p for p in participants if p.id != gone.id]
    moves = fill_freed_seats(rest, rounds, placements, freed=[w for w in freed if w is not None])
    after = dict(placements)
    capacity = {w.id: w.capacity for r in rounds for w in r.workshops}
    topic = {w.id: w.topic_key for r in rounds for w in r.workshops}
    for move in moves:
        person = next(p for p in rest if p.id == move.participant)
        ranked = list(person.choices.get(move.round, ()))
        if move.from_workshop is not None:
            assert move.to_workshop in ranked
            assert move.from_workshop not in ranked or ranked.index(
                move.to_workshop
            ) < ranked.index(move.from_workshop)
        after[move.participant, move.round] = move.to_workshop
    for workshop_id, seats in capacity.items():
        assert sum(1 for w in after.values() if w == workshop_id) <= seats
    for person in rest:
        held = [topic[w] for r in rounds if (w := after.get((person.id, r.id))) is not None]
        assert len(held) == len(set(held))


@pytest.mark.parametrize(("seed", "spread"), [(59, True), (90, False), (100, True)])
def test_optimal_matches_brute_force_when_the_relaxation_is_fractional(seed, spread):
    # Seeds whose linear relaxation is fractional: the branch-and-cut fallback solves them.
    rng = random.Random(seed)
    participants, rounds = random_instance(rng, shared_topics=True, seats=(1, 3))
    spreading = Spreading(slack=0, penalty=2) if spread else None
    result = assign_optimal(participants, rounds, spreading=spreading)
    assert objective_total(result.report) == brute_force_best(
        participants, rounds, spreading=spreading
    )
