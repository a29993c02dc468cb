"""Workshop assignment: an optimal integer program (HiGHS) and a first-come baseline (pure Python).

Plain data in, plain data out; no Django import. See docs/assignment.md for the model.

Participants rank workshops in each round; every participant gets exactly one workshop per round,
capacities hold, a *topic* offered in several rounds is never attended twice (the Lille 2014
programme repeats its three exchange workshops in rounds 2 and 3), pinned placements stay, and the
total cost of the ranks obtained is minimal. Optionally each actor category is kept within its
*upper quota* in every workshop (penalised beyond it).

Why it is fast: rounds that share no topic are independent problems, and inside one problem
participants with the same profile (same choices, same pins and — when spreading — the same
category) are interchangeable, so the integer program counts people per profile instead of
deciding for each person. The counts are then expanded into individual placements
deterministically. The aggregated programme has the same optimum as the per-person one.
"""

from __future__ import annotations

import itertools
import math
import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

UNPLACED = None  # the placement of someone who could not be seated in a round
OPTIMAL = "optimal"
INFEASIBLE = "infeasible"  # not everyone could be placed; as many as possible were
TIME_LIMIT = "time_limit"  # best solution found, optimality not proven
FIRST_COME = "first_come"
METHOD_OPTIMAL = "optimal"
METHOD_FIRST_COME = "first_come"
UNRANKED = "unranked"
UNPLACED_KEY = "unplaced"


@dataclass(frozen=True)
class Workshop:
    id: Hashable
    capacity: int
    topic: Hashable = None  # defaults to the workshop's id: a topic repeated in rounds is shared

    @property
    def topic_key(self) -> Hashable:
        return self.id if self.topic is None else self.topic


@dataclass(frozen=True)
class Round:
    id: Hashable
    workshops: tuple[Workshop, ...]


@dataclass(frozen=True)
class Participant:
    id: Hashable
    category: str | None = None
    # round id → workshop ids, best first
    choices: Mapping[Hashable, Sequence[Hashable]] = field(default_factory=dict)


@dataclass(frozen=True)
class Weights:
    """Cost of a placement by the rank it had (1st, 2nd, 3rd…) and when it was not ranked.

    Convex by default (0, 1, 3, then 10): two people on their second choice are better than one on
    the first and one on the third, and an unranked workshop is much worse than any ranked one.
    Ranks deeper than the table cost as much as its last entry.
    """

    rank_costs: tuple[int, ...] = (0, 1, 3)
    unranked: int = 10

    def __post_init__(self):
        costs = (*self.rank_costs, self.unranked)
        if not self.rank_costs or any(int(c) != c or c < 0 for c in costs):
            raise ValueError("Costs must be non-negative integers.")
        if any(a > b for a, b in itertools.pairwise(costs)):
            raise ValueError("Costs must not decrease with the rank.")

    def cost(self, rank: int | None) -> int:
        if rank is None:
            return self.unranked
        return self.rank_costs[min(rank, len(self.rank_costs)) - 1]


@dataclass(frozen=True)
class Spreading:
    """Keep actor categories near their share in every workshop ("croiser les regards").

    Each workshop's seats are apportioned to categories in proportion to their share of the
    round: a workshop expected to hold `size` people (its capacity, scaled down when the round
    has more seats than participants) gives category g the *upper quota* ceil(share_g × size)
    + slack of apportionment theory. Each person beyond it costs `penalty`, on the scale of the
    rank costs (2 = moving someone from a second to a third choice). Quotas are fixed before
    solving, so a round stays a network flow problem (see docs/assignment.md). Participants
    without a category are not counted in any category.
    """

    slack: int = 0
    penalty: int = 2

    def __post_init__(self):
        if any(int(v) != v or v < 0 for v in (self.slack, self.penalty)):
            raise ValueError("Slack and penalty must be non-negative integers.")


@dataclass
class Assignment:
    placements: dict[tuple[Hashable, Hashable], Hashable | None]  # (participant, round) → workshop
    status: str
    report: dict

    def workshop_of(self, participant_id, round_id):
        return self.placements.get((participant_id, round_id))


# ---------------------------------------------------------------------------------------------
# Validation and shared helpers


class _Instance:
    """Checked, indexed input shared by both methods and the evaluation."""

    def __init__(self, participants, rounds, pins, weights, spreading):
        self.participants: list[Participant] = list(participants)
        self.rounds: list[Round] = list(rounds)
        self.weights = weights or Weights()
        self.spreading = spreading
        self.workshop: dict[Hashable, Workshop] = {}
        self.round_of: dict[Hashable, Hashable] = {}
        round_ids = set()
        for round_ in self.rounds:
            if round_.id in round_ids:
                raise ValueError(f"Round {round_.id!r} appears twice.")
            round_ids.add(round_.id)
            topics = set()
            for workshop in round_.workshops:
                if workshop.id in self.workshop:
                    raise ValueError(f"Workshop {workshop.id!r} appears twice.")
                if workshop.capacity < 0:
                    raise ValueError(f"Workshop {workshop.id!r} has a negative capacity.")
                if workshop.topic_key in topics:
                    raise ValueError(f"Topic {workshop.topic_key!r} appears twice in a round.")
                topics.add(workshop.topic_key)
                self.workshop[workshop.id] = workshop
                self.round_of[workshop.id] = round_.id
        ids = set()
        self.rank: dict[tuple[Hashable, Hashable], int] = {}  # (participant idx, workshop) → rank
        for index, participant in enumerate(self.participants):
            if participant.id in ids:
                raise ValueError(f"Participant {participant.id!r} appears twice.")
            ids.add(participant.id)
            for round_id, ranked in participant.choices.items():
                if round_id not in round_ids:
                    raise ValueError(f"Unknown round {round_id!r}.")
                for rank, workshop_id in enumerate(ranked, start=1):
                    if self.round_of.get(workshop_id) != round_id:
                        raise ValueError(f"Workshop {workshop_id!r} is not in round {round_id!r}.")
                    if (index, workshop_id) in self.rank:
                        raise ValueError(f"Workshop {workshop_id!r} ranked twice.")
                    self.rank[index, workshop_id] = rank
        self.index = {p.id: i for i, p in enumerate(self.participants)}
        self.pins: dict[tuple[int, Hashable], Hashable] = {}
        for participant_id, workshop_id in pins or ():
            if participant_id not in self.index:
                raise ValueError(f"Pin of unknown participant {participant_id!r}.")
            if workshop_id not in self.workshop:
                raise ValueError(f"Pin to unknown workshop {workshop_id!r}.")
            key = (self.index[participant_id], self.round_of[workshop_id])
            if self.pins.get(key, workshop_id) != workshop_id:
                raise ValueError(f"Participant {participant_id!r} is pinned twice in a round.")
            self.pins[key] = workshop_id
        self.pinned_count = defaultdict(int)
        for workshop_id in self.pins.values():
            self.pinned_count[workshop_id] += 1
        pinned_topics = defaultdict(set)
        for (index, _round), workshop_id in self.pins.items():
            topic = self.workshop[workshop_id].topic_key
            if topic in pinned_topics[index]:
                raise ValueError(
                    f"Participant {self.participants[index].id!r} is pinned twice to {topic!r}."
                )
            pinned_topics[index].add(topic)
        self.categories = sorted({p.category for p in self.participants if p.category})

    def cost(self, index: int, workshop_id) -> int:
        return self.weights.cost(self.rank.get((index, workshop_id)))

    def max_cost(self) -> int:
        return max(self.weights.unranked, *self.weights.rank_costs)


def _upper_quota_excess(count: int, category_size: int, total: int, size: int, slack: int) -> int:
    """People of a category beyond ceil(share × size) + slack in a workshop of `size` people."""
    if total == 0:
        return 0
    return max(0, count - (-(-category_size * size // total)) - slack)


def _quotas(instance: _Instance) -> dict[tuple[Hashable, str], int]:
    """(workshop, category) → seats the category may hold without penalty (with the slack)."""
    total = len(instance.participants)
    category_size = defaultdict(int)
    for participant in instance.participants:
        if participant.category:
            category_size[participant.category] += 1
    quotas = {}
    for round_ in instance.rounds:
        capacity = {w.id: _effective_capacity(instance, w) for w in round_.workshops}
        seats = sum(capacity.values())
        expected = min(total, seats)  # people the round's workshops will hold
        for workshop in round_.workshops:
            for category in instance.categories:
                # ceil(share × capacity × expected / seats), in integers
                numerator = category_size[category] * capacity[workshop.id] * expected
                denominator = total * seats
                quota = -(-numerator // denominator) if denominator else 0
                quotas[workshop.id, category] = quota + instance.spreading.slack
    return quotas


def _effective_capacity(instance: _Instance, workshop: Workshop) -> int:
    """The capacity, or the number of people pinned there when staff pinned more."""
    return max(workshop.capacity, instance.pinned_count[workshop.id])


def _evaluate(instance: _Instance, placements, *, method, status, seconds, solver, warnings):
    """The report of any set of placements, from the same definitions as the integer program."""
    weights, spreading = instance.weights, instance.spreading
    participants = instance.participants
    total = len(participants)
    category_size = defaultdict(int)
    for participant in participants:
        if participant.category:
            category_size[participant.category] += 1
    rank_labels = [str(r) for r in range(1, _max_rank(instance) + 1)]
    quotas = _quotas(instance) if spreading else {}
    overall = dict.fromkeys([*rank_labels, UNRANKED, UNPLACED_KEY], 0)
    placement_cost = spread_penalty = quota_excess = 0
    got_first = [False] * total
    wanted_first = [False] * total
    rounds_report, unplaced = [], []
    for round_ in instance.rounds:
        counts = dict.fromkeys(overall, 0)
        assigned = defaultdict(int)
        by_category = defaultdict(lambda: defaultdict(int))
        demand = defaultdict(int)
        for index, participant in enumerate(participants):
            ranked = participant.choices.get(round_.id, ())
            if ranked:
                demand[ranked[0]] += 1
                wanted_first[index] = True
            workshop_id = placements.get((participant.id, round_.id))
            if workshop_id is None:
                counts[UNPLACED_KEY] += 1
                unplaced.append([participant.id, round_.id])
                continue
            rank = instance.rank.get((index, workshop_id))
            counts[str(rank) if rank else UNRANKED] += 1
            got_first[index] |= rank == 1
            placement_cost += weights.cost(rank)
            assigned[workshop_id] += 1
            if participant.category:
                by_category[workshop_id][participant.category] += 1
        workshops = []
        for workshop in round_.workshops:
            size = assigned[workshop.id]
            categories = dict(sorted(by_category[workshop.id].items()))
            excess = {
                category: _upper_quota_excess(count, category_size[category], total, size, 0)
                for category, count in categories.items()
            }
            quota_excess += sum(excess.values())
            if spreading:
                spread_penalty += spreading.penalty * sum(
                    max(0, count - quotas[workshop.id, category])
                    for category, count in categories.items()
                )
            workshops.append(
                {
                    "id": workshop.id,
                    "capacity": workshop.capacity,
                    "assigned": size,
                    "fill": round(size / workshop.capacity, 4) if workshop.capacity else None,
                    "first_choices": demand[workshop.id],
                    "categories": categories,
                    "quota_excess": sum(excess.values()),
                    "quotas": {
                        category: quotas[workshop.id, category] for category in instance.categories
                    }
                    if spreading
                    else {},
                }
            )
        for key, value in counts.items():
            overall[key] += value
        rounds_report.append(
            {
                "id": round_.id,
                "counts": counts,
                "shares": _shares(counts, total),
                "workshops": workshops,
            }
        )
    objective = placement_cost + spread_penalty
    return {
        "method": method,
        "status": status,
        "objective": objective,
        "placement_cost": placement_cost,
        "spread_penalty": spread_penalty,
        "quota_excess": quota_excess,
        "participants": total,
        "unplaced_count": len(unplaced),
        "unplaced": unplaced,
        "no_first_choice_any_round": sum(
            1 for got, wanted in zip(got_first, wanted_first, strict=True) if wanted and not got
        ),
        "overall": {"counts": overall, "shares": _shares(overall, total * len(instance.rounds))},
        "rounds": rounds_report,
        "ranks": rank_labels,
        "weights": {"rank_costs": list(weights.rank_costs), "unranked": weights.unranked},
        "spreading": (
            {"slack": spreading.slack, "penalty": spreading.penalty} if spreading else None
        ),
        "categories": {category: category_size[category] for category in instance.categories},
        "solve_seconds": round(seconds, 4),
        "solver": solver,
        "warnings": warnings,
    }


def _max_rank(instance: _Instance) -> int:
    deepest = max((len(r) for p in instance.participants for r in p.choices.values()), default=0)
    return max(deepest, len(instance.weights.rank_costs))


def _shares(counts: dict, total: int) -> dict:
    return {key: (round(value / total, 4) if total else 0.0) for key, value in counts.items()}


def evaluate(participants, rounds, placements, *, pins=(), weights=None, spreading=None) -> dict:
    """The report (objective, rank shares, fill…) of given placements, e.g. from a database."""
    instance = _Instance(participants, rounds, pins, weights, spreading)
    return _evaluate(
        instance,
        placements,
        method="evaluated",
        status="evaluated",
        seconds=0.0,
        solver=None,
        warnings=[],
    )


def objective_total(report: dict) -> tuple[int, int]:
    """What both methods minimise, in order: people left unplaced, then the objective."""
    return (report["unplaced_count"], report["objective"])


def _pin_warnings(instance: _Instance) -> list[str]:
    pinned = defaultdict(int)
    for workshop_id in instance.pins.values():
        pinned[workshop_id] += 1
    return [
        f"Pinned participants exceed the capacity of workshop {workshop_id!r} "
        f"({count} > {instance.workshop[workshop_id].capacity})."
        for workshop_id, count in pinned.items()
        if count > instance.workshop[workshop_id].capacity
    ]


# ---------------------------------------------------------------------------------------------
# First come, first served


def assign_first_come(participants, rounds, *, pins=(), weights=None, spreading=None) -> Assignment:
    """The baseline: in registration order, each person takes their best choice with a free seat.

    Pinned placements are taken first. With no ranked workshop left, a person takes the workshop
    with the most free seats (then the first listed) whose topic they do not already have.
    `weights` and `spreading` only affect the reported objective.
    """
    started = time.perf_counter()
    instance = _Instance(participants, rounds, pins, weights, spreading)
    free = {w.id: w.capacity for w in instance.workshop.values()}
    placements = {}
    topics = defaultdict(set)
    for (index, round_id), workshop_id in instance.pins.items():
        placements[instance.participants[index].id, round_id] = workshop_id
        free[workshop_id] -= 1
        topics[index].add(instance.workshop[workshop_id].topic_key)
    for index, participant in enumerate(instance.participants):
        for round_ in instance.rounds:
            if (index, round_.id) in instance.pins:
                continue
            chosen = None
            for workshop_id in participant.choices.get(round_.id, ()):
                topic = instance.workshop[workshop_id].topic_key
                if free[workshop_id] > 0 and topic not in topics[index]:
                    chosen = workshop_id
                    break
            if chosen is None:
                open_ = [
                    w
                    for w in round_.workshops
                    if free[w.id] > 0 and w.topic_key not in topics[index]
                ]
                if open_:
                    chosen = max(open_, key=lambda w: free[w.id]).id
            placements[participant.id, round_.id] = chosen
            if chosen is not None:
                free[chosen] -= 1
                topics[index].add(instance.workshop[chosen].topic_key)
    seconds = time.perf_counter() - started
    unplaced = sum(1 for value in placements.values() if value is None)
    status = INFEASIBLE if unplaced else FIRST_COME
    report = _evaluate(
        instance,
        placements,
        method=METHOD_FIRST_COME,
        status=status,
        seconds=seconds,
        solver=None,
        warnings=_pin_warnings(instance),
    )
    return Assignment(placements=placements, status=status, report=report)


# ---------------------------------------------------------------------------------------------
# Optimal assignment


def _components(instance: _Instance) -> list[list[Round]]:
    """Groups of rounds linked by a shared topic (union–find), in programme order."""
    parent = list(range(len(instance.rounds)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_round_of_topic = {}
    for position, round_ in enumerate(instance.rounds):
        for workshop in round_.workshops:
            other = first_round_of_topic.setdefault(workshop.topic_key, position)
            parent[find(position)] = find(other)
    groups = defaultdict(list)
    for position, round_ in enumerate(instance.rounds):
        groups[find(position)].append(round_)
    return [groups[key] for key in sorted(groups)]


def assign_optimal(
    participants: Iterable[Participant],
    rounds: Iterable[Round],
    *,
    pins: Iterable[tuple[Hashable, Hashable]] = (),
    weights: Weights | None = None,
    spreading: Spreading | None = None,
    time_limit: float = 120.0,
) -> Assignment:
    """Minimum-cost placements (integer program solved by HiGHS), deterministic for the same input.

    Lexicographic objective: first place as many people as capacities allow (when they do not,
    the status is INFEASIBLE and the report lists who could not be placed), then minimise the
    rank costs plus the spreading penalty. Among equally good solutions, members of one profile
    are served in registration order, except that someone who fared worse in earlier rounds
    gets the better seat first.
    """
    started = time.perf_counter()
    instance = _Instance(participants, rounds, pins, weights, spreading)
    placements: dict[tuple[Hashable, Hashable], Hashable | None] = {}
    cost_so_far = [0] * len(instance.participants)
    statuses, stats = [], {"components": 0, "profiles": 0, "variables": 0, "constraints": 0}
    for component in _components(instance):
        status, component_stats = _solve_component(
            instance, component, placements, cost_so_far, time_limit
        )
        statuses.append(status)
        for key, value in component_stats.items():
            stats[key] += value
        stats["components"] += 1
    seconds = time.perf_counter() - started
    unplaced = sum(1 for value in placements.values() if value is None)
    if TIME_LIMIT in statuses:
        status = TIME_LIMIT
    elif unplaced:
        status = INFEASIBLE
    else:
        status = OPTIMAL
    import highspy  # noqa: PLC0415 — keeps the baseline usable without the solver

    version = (
        f"{highspy.HIGHS_VERSION_MAJOR}.{highspy.HIGHS_VERSION_MINOR}.{highspy.HIGHS_VERSION_PATCH}"
    )
    solver = {"name": f"HiGHS {version}", **stats}
    report = _evaluate(
        instance,
        placements,
        method=METHOD_OPTIMAL,
        status=status,
        seconds=seconds,
        solver=solver,
        warnings=_pin_warnings(instance),
    )
    return Assignment(placements=placements, status=status, report=report)


def _solve_component(instance, component, placements, cost_so_far, time_limit):
    """Solve one group of rounds on profiles, then expand the counts into placements.

    A single round is a minimum-cost flow: profiles → (category, workshop) → workshop, with a
    free arc up to the category's quota and a penalised one beyond. Its constraint matrix is a
    network matrix (totally unimodular), so the simplex method returns an integral optimum of
    the linear programme. Rounds sharing topics are solved on paths (one workshop per round)
    as an integer programme.
    """
    spreading = instance.spreading
    participants = instance.participants
    round_ids = [r.id for r in component]
    network = len(component) == 1
    # Profiles: interchangeable participants for this group of rounds.
    profiles: dict[tuple, list[int]] = {}
    for index, participant in enumerate(participants):
        key = (
            participant.category if spreading else None,
            tuple(tuple(participant.choices.get(r, ())) for r in round_ids),
            tuple(instance.pins.get((index, r)) for r in round_ids),
        )
        profiles.setdefault(key, []).append(index)
    total = len(participants)
    # Lexicographic weight of an unplaced seat: more than any possible rest of the objective.
    spread_max = spreading.penalty if spreading else 0
    unplaced_cost = 1 + total * len(component) * (instance.max_cost() + spread_max)
    model = _Model()
    profile_list = list(profiles.items())
    for _key, members in profile_list:
        model.row(len(members), len(members))
    workshops = [w for r in component for w in r.workshops]
    quotas = _quotas(instance) if spreading else {}
    # Rows where a placement of a profile of `category` in `workshop` is counted.
    target_rows: dict[tuple, list[tuple[int, float]]] = {}
    for workshop in workshops:
        capacity_row = model.row(-math.inf, _effective_capacity(instance, workshop))
        target_rows[None, workshop.id] = [(capacity_row, 1.0)]
        for category in instance.categories if spreading else ():
            quota = quotas[workshop.id, category]
            if network:
                # (category, workshop) node: in from the profiles, out to the workshop by a
                # free arc (≤ quota) and a penalised one.
                node = model.row(0, 0)
                target_rows[category, workshop.id] = [(node, 1.0)]
                entries = [(node, -1.0), (capacity_row, 1.0)]
                model.column(0, quota, entries, integer=False)
                model.column(spreading.penalty, total, entries, integer=False)
            else:
                row = model.row(-math.inf, quota)
                target_rows[category, workshop.id] = [(capacity_row, 1.0), (row, 1.0)]
                model.column(spreading.penalty, total, [(row, -1.0)], integer=True)
    # Placement columns: (profile, path), path = one workshop (or UNPLACED) per round.
    columns, profile_columns = [], []
    for profile_number, ((category, _choices, pinned), members) in enumerate(profile_list):
        first, start = members[0], len(columns)
        options = [
            [pin] if pin is not None else [*(w.id for w in round_.workshops), UNPLACED]
            for round_, pin in zip(component, pinned, strict=True)
        ]
        for path in itertools.product(*options):
            topics = [instance.workshop[w].topic_key for w in path if w is not None]
            if len(topics) != len(set(topics)):
                continue
            cost = sum(unplaced_cost if w is None else instance.cost(first, w) for w in path)
            entries = [(profile_number, 1.0)]
            for workshop_id in path:
                if workshop_id is not None:
                    entries.extend(target_rows[category, workshop_id])
            column = model.column(cost, len(members), entries, integer=not network)
            columns.append((column, path))
        profile_columns.append(range(start, len(columns)))
    values, status = model.solve(time_limit)
    # Expansion: hand each profile's paths out deterministically.
    order = {w.id: i for i, w in enumerate(workshops)}
    for profile_number, (_key, members) in enumerate(profile_list):
        paths = []
        for position in profile_columns[profile_number]:
            column, path = columns[position]
            paths.extend([(model.costs[column], path)] * values[column])
        paths.sort(key=lambda item: (item[0], [order.get(w, len(order)) for w in item[1]]))
        # Worst-served so far first, then registration order.
        queue = sorted(members, key=lambda i: (-cost_so_far[i], i))
        if len(paths) != len(queue):
            raise RuntimeError("The solver returned an inconsistent solution.")
        for index, (_cost, path) in zip(queue, paths, strict=True):
            for round_id, workshop_id in zip(round_ids, path, strict=True):
                placements[participants[index].id, round_id] = workshop_id
                cost_so_far[index] += (
                    instance.cost(index, workshop_id)
                    if workshop_id is not None
                    else instance.max_cost()
                )
    stats = {
        "profiles": len(profile_list),
        "variables": len(model.costs),
        "constraints": len(model.rows_upper),
    }
    return status, stats


_banner_shown = threading.Lock()


def _new_highs():
    """A HiGHS instance; the first one of the process prints a copyright banner on stdout (not a
    log), which is silenced here by pointing the file descriptor elsewhere for that moment."""
    import highspy  # noqa: PLC0415

    if not _banner_shown.acquire(blocking=False):
        return highspy.Highs()
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


# Fixed options: same input, same path through the solver, same answer.
HIGHS_OPTIONS = {
    "output_flag": False,
    "random_seed": 0,
    "threads": 1,
    "mip_rel_gap": 0.0,
    "mip_abs_gap": 0.999,  # every cost is an integer: a gap below 1 proves optimality
}


class _Model:
    """A sparse minimisation model built column by column, solved by HiGHS."""

    def __init__(self):
        self.costs, self.upper, self.integer, self.entries = [], [], [], []
        self.rows_lower, self.rows_upper = [], []

    def row(self, lower, upper) -> int:
        self.rows_lower.append(lower)
        self.rows_upper.append(upper)
        return len(self.rows_upper) - 1

    def column(self, cost, upper, entries, *, integer) -> int:
        self.costs.append(cost)
        self.upper.append(upper)
        self.entries.append(entries)
        self.integer.append(integer)
        return len(self.costs) - 1

    def solve(self, time_limit):
        """Integer values of an optimal solution, and OPTIMAL or TIME_LIMIT."""
        import highspy  # noqa: PLC0415 — keeps the baseline usable without the solver

        inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(self.costs), len(self.rows_upper)
        lp.col_cost_ = [float(c) for c in self.costs]
        lp.col_lower_ = [0.0] * len(self.costs)
        lp.col_upper_ = [float(u) for u in self.upper]
        lp.row_lower_ = [-inf if v == -math.inf else float(v) for v in self.rows_lower]
        lp.row_upper_ = [float(v) for v in self.rows_upper]
        starts, index, value = [0], [], []
        for entries in self.entries:
            for row, coefficient in entries:
                index.append(row)
                value.append(coefficient)
            starts.append(len(index))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, index, value
        highs = _new_highs()
        for name, option in {**HIGHS_OPTIONS, "time_limit": float(time_limit)}.items():
            highs.setOptionValue(name, option)
        # The linear relaxation first (simplex: a vertex). Its optimum is a lower bound; when it
        # is integral it is the integer optimum, and the branch-and-cut is not needed.
        highs.setOptionValue("solver", "simplex")
        highs.passModel(lp)
        status = self._run(highs)
        values = list(highs.getSolution().col_value)
        rounded = [round(v) for v in values]
        if any(abs(v - r) > 1e-6 for v, r in zip(values, rounded, strict=True)):
            if not any(self.integer):
                raise RuntimeError("The solver returned a fractional solution.")
            kinds = highspy.HighsVarType
            lp.integrality_ = [
                kinds.kInteger if integer else kinds.kContinuous for integer in self.integer
            ]
            highs.clearModel()
            for name, option in {**HIGHS_OPTIONS, "time_limit": float(time_limit)}.items():
                highs.setOptionValue(name, option)
            highs.passModel(lp)
            status = self._run(highs)
            rounded = [round(v) for v in highs.getSolution().col_value]
        return rounded, status

    @staticmethod
    def _run(highs):
        import highspy  # noqa: PLC0415

        highs.run()
        model_status = highs.getModelStatus()
        if model_status in (
            highspy.HighsModelStatus.kOptimal,
            highspy.HighsModelStatus.kModelEmpty,
        ):
            return OPTIMAL
        if (
            model_status == highspy.HighsModelStatus.kTimeLimit
            and highs.getInfo().primal_solution_status
        ):
            return TIME_LIMIT
        raise RuntimeError(f"HiGHS: {highs.modelStatusToString(model_status)}")


# ---------------------------------------------------------------------------------------------
# Waiting lists per workshop


@dataclass(frozen=True)
class Move:
    participant: Hashable
    round: Hashable
    from_workshop: Hashable | None
    to_workshop: Hashable


def _waiting_list(instance: _Instance, placements, workshop_id) -> list[int]:
    round_id = instance.round_of[workshop_id]
    topic = instance.workshop[workshop_id].topic_key
    waiting = []
    for index, participant in enumerate(instance.participants):
        if (index, round_id) in instance.pins:
            continue
        current = placements.get((participant.id, round_id))
        if current == workshop_id:
            continue
        wanted = instance.rank.get((index, workshop_id))
        if current is not None:
            held = instance.rank.get((index, current))
            if wanted is None or (held is not None and held <= wanted):
                continue
        other_topics = {
            instance.workshop[w].topic_key
            for r in instance.rounds
            if r.id != round_id and (w := placements.get((participant.id, r.id))) is not None
        }
        if topic in other_topics:
            continue
        waiting.append((current is not None, wanted or math.inf, index))
    return [index for *_key, index in sorted(waiting)]


def waiting_list(participants, rounds, placements, workshop_id, *, pins=()) -> list[Hashable]:
    """Who would take a seat in this workshop, in order.

    Someone waits for a workshop they ranked above the one they hold in that round (or when they
    hold none); people without a seat come first, then by the rank they gave the workshop, then
    by registration order. Pinned placements never move, and nobody takes a topic twice.
    """
    instance = _Instance(participants, rounds, pins, None, None)
    return [instance.participants[i].id for i in _waiting_list(instance, placements, workshop_id)]


def waiting_lists(participants, rounds, placements, *, pins=()) -> dict[Hashable, list]:
    """`waiting_list` of every workshop, checking the input once."""
    instance = _Instance(participants, rounds, pins, None, None)
    return {
        workshop_id: [
            instance.participants[i].id for i in _waiting_list(instance, placements, workshop_id)
        ]
        for workshop_id in instance.workshop
    }


def fill_freed_seats(
    participants, rounds, placements, *, freed, pins=(), until_full=False
) -> list[Move]:
    """Give each freed seat to the first person waiting for it; their own seat is freed in turn.

    `placements` (participant, round) → workshop is the state after the seats were freed; it is
    not changed. `freed` lists workshop ids, once per freed seat; with `until_full`, a workshop
    takes people from its list as long as it has free seats. Each move gives someone a workshop
    they ranked higher (or a seat at all), so the cascade ends.
    """
    instance = _Instance(participants, rounds, pins, None, None)
    placements = dict(placements)
    load = defaultdict(int)
    for workshop_id in placements.values():
        if workshop_id is not None:
            load[workshop_id] += 1
    queue = list(freed)
    moves = []
    while queue:
        workshop_id = queue.pop(0)
        if load[workshop_id] >= instance.workshop[workshop_id].capacity:
            continue
        waiting = _waiting_list(instance, placements, workshop_id)
        if not waiting:
            continue
        participant = instance.participants[waiting[0]]
        round_id = instance.round_of[workshop_id]
        previous = placements.get((participant.id, round_id))
        placements[participant.id, round_id] = workshop_id
        load[workshop_id] += 1
        moves.append(Move(participant.id, round_id, previous, workshop_id))
        if until_full:
            queue.append(workshop_id)
        if previous is not None:
            load[previous] -= 1
            queue.append(previous)
    return moves
