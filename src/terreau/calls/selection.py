"""Selection under diversity quotas: by merit, within a budget, and by a provably fair lottery.

Plain data in, plain data out; no Django import. See docs/selection.md for the models.

A *panel* is a set of `seats` candidates that meets every quota: for each quota (feature, value,
min, max), the number of panel members whose feature has that value lies in [min, max].

- ``merit``: the panel with the highest total score (an exact integer programme, HiGHS).
- ``budget``: the grants with the highest total score whose amounts (cost × the staff-set share)
  fit in the envelope, under the quotas; ``seats`` caps the number of grants (None: no cap).
- ``leximin``: the lottery over panels of Flanigan, Gölz, Gupta, Hennig and Procaccia ("Fair
  algorithms for selecting citizens' assemblies", Nature 596, 2021): it maximises the smallest
  selection probability, then the next smallest, and so on (column generation: linear programmes
  over the panels found so far, an integer programme that prices the next panel).
- ``maximin``: the first level of leximin only (the smallest probability maximised).
- ``hybrid``: ``merit_seats`` seats by merit, the rest by leximin among the other candidates,
  the quotas reduced by what the merit seats already hold.

Why it is fast: the quotas only see which quotas a candidate counts for, so candidates with the
same *profile* are interchangeable. The leximin probabilities are the same for everyone of a
profile (the optimum is unique and symmetric), so the lottery is first computed over profile
counts (a few hundred variables at most instead of thousands), then turned into a lottery over
named panels with exactly those probabilities (a schedule of each profile's members over the
compositions). And the leximin of the linear relaxation (fractional counts), a few small linear
programmes, gives each level's value and profiles in advance, and its point, broken into
compositions, gives the column generation its columns: when the relaxation is tight, as on
realistic pools, each level takes a single master solve.

A lottery is drawn by ``draw(lottery, seed)``: u = SHA-256 of the seed, read as a number in
[0, 1); panels in canonical order (their sorted ids); the panel where the cumulative
probability first exceeds u. Anyone with the published panels and seed can re-run it.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import secrets
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

METHODS = ("merit", "budget", "leximin", "maximin", "hybrid")

# Numerical tolerances of the column generation (probabilities live in [0, 1]).
PRICING_TOLERANCE = 1e-9  # a panel improves the master programme by more than this
FIX_TOLERANCE = 1e-7  # a dual value above this marks a probability that cannot rise further
EXTRA_COLUMNS = 6  # columns priced per master solve beyond the best one
# Dual stabilisation (Wentges smoothing): columns are priced at a point between the best dual
# found so far (the stability centre, the one with the lowest Lagrangian bound) and the master's
# current dual, which jumps between the vertices of a very degenerate dual face.
SMOOTHING = 0.6  # weight of the centre in the pricing point
GAP_TOLERANCE = 1e-10  # a level ends when the Lagrangian bound is within this of the master
PROBABILITY_TOLERANCE = 1e-7  # how far a fixed probability may lie below its true leximin value
# The leximin of the linear relaxation (fractional compositions) bounds each level from above;
# a level whose master comes within TARGET_TOLERANCE of the relaxation's value is done.
RELAXATION = True
TARGET_TOLERANCE = 1e-8
RESIDUAL_TOLERANCE = 1e-9  # the relaxation's point is broken into compositions up to this weight
DECOMPOSITION_STEPS = 400  # at most (a rounding programme each); the column generation goes on
# Between levels, the master drops its zero-weight columns out of the basis once it holds more
# than PRUNE_RATIO columns per row (the pricing brings back any that is needed again).
PRUNE_RATIO = 2


# ---------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Candidate:
    id: str
    features: dict[str, str]
    score: float = 0.0
    cost: float = 0.0

    def __hash__(self):
        return hash(self.id)


@dataclass(frozen=True)
class Quota:
    feature: str
    value: str
    min: int
    max: int

    def matches(self, candidate: Candidate) -> bool:
        return candidate.features.get(self.feature) == self.value

    def label(self) -> str:
        return f"{self.feature} = {self.value}"


class Infeasible(Exception):  # noqa: N818 — the name the calls app codes against
    """No panel meets the quotas (or the seats, or the budget).

    ``explanation``: sentences saying which constraints conflict and by how much.
    ``relaxations``: (quota, new_min, new_max) for each quota the smallest relaxation changes —
    the relaxation, found by an integer programme, that changes the bounds by the fewest seats
    in total and makes a panel possible.
    """

    def __init__(self, explanation: Sequence[str], relaxations: Iterable = ()):
        self.explanation: list[str] = list(explanation)
        self.relaxations: list[tuple[Quota, int, int]] = list(relaxations)
        super().__init__("\n".join(self.explanation))


@dataclass
class Lottery:
    panels: list[tuple[frozenset[str], float]]  # canonical order, probabilities sum to 1
    marginals: dict[str, float]  # each candidate's selection probability; they sum to seats
    seed: int | None = None
    method: str = "leximin"
    stats: dict = field(default_factory=dict)


@dataclass
class Selection:
    panel: list[str]
    waiting_list: list[str]
    method: str
    seed: int | None
    lottery: Lottery | None
    total_score: float
    total_cost: float
    grants: dict[str, float] = field(default_factory=dict)  # budget: id → amount granted
    merit_panel: list[str] = field(default_factory=list)  # hybrid: the seats given by merit
    composition: list[dict] = field(default_factory=list)  # the panel against each quota
    stats: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Public API


def select(
    candidates: Iterable[Candidate],
    quotas: Iterable[Quota],
    seats: int | None,
    *,
    method: str,
    seed: int | None = None,
    budget: float | None = None,
    merit_seats: int = 0,
    grant_shares: Mapping[str, float] | None = None,
) -> Selection:
    """Select a panel; raises Infeasible (with the explanation) or ValueError (bad arguments).

    For the lottery methods the seed decides the draw; without one a random seed is chosen and
    returned in the result, to be published.
    """
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}: expected one of {', '.join(METHODS)}.")
    problem = _Problem(candidates, quotas)
    started = time.perf_counter()
    if method == "budget":
        selection = _select_budget(problem, seats, budget, grant_shares or {})
    else:
        problem.check_seats(seats)
        if method == "merit":
            selection = _select_merit(problem, seats)
        elif method in ("leximin", "maximin"):
            seed = _seed_or_random(seed)
            lottery = fair_lottery(problem.candidates, problem.quotas, seats, method=method)
            selection = _from_lottery(problem, lottery, seed, method)
        elif method == "hybrid":
            seed = _seed_or_random(seed)
            selection = _select_hybrid(problem, seats, merit_seats, seed)
    selection.composition = composition(problem.candidates, problem.quotas, selection.panel)
    selection.stats["seconds"] = round(time.perf_counter() - started, 4)
    return selection


def fair_lottery(
    candidates: Iterable[Candidate], quotas: Iterable[Quota], seats: int, *, method="leximin"
) -> Lottery:
    """The leximin (or maximin) lottery over the panels that meet the quotas."""
    if method not in ("leximin", "maximin"):
        raise ValueError("A fair lottery is 'leximin' or 'maximin'.")
    problem = candidates if isinstance(candidates, _Problem) else _Problem(candidates, quotas)
    problem.check_seats(seats)
    started = time.perf_counter()
    profile_lottery, stats = _leximin_profiles(problem, seats, levels=method == "leximin")
    stats["profile_seconds"] = round(time.perf_counter() - started, 4)
    panels = _decompose(problem, profile_lottery, stats)
    stats["seconds"] = round(time.perf_counter() - started, 4)
    return _make_lottery(problem, panels, method, stats)


def draw(lottery: Lottery, seed: int) -> frozenset[str]:
    """The panel the seed draws: reproducible by anyone from the published lottery.

    u = int(SHA-256(str(seed) in ASCII), hex) / 2**256; the panels are taken in canonical order
    (each panel's ids sorted, panels sorted by those lists) and the first panel whose cumulative
    probability (exact sums of the published floats, renormalised to 1) exceeds u is drawn.
    """
    if not lottery.panels:
        raise ValueError("The lottery has no panel.")
    u = _uniform(str(int(seed)))
    panels = sorted(lottery.panels, key=lambda item: sorted(item[0]))
    weights = [Fraction(max(0.0, probability)) for _panel, probability in panels]
    total = sum(weights)
    if total <= 0:
        raise ValueError("The lottery's probabilities are all zero.")
    target = u * total
    cumulative = Fraction(0)
    for (panel, _probability), weight in zip(panels, weights, strict=True):
        cumulative += weight
        if weight > 0 and cumulative > target:
            return panel
    return next(
        panel for (panel, _p), w in zip(reversed(panels), reversed(weights), strict=True) if w > 0
    )


def waiting_order(marginals: Mapping[str, float], exclude: Iterable[str], seed: int) -> list[str]:
    """The candidates outside the drawn panel, in the order the same seed gives them.

    A weighted random order (Efraimidis–Spirakis): candidate i gets u_i = SHA-256 of
    "<seed>:<id>" as a number in (0, 1) and the key u_i ** (1 / p_i), p_i its selection
    probability; larger keys first, so that likelier candidates tend to come first. Candidates
    with probability zero follow, by u_i.
    """
    excluded = set(exclude)
    keyed = []
    for candidate_id, probability in marginals.items():
        if candidate_id in excluded:
            continue
        u = float(_uniform(f"{int(seed)}:{candidate_id}")) or 2.0**-256
        if probability > 1e-12:
            keyed.append((0, -math.log(u) / probability, candidate_id))
        else:
            keyed.append((1, -u, candidate_id))
    keyed.sort()
    return [candidate_id for *_key, candidate_id in keyed]


def proportional_quotas(
    candidates: Iterable[Candidate], feature: str, seats: int, slack: int
) -> list[Quota]:
    """Quotas "proportional to the pool ± slack" for each value of a feature.

    Value v held by c_v of the N candidates expects seats × c_v / N seats; the quota is
    [floor(expected) − slack, ceil(expected) + slack], clipped to [0, c_v].
    """
    candidates = list(candidates)
    if slack < 0 or seats < 0:
        raise ValueError("Seats and slack must not be negative.")
    counts: dict[str, int] = defaultdict(int)
    for candidate in candidates:
        value = candidate.features.get(feature)
        if value is not None and value != "":
            counts[value] += 1
    total = len(candidates)
    quotas = []
    for value in sorted(counts):
        numerator = seats * counts[value]
        low = numerator // total if total else 0
        high = -(-numerator // total) if total else 0
        quotas.append(
            Quota(
                feature,
                value,
                max(0, low - slack),
                min(counts[value], high + slack),
            )
        )
    return quotas


def composition(candidates: Iterable[Candidate], quotas: Iterable[Quota], panel) -> list[dict]:
    """Each quota against the panel: pool count, panel count, min, max, met."""
    chosen = set(panel)
    rows = []
    candidates = list(candidates)
    for quota in quotas:
        pool = [c for c in candidates if quota.matches(c)]
        count = sum(1 for c in pool if c.id in chosen)
        rows.append(
            {
                "feature": quota.feature,
                "value": quota.value,
                "min": quota.min,
                "max": quota.max,
                "pool": len(pool),
                "selected": count,
                "met": quota.min <= count <= quota.max,
            }
        )
    return rows


def quotas_met(candidates: Iterable[Candidate], quotas: Iterable[Quota], panel) -> bool:
    return all(row["met"] for row in composition(candidates, quotas, panel))


# ---------------------------------------------------------------------------------------------
# Validated instance and profiles


class _Problem:
    def __init__(self, candidates, quotas):
        self.candidates: list[Candidate] = list(candidates)
        self.quotas: list[Quota] = list(quotas)
        self.index: dict[str, int] = {}
        for position, candidate in enumerate(self.candidates):
            if not isinstance(candidate.id, str) or not candidate.id:
                raise ValueError("Every candidate needs a non-empty text id.")
            if candidate.id in self.index:
                raise ValueError(f"Candidate {candidate.id!r} appears twice.")
            if not all(math.isfinite(v) for v in (candidate.score, candidate.cost)):
                raise ValueError(
                    f"Candidate {candidate.id!r} has a score or cost that is not a number."
                )
            self.index[candidate.id] = position
        seen = set()
        for quota in self.quotas:
            key = (quota.feature, quota.value)
            if key in seen:
                raise ValueError(f"Quota {quota.label()} appears twice.")
            seen.add(key)
            if int(quota.min) != quota.min or int(quota.max) != quota.max:
                raise ValueError(f"Quota {quota.label()}: bounds must be whole numbers.")
            if quota.min < 0 or quota.max < quota.min:
                raise ValueError(
                    f"Quota {quota.label()}: the minimum ({quota.min}) must be between 0 and"
                    f" the maximum ({quota.max})."
                )
        # Profile = the quotas a candidate counts for.
        self.profile_of: list[int] = []
        self.profiles: list[tuple[int, ...]] = []
        self.members: list[list[int]] = []
        position_of: dict[tuple[int, ...], int] = {}
        by_key = defaultdict(list)
        for q, quota in enumerate(self.quotas):
            by_key[quota.feature, quota.value].append(q)
        for position, candidate in enumerate(self.candidates):
            key = tuple(
                sorted(q for f, v in candidate.features.items() for q in by_key.get((f, v), ()))
            )
            if key not in position_of:
                position_of[key] = len(self.profiles)
                self.profiles.append(key)
                self.members.append([])
            self.profile_of.append(position_of[key])
            self.members[position_of[key]].append(position)
        self.sizes = [len(m) for m in self.members]

    def check_seats(self, seats):
        if seats is None or int(seats) != seats or seats < 0:
            raise ValueError("The number of seats must be a whole number, 0 or more.")
        if seats > len(self.candidates):
            raise Infeasible(
                [
                    f"{seats} seats to fill but only {len(self.candidates)} candidates in the"
                    " pool: the number to select is larger than the pool."
                ]
            )

    def quota_rows(self):
        """(min, max, profiles counted) per quota."""
        if getattr(self, "_quota_rows", None) is not None:
            return self._quota_rows
        counted = defaultdict(list)
        for p, key in enumerate(self.profiles):
            for q in key:
                counted[q].append(p)
        self._quota_rows = [(q.min, q.max, counted[i]) for i, q in enumerate(self.quotas)]
        return self._quota_rows

    def meets(self, counts: Sequence[int]) -> bool:
        for low, high, profiles in self.quota_rows():
            if not low <= sum(counts[p] for p in profiles) <= high:
                return False
        return True


def _seed_or_random(seed):
    if seed is None:
        return secrets.randbelow(10**9)
    if int(seed) != seed or seed < 0:
        raise ValueError("The seed must be a whole number, 0 or more.")
    return int(seed)


def _uniform(text: str) -> Fraction:
    return Fraction(int(hashlib.sha256(text.encode("ascii")).hexdigest(), 16), 2**256)


# ---------------------------------------------------------------------------------------------
# HiGHS


_banner_shown = threading.Lock()

LP_OPTIONS = {"output_flag": False, "random_seed": 0, "threads": 1}
# Column generation adds columns to a primal feasible basis: primal simplex resumes from it.
MASTER_OPTIONS = {**LP_OPTIONS, "solver": "simplex", "simplex_strategy": 4}
MIP_OPTIONS = {**LP_OPTIONS, "mip_rel_gap": 0.0, "mip_abs_gap": 1e-9}
# The relaxation's point is broken into compositions by testing which bounds it meets exactly:
# the simplex's default tolerances (1e-7) would blur that.
RELAXED_OPTIONS = {
    **LP_OPTIONS,
    "solver": "simplex",
    "primal_feasibility_tolerance": 1e-10,
    "dual_feasibility_tolerance": 1e-10,
}
# Rounding a point of the relaxation: any rounding will do, the nearest is only preferred.
ROUND_OPTIONS = {**LP_OPTIONS, "mip_rel_gap": 0.05}


def _new_highs(options):
    """A HiGHS instance; the first one of the process prints a banner on stdout (not a log),
    silenced here by pointing the file descriptor elsewhere for that moment."""
    import highspy  # noqa: PLC0415 — the module imports without the solver

    if _banner_shown.acquire(blocking=False):
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    else:
        highs = highspy.Highs()
    for name, value in options.items():
        highs.setOptionValue(name, value)
    return highs


def _build(columns: int, costs, lower, upper, rows, *, integer=(), maximize=False, options=None):
    """A HiGHS instance holding the model; rows are (lower, upper, [(column, value), ...])."""
    import highspy  # noqa: PLC0415

    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = columns, len(rows)
    lp.col_cost_ = [float(c) for c in costs]
    lp.col_lower_ = [float(v) for v in lower]
    lp.col_upper_ = [inf if v == math.inf else float(v) for v in upper]
    lp.row_lower_ = [-inf if r[0] == -math.inf else float(r[0]) for r in rows]
    lp.row_upper_ = [inf if r[1] == math.inf else float(r[1]) for r in rows]
    starts, index, value = [0], [], []
    for _low, _high, entries in rows:
        for column, coefficient in entries:
            index.append(column)
            value.append(float(coefficient))
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, index, value
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = columns, len(rows)
    if maximize:
        lp.sense_ = highspy.ObjSense.kMaximize
    if integer:
        kinds = highspy.HighsVarType
        integer = set(integer)
        lp.integrality_ = [
            kinds.kInteger if j in integer else kinds.kContinuous for j in range(columns)
        ]
    highs = _new_highs(options or (MIP_OPTIONS if integer else LP_OPTIONS))
    highs.passModel(lp)
    return highs


def _run(highs) -> bool:
    """Solve; True when optimal, False when infeasible; anything else is an error."""
    import highspy  # noqa: PLC0415

    highs.run()
    status = highs.getModelStatus()
    if status in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kModelEmpty):
        return True
    if status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        return False
    raise RuntimeError(f"HiGHS: {highs.modelStatusToString(status)}")


# ---------------------------------------------------------------------------------------------
# Merit and budget


def _person_rows(problem: _Problem, chosen_columns=None):
    """Quota rows over one binary per candidate."""
    rows = []
    for quota in problem.quotas:
        entries = [(i, 1.0) for i, c in enumerate(problem.candidates) if quota.matches(c)]
        rows.append((quota.min, quota.max, entries))
    return rows


def _select_merit(problem: _Problem, seats: int) -> Selection:
    panel = _best_panel(problem, seats, [c.score for c in problem.candidates])
    chosen = set(panel)
    rest = [c for c in problem.candidates if c.id not in chosen]
    rest.sort(key=lambda c: (-c.score, problem.index[c.id]))
    return Selection(
        panel=panel,
        waiting_list=[c.id for c in rest],
        method="merit",
        seed=None,
        lottery=None,
        total_score=sum(problem.candidates[problem.index[i]].score for i in panel),
        total_cost=sum(problem.candidates[problem.index[i]].cost for i in panel),
    )


def _best_panel(problem: _Problem, seats: int, scores: Sequence[float]) -> list[str]:
    """The quota-satisfying panel of `seats` with the highest total of `scores` (exact ILP)."""
    n = len(problem.candidates)
    rows = [(seats, seats, [(i, 1.0) for i in range(n)]), *_person_rows(problem)]
    highs = _build(n, scores, [0] * n, [1] * n, rows, integer=range(n), maximize=True)
    if not _run(highs):
        raise explain_infeasible(problem.candidates, problem.quotas, seats)
    values = highs.getSolution().col_value
    panel = [problem.candidates[i].id for i in range(n) if values[i] > 0.5]
    if len(panel) != seats or not quotas_met(problem.candidates, problem.quotas, panel):
        raise RuntimeError("The solver returned a panel that does not meet the quotas.")
    return panel


def _select_budget(problem: _Problem, seats, budget, shares: Mapping[str, float]) -> Selection:
    if budget is None or not math.isfinite(budget) or budget < 0:
        raise ValueError("The budget envelope must be a number, 0 or more.")
    if seats is not None and (int(seats) != seats or seats < 0):
        raise ValueError("The number of grants must be a whole number, 0 or more.")
    for candidate_id, share in shares.items():
        if candidate_id not in problem.index:
            raise ValueError(f"Share given for an unknown candidate {candidate_id!r}.")
        if not 0 < share <= 1:
            raise ValueError(f"The share of {candidate_id!r} must be above 0 and at most 1.")
    amounts = [c.cost * shares.get(c.id, 1.0) for c in problem.candidates]
    if any(a < 0 for a in amounts):
        raise ValueError("Costs must not be negative.")
    if amounts and min(amounts) > budget:
        raise Infeasible(
            [
                f"The envelope ({_money(budget)}) is smaller than the cheapest grant"
                f" ({_money(min(amounts))}): no grant fits in it."
            ]
        )
    n = len(problem.candidates)
    rows = [(-math.inf, budget, [(i, a) for i, a in enumerate(amounts)]), *_person_rows(problem)]
    if seats is not None:
        rows.append((-math.inf, seats, [(i, 1.0) for i in range(n)]))
    scores = [c.score for c in problem.candidates]
    highs = _build(n, scores, [0] * n, [1] * n, rows, integer=range(n), maximize=True)
    if not _run(highs):
        raise explain_infeasible(
            problem.candidates, problem.quotas, seats, budget=budget, amounts=amounts
        )
    values = highs.getSolution().col_value
    panel = [problem.candidates[i].id for i in range(n) if values[i] > 0.5]
    grants = {problem.candidates[i].id: amounts[i] for i in range(n) if values[i] > 0.5}
    total_cost = sum(grants.values())
    if total_cost > budget * (1 + 1e-12) + 1e-9:
        raise RuntimeError("The solver returned grants over the envelope.")
    chosen = set(panel)
    rest = [c for c in problem.candidates if c.id not in chosen]
    rest.sort(key=lambda c: (-c.score, problem.index[c.id]))
    return Selection(
        panel=panel,
        waiting_list=[c.id for c in rest],
        method="budget",
        seed=None,
        lottery=None,
        total_score=sum(scores[i] for i in range(n) if values[i] > 0.5),
        total_cost=total_cost,
        grants=grants,
    )


def _money(value: float) -> str:
    return f"{value:,.2f} €".replace(",", " ")


# ---------------------------------------------------------------------------------------------
# Hybrid


def _select_hybrid(problem: _Problem, seats: int, merit_seats: int, seed: int) -> Selection:
    if int(merit_seats) != merit_seats or not 0 <= merit_seats <= seats:
        raise ValueError("The merit seats must be a whole number between 0 and the seats.")
    n = len(problem.candidates)
    # Merit seats m_i and lottery seats r_i: m + r is a panel, the merit seats score highest.
    rows = [
        (merit_seats, merit_seats, [(i, 1.0) for i in range(n)]),
        (seats - merit_seats, seats - merit_seats, [(n + i, 1.0) for i in range(n)]),
    ]
    rows += [(-math.inf, 1, [(i, 1.0), (n + i, 1.0)]) for i in range(n)]
    for quota in problem.quotas:
        entries = []
        for i, c in enumerate(problem.candidates):
            if quota.matches(c):
                entries += [(i, 1.0), (n + i, 1.0)]
        rows.append((quota.min, quota.max, entries))
    scores = [c.score for c in problem.candidates] + [0.0] * n
    highs = _build(
        2 * n, scores, [0] * 2 * n, [1] * 2 * n, rows, integer=range(2 * n), maximize=True
    )
    if not _run(highs):
        raise explain_infeasible(problem.candidates, problem.quotas, seats)
    values = highs.getSolution().col_value
    merit = [problem.candidates[i].id for i in range(n) if values[i] > 0.5]
    chosen = set(merit)
    rest = [c for c in problem.candidates if c.id not in chosen]
    adjusted = []
    for quota in problem.quotas:
        held = sum(1 for i in merit if quota.matches(problem.candidates[problem.index[i]]))
        adjusted.append(
            Quota(quota.feature, quota.value, max(0, quota.min - held), quota.max - held)
        )
    lottery = fair_lottery(rest, adjusted, seats - len(merit), method="leximin")
    merit_set = frozenset(merit)
    combined = Lottery(
        panels=[(merit_set | panel, p) for panel, p in lottery.panels],
        marginals={**lottery.marginals, **dict.fromkeys(merit, 1.0)},
        seed=None,
        method="hybrid",
        stats=lottery.stats,
    )
    combined.marginals = {c.id: combined.marginals.get(c.id, 0.0) for c in problem.candidates}
    selection = _from_lottery(problem, combined, seed, "hybrid")
    selection.merit_panel = merit
    return selection


def _from_lottery(problem: _Problem, lottery: Lottery, seed: int, method: str) -> Selection:
    lottery.seed = seed
    panel_set = draw(lottery, seed)
    panel = [c.id for c in problem.candidates if c.id in panel_set]
    return Selection(
        panel=panel,
        waiting_list=waiting_order(lottery.marginals, panel_set, seed),
        method=method,
        seed=seed,
        lottery=lottery,
        total_score=sum(problem.candidates[problem.index[i]].score for i in panel),
        total_cost=sum(problem.candidates[problem.index[i]].cost for i in panel),
    )


# ---------------------------------------------------------------------------------------------
# Leximin over profile counts


class _Pricing:
    """The integer programme over profile counts: the feasible composition of highest weight.

    Its linear relaxation is nearly integral (quota rows over a partition of the profiles), so
    each call first solves the relaxation (warm-started simplex): a bound at or below the
    threshold proves that no composition improves; an integral optimum is the answer; else the
    integer programme restricted to the rounding box of the relaxation (few free variables) is
    tried, and only when it does not beat the threshold, the full integer programme.
    """

    def __init__(self, problem: _Problem, seats: int):
        self.problem = problem
        count = len(problem.sizes)
        rows = [(seats, seats, [(p, 1.0) for p in range(count)])]
        rows += [
            (low, high, [(p, 1.0) for p in profiles])
            for low, high, profiles in problem.quota_rows()
        ]
        zeros = [0.0] * count
        self.mip = _build(
            count,
            zeros,
            [0] * count,
            problem.sizes,
            rows,
            integer=range(count),
            maximize=True,
            options={**MIP_OPTIONS, "presolve": "off"},
        )
        self.lp = _build(
            count,
            zeros,
            [0] * count,
            problem.sizes,
            rows,
            maximize=True,
            options={**LP_OPTIONS, "solver": "simplex"},
        )
        self.count = count
        self.columns = list(range(count))
        self.lower = [0.0] * count
        self.upper = [float(s) for s in problem.sizes]
        self.solves = {"lp": 0, "rounding": 0, "mip": 0}

    def best(self, weights: Sequence[float], threshold: float = -math.inf):
        """The best composition, or None when none is worth more than `threshold`."""
        return self.best_and_bound(weights, threshold)[0]

    def best_and_bound(self, weights: Sequence[float], threshold: float = -math.inf):
        """(composition or None, an upper bound on the weight of every composition).

        The composition is the best one, or one the rounding found worth more than
        `threshold`, or None when none is worth more than `threshold`; the bound is the
        relaxation's optimum (exact when the relaxation is integral or the full programme ran).
        """
        # Dual noise below 1e-12 is zero (tiny costs can leave the simplex without a status).
        weights = [float(w) if abs(w) > 1e-12 else 0.0 for w in weights]
        self.lp.changeColsCost(self.count, self.columns, weights)
        self.solves["lp"] += 1
        try:
            solved = _run(self.lp)
        except RuntimeError:  # HiGHS ended without a status: solve again from scratch
            self.lp.clearSolver()
            solved = _run(self.lp)
        if not solved:
            return None, -math.inf
        bound = self.lp.getInfo().objective_function_value
        if bound <= threshold:
            return None, bound
        values = list(self.lp.getSolution().col_value)
        if all(abs(v - round(v)) <= 1e-9 for v in values):
            return self._checked(values), bound
        self.mip.changeColsCost(self.count, self.columns, weights)
        lower = [max(0.0, math.floor(v + 1e-9)) for v in values]
        upper = [min(u, math.ceil(v - 1e-9)) for v, u in zip(values, self.upper, strict=True)]
        self.mip.changeColsBounds(self.count, self.columns, lower, upper)
        self.solves["rounding"] += 1
        found = _run(self.mip)
        if found and self.mip.getInfo().objective_function_value > threshold:
            rounded = list(self.mip.getSolution().col_value)
        else:
            rounded = None
        self.mip.changeColsBounds(self.count, self.columns, self.lower, self.upper)
        if rounded is not None:
            return self._checked(rounded), bound
        self.solves["mip"] += 1
        if not _run(self.mip):
            return None, -math.inf
        bound = min(bound, self.mip.getInfo().objective_function_value)
        if bound <= threshold:
            return None, bound
        return self._checked(self.mip.getSolution().col_value), bound

    def _checked(self, values):
        counts = tuple(round(v) for v in values)
        if not self.problem.meets(counts) or any(
            not 0 <= n <= s for n, s in zip(counts, self.problem.sizes, strict=True)
        ):
            raise RuntimeError("The solver returned a composition that does not meet the quotas.")
        return counts


class _Master:
    """max z s.t. π_t(x) ≥ z (free profiles), π_t(x) ≥ f_t (fixed ones), Σ x = 1, where
    π_t(x) = Σ_c x_c n_ct / s_t, over the compositions found so far (as a minimisation of −z)."""

    def __init__(self, sizes, active):
        import highspy  # noqa: PLC0415

        self.sizes = sizes
        self.count = len(sizes)
        # Rows 0..T-1 per profile, row T: Σ x = 1. Column 0: z.
        rows = [(0.0, math.inf, [(0, -1.0)] if active[t] else []) for t in range(self.count)]
        rows.append((1.0, 1.0, []))
        self.highs = _build(1, [-1.0], [0.0], [1.0], rows, options=MASTER_OPTIONS)
        self.inf = highspy.kHighsInf
        self.columns: list[tuple[int, ...]] = []
        self.known: set[tuple[int, ...]] = set()
        self.generated = 0

    def add(self, counts: tuple[int, ...]) -> bool:
        if counts in self.known:
            return False
        self.known.add(counts)
        self.columns.append(counts)
        self.generated += 1
        index = [t for t in range(self.count) if counts[t]] + [self.count]
        values = [counts[t] / self.sizes[t] for t in index[:-1]] + [1.0]
        self.highs.addCol(0.0, 0.0, self.inf, len(index), index, values)
        return True

    def solve(self):
        if not _run(self.highs):
            return None
        solution = self.highs.getSolution()
        z = solution.col_value[0]
        duals = list(solution.row_dual)
        return z, duals[: self.count], duals[self.count], list(solution.col_value[1:])

    def fix(self, profile: int, value: float):
        self.highs.changeCoeff(profile, 0, 0.0)
        self.highs.changeRowBounds(profile, max(0.0, value), self.inf)

    def prune(self):
        """Drop the columns out of the basis with weight zero, once there are more than
        PRUNE_RATIO per row (the basis stays valid; the pricing may bring them back)."""
        import highspy  # noqa: PLC0415

        if len(self.columns) <= PRUNE_RATIO * (self.count + 1):
            return
        status = self.highs.getBasis().col_status
        values = self.highs.getSolution().col_value
        if not len(status) == len(values) == len(self.columns) + 1:
            return
        basic = highspy.HighsBasisStatus.kBasic
        drop = [j for j in range(1, len(status)) if status[j] != basic and values[j] <= 1e-12]
        if not drop:
            return
        self.highs.deleteCols(len(drop), drop)
        dropped = set(drop)
        kept = []
        for j, counts in enumerate(self.columns, start=1):
            if j in dropped:
                self.known.discard(counts)
            else:
                kept.append(counts)
        self.columns = kept


def _leximin_profiles(problem: _Problem, seats: int, *, levels: bool):
    """(composition → probability, stats): the leximin (or maximin) lottery over profile counts.

    The leximin of the linear relaxation (_relaxed_leximin) comes first: its level values bound
    the exact ones from above, so a level whose master reaches the relaxation's value is done,
    and the relaxation's profiles of that value are those to fix. Its point is broken into
    compositions (_relaxed_columns), the master's first columns: when the point is a lottery of
    compositions, every level reaches its value at its first master solve. As soon as a level
    falls short of the relaxation's value, the remaining levels are found by the exact loop
    alone (dual certificates).
    """
    count = len(problem.sizes)
    stats = {"profiles": count, "pricing_solves": 0, "master_solves": 0, "levels": 0}
    if seats == 0 or count == 0:
        if not problem.meets((0,) * count):
            raise explain_infeasible(problem.candidates, problem.quotas, seats)
        return {(0,) * count: 1.0}, stats
    pricing = _Pricing(problem, seats)
    first = pricing.best([1.0] * count)
    if first is None:
        raise explain_infeasible(problem.candidates, problem.quotas, seats)
    initial = {first}
    # Profiles that can be selected at all (others have probability 0).
    reachable = [False] * count
    for t in range(count):
        if first[t]:
            reachable[t] = True
    for t in range(count):
        if not reachable[t]:
            counts = pricing.best([1.0 if s == t else 0.0 for s in range(count)])
            if counts[t]:
                initial.add(counts)
                for s in range(count):
                    reachable[s] = reachable[s] or counts[s] > 0
    started = time.process_time()
    plan = _relaxed_leximin(problem, seats, reachable) if RELAXATION else None
    complete = False
    if plan is not None:
        plan_levels, point = plan
        stats["relaxation_levels"] = len(plan_levels)
        columns, complete, residual = _relaxed_columns(problem, seats, point, reachable, stats)
        initial.update(columns)
        stats["relaxation_columns"] = len(columns)
        stats["relaxation_residual"] = residual
    else:
        plan_levels = []
        stats["relaxation_levels"] = None
    stats["relaxation_seconds"] = round(time.process_time() - started, 4)
    if not complete:
        _spread_columns(problem, pricing, initial)
    master = _Master(problem.sizes, reachable)
    for counts in sorted(initial):
        master.add(counts)
    fixed: dict[int, float] = {t: 0.0 for t in range(count) if not reachable[t]}
    levels_found = []
    while len(fixed) < count:
        target, group = plan_levels.pop(0) if plan_levels else (None, ())
        z, certificates = _column_generation(master, pricing, fixed, stats, target=target)
        free = [t for t in range(count) if t not in fixed]
        if target is not None and z >= target - TARGET_TOLERANCE:
            # The relaxation's value reached: its profiles of that value are fixed (they
            # cannot rise above it in the relaxation, hence in any lottery of compositions).
            stats["levels_at_target"] = stats.get("levels_at_target", 0) + 1
            newly = [t for t in group if t not in fixed]
            # The master may overshoot by its feasibility tolerance (1e-7); the relaxation's
            # value bounds the true one, so fixing above it would only squeeze later levels.
            z = min(z, target)
        else:
            plan_levels = []  # the relaxation is not tight here: exact levels from now on
            # A free profile whose dual value is positive in a (near-)optimal dual cannot rise
            # above z in any optimal lottery: y_t (π_t − z*) ≤ gap (see _column_generation).
            newly = [
                t
                for t in free
                if any(
                    duals[t] > max(FIX_TOLERANCE, gap / PROBABILITY_TOLERANCE)
                    for duals, gap in certificates
                )
            ]
            if not newly:
                newly = [max(free, key=lambda t: max(duals[t] for duals, _gap in certificates))]
        if z >= 1 - 1e-9:
            newly = free  # certain: nobody can rise above 1
        stats["levels"] += 1
        levels_found.append(z)
        if not levels:
            break
        master.prune()  # from the basis of the level's last solve, before the rows change
        for t in newly:
            fixed[t] = z
            master.fix(t, z - 1e-10)
    z, duals, convexity, values = master.solve()
    stats["master_solves"] += 1
    stats["pricing_solves"] = dict(pricing.solves)
    stats["compositions_generated"] = master.generated
    stats["levels_values"] = levels_found[:5]
    lottery = {}
    total = sum(v for v in values if v > 1e-12)
    for counts, value in zip(master.columns, values, strict=True):
        if value > 1e-12:
            lottery[counts] = lottery.get(counts, 0.0) + value / total
    stats["compositions"] = len(lottery)
    return lottery, stats


def _spread_columns(problem: _Problem, pricing: _Pricing, initial: set):
    """A spread of compositions by multiplicative weights (deterministic), added to `initial`."""
    count = len(problem.sizes)
    weights = [1.0 + ((7919 * t) % 97) / 1e4 for t in range(count)]
    for _round in range(min(2 * count, 60)):
        counts = pricing.best([w / problem.sizes[t] for t, w in enumerate(weights)])
        if counts in initial:
            weights = [0.9 * w + 0.1 for w in weights]
        else:
            initial.add(counts)
        for t in range(count):
            if counts[t]:
                weights[t] *= 0.8 ** (counts[t] / problem.sizes[t] * 4)
        scale = count / sum(weights)
        weights = [w * scale for w in weights]


# ---------------------------------------------------------------------------------------------
# Leximin of the linear relaxation


def _relaxed_leximin(problem: _Problem, seats: int, reachable: Sequence[bool]):
    """The leximin over fractional compositions: (levels, point), or None when HiGHS fails.

    Variables m_t ∈ [0, s_t] (0 for the profiles no panel holds), Σ m_t = seats, each quota's
    bounds over Σ m_t, π_t = m_t / s_t. Level after level: max z with π_t ≥ z (free profiles),
    π_t ≥ f_t (fixed ones); the free profiles whose row has a positive dual cannot rise above z
    in any optimum (complementary slackness) and are fixed at z. Every lottery of compositions
    is such a point, so each level's value bounds the exact one from above.

    levels: [(z, profiles)], values increasing (values within 1e-9 of each other merged);
    point: the last programme's m (a point of the relaxation with these probabilities).
    """
    import highspy  # noqa: PLC0415

    count = len(problem.sizes)
    sizes = problem.sizes
    profiles = [t for t in range(count) if reachable[t]]
    if not profiles:
        return None
    base = [(seats, seats, [(t, 1.0) for t in range(count)])]
    base += [
        (low, high, [(t, 1.0) for t in members]) for low, high, members in problem.quota_rows()
    ]
    row_of = {t: len(base) + k for k, t in enumerate(profiles)}
    upper = [float(sizes[t]) if reachable[t] else 0.0 for t in range(count)] + [1.0]
    costs = [0.0] * count + [-1.0]
    fixed: dict[int, float] = {}

    def build():  # from scratch, with the fixings so far
        rows = list(base)
        for t in profiles:
            if t in fixed:
                rows.append((max(0.0, fixed[t] - 1e-10), math.inf, [(t, 1.0 / sizes[t])]))
            else:
                rows.append((0.0, math.inf, [(t, 1.0 / sizes[t]), (count, -1.0)]))
        return _build(count + 1, costs, [0.0] * (count + 1), upper, rows, options=RELAXED_OPTIONS)

    highs = build()
    free = list(profiles)
    levels: list[tuple[float, list[int]]] = []
    point = None
    while free:
        solved = None
        for attempt in range(3):
            try:
                solved = _run(highs)
                break
            except RuntimeError:  # HiGHS ended without a status ("Not Set"): start again
                if attempt == 0:
                    highs.clearSolver()
                else:
                    highs = build()
        if not solved:
            return None
        solution = highs.getSolution()
        z = solution.col_value[count]
        duals = solution.row_dual
        newly = [t for t in free if duals[row_of[t]] > FIX_TOLERANCE]
        if z >= 1 - 1e-9:
            newly = list(free)
        if not newly:
            return None  # the free rows' duals add up to 1 at an optimum: HiGHS went wrong
        if levels and z - levels[-1][0] <= 1e-9:
            levels[-1][1].extend(newly)
        else:
            levels.append((z, list(newly)))
        for t in newly:
            fixed[t] = levels[-1][0]
            highs.changeCoeff(row_of[t], count, 0.0)
            highs.changeRowBounds(row_of[t], max(0.0, fixed[t] - 1e-10), highspy.kHighsInf)
        chosen = set(newly)
        free = [t for t in free if t not in chosen]
        point = list(solution.col_value[:count])
    return levels, point


def _relaxed_columns(problem: _Problem, seats: int, point: Sequence[float], reachable, stats: dict):
    """Compositions whose lottery has the relaxation's point (Carathéodory, face by face).

    With r the point, n an integer point of the smallest face of the relaxation holding r
    (every bound and quota tight at r kept tight; each count rounded down or up, the rounding
    nearest r; failing that, the face's integer point nearest r in L1), r = λ n + (1 − λ) r',
    r' the point where the ray from n through r leaves the relaxation: r' lies on a smaller
    face. Repeat from r'. Returns (compositions, complete, residual weight): complete when r
    is a composition or the weight left is below RESIDUAL_TOLERANCE; the decomposition stops
    early when a face has no integer point (the relaxation is not integral there), or after
    DECOMPOSITION_STEPS steps, and the column generation carries on from the compositions found.
    """
    count = len(problem.sizes)
    sizes = problem.sizes
    upper = [sizes[t] if reachable[t] else 0 for t in range(count)]
    quota_rows = problem.quota_rows()
    rows = [(seats, seats, [(t, 1.0) for t in range(count)])]
    rows += [(low, high, [(t, 1.0) for t in profiles]) for low, high, profiles in quota_rows]
    mip = _build(
        count, [0.0] * count, [0] * count, upper, rows, integer=range(count), options=ROUND_OPTIONS
    )
    lp = _build(count, [0.0] * count, [0] * count, upper, rows, options=RELAXED_OPTIONS)
    columns_index = list(range(count))
    rows_index = list(range(1, len(rows)))
    r = [min(max(0.0, v), upper[t]) for t, v in enumerate(point)]
    columns: list[tuple[int, ...]] = []
    residual = 1.0
    face = None
    for _step in range(min(2 * (count + len(quota_rows)) + 2, DECOMPOSITION_STEPS)):
        lower_b, upper_b, costs = [], [], []
        for v in r:
            low = math.floor(v + 1e-9)
            if v - low <= 1e-9:
                lower_b.append(low)
                upper_b.append(low)
                costs.append(0.0)
            else:
                lower_b.append(low)
                upper_b.append(low + 1)
                costs.append(1.0 - 2.0 * (v - low))  # |n − r| over the rounding box
        row_low, row_high, tight = [], [], []
        for low, high, profiles in quota_rows:
            total = math.fsum(r[t] for t in profiles)
            if total <= low + 1e-7:
                row_low.append(low)
                row_high.append(low)
                tight.append(True)
            elif total >= high - 1e-7:
                row_low.append(high)
                row_high.append(high)
                tight.append(True)
            else:
                row_low.append(low)
                row_high.append(high)
                tight.append(False)
        # The box's linear programme first (warm-started; its vertices are mostly integral),
        # the integer programme only when its optimum is fractional.
        lp.changeColsCost(count, columns_index, costs)
        lp.changeColsBounds(count, columns_index, lower_b, upper_b)
        lp.changeRowsBounds(len(rows_index), rows_index, row_low, row_high)
        counts = _integral_counts(lp, count)
        if counts is None:
            mip.changeColsCost(count, columns_index, costs)
            mip.changeColsBounds(count, columns_index, lower_b, upper_b)
            mip.changeRowsBounds(len(rows_index), rows_index, row_low, row_high)
            counts = _solved_counts(mip, count)
        if counts is None:
            # No rounding in the box: the integer point of the face nearest r (L1), if any.
            if face is None:
                face = _face_programme(problem, seats, upper)
            at_bound = [v <= 1e-9 or v >= upper[t] - 1e-9 for t, v in enumerate(r)]
            face_low = [lower_b[t] if at_bound[t] else 0 for t in range(count)]
            face_high = [upper_b[t] if at_bound[t] else upper[t] for t in range(count)]
            face.changeColsBounds(count, columns_index, face_low, face_high)
            face.changeRowsBounds(len(rows_index), rows_index, row_low, row_high)
            distance_rows = list(range(len(rows), len(rows) + 2 * count))
            face.changeRowsBounds(
                2 * count,
                distance_rows,
                [-v for v in r] + list(r),
                [math.inf] * (2 * count),
            )
            counts = _solved_counts(face, count)
            stats["relaxation_face_solves"] = stats.get("relaxation_face_solves", 0) + 1
        if counts is None or not problem.meets(counts) or sum(counts) != seats:
            stats["relaxation_stop"] = "no integer point on the face"
            return columns, False, residual
        if counts not in columns:
            columns.append(counts)
        direction = [v - n for v, n in zip(r, counts, strict=True)]
        if max(abs(d) for d in direction) <= 1e-9:
            return columns, True, 0.0
        step = math.inf
        for t, d in enumerate(direction):
            if d > 1e-12:
                step = min(step, (upper[t] - r[t]) / d)
            elif d < -1e-12:
                step = min(step, r[t] / -d)
        for (low, high, profiles), is_tight in zip(quota_rows, tight, strict=True):
            if is_tight:
                continue
            d = math.fsum(direction[t] for t in profiles)
            total = math.fsum(r[t] for t in profiles)
            if d > 1e-12:
                step = min(step, (high - total) / d)
            elif d < -1e-12:
                step = min(step, (total - low) / -d)
        if not math.isfinite(step) or step <= 0:
            stats["relaxation_stop"] = f"step {step}"
            return columns, False, residual
        residual /= 1 + step
        if residual <= RESIDUAL_TOLERANCE:
            # What is left weighs less than this: the master's probabilities can miss the
            # point by that much at most, below TARGET_TOLERANCE. (Stopping here also keeps
            # the rounding errors of r, which grow as 1 / residual, away from the tolerances.)
            return columns, True, residual
        r = [v + step * d for v, d in zip(r, direction, strict=True)]
        r = [
            float(round(v)) if abs(v - round(v)) <= 1e-9 else min(max(0.0, v), upper[t])
            for t, v in enumerate(r)
        ]
    stats["relaxation_stop"] = "steps"
    return columns, False, residual


def _solved_counts(mip, count):
    """The integer solution of a rounding programme, or None (infeasible, or no status)."""
    try:
        if not _run(mip):
            return None
    except RuntimeError:
        return None
    return tuple(round(v) for v in mip.getSolution().col_value[:count])


def _integral_counts(lp, count):
    """The linear programme's solution when it is integral, else None."""
    try:
        if not _run(lp):
            return None
    except RuntimeError:
        lp.clearSolver()
        return None
    values = lp.getSolution().col_value[:count]
    if any(abs(v - round(v)) > 1e-9 for v in values):
        return None
    return tuple(round(v) for v in values)


def _face_programme(problem: _Problem, seats: int, upper):
    """Integer counts n (bounds and quota rows set by the caller) and e_t ≥ |n_t − r_t|
    (rows e_t − n_t ≥ −r_t and e_t + n_t ≥ r_t, bounds set by the caller), minimising Σ e."""
    count = len(problem.sizes)
    rows = [(seats, seats, [(t, 1.0) for t in range(count)])]
    rows += [
        (low, high, [(t, 1.0) for t in profiles]) for low, high, profiles in problem.quota_rows()
    ]
    rows += [(-math.inf, math.inf, [(count + t, 1.0), (t, -1.0)]) for t in range(count)]
    rows += [(-math.inf, math.inf, [(count + t, 1.0), (t, 1.0)]) for t in range(count)]
    return _build(
        2 * count,
        [0.0] * count + [1.0] * count,
        [0.0] * (2 * count),
        list(upper) + [math.inf] * count,
        rows,
        integer=range(count),
        options=ROUND_OPTIONS,
    )


def _column_generation(
    master: _Master, pricing: _Pricing, fixed: Mapping[int, float], stats, target=None
):
    """One level of leximin: max z over all compositions, by stabilised column generation.

    Returns (z, certificates): z the level's value, and (dual values, gap) pairs, each a dual
    solution y of the full programme (every composition priced, not only those of the master)
    with its gap = bound(y) − z. For any optimal lottery x*, Σ_free y_t (π_t(x*) − z*) ≤ gap,
    so a free profile with y_t > gap / ε cannot be more than ε above z*.

    Lagrangian bound: for y ≥ 0 with Σ_free y_t = 1, z* ≤ bound(y) = max_c Σ_t y_t n_ct / s_t −
    Σ_fixed f_t y_t (the maximum is over every composition: the pricing relaxation bounds it).
    The master gives z ≤ z*. Columns are priced at the smoothed point α·centre + (1−α)·y, where
    the centre is the point of lowest bound so far; a column that does not improve the master at
    y is a mis-price, and α is halved until the pricing runs at y itself (then no improving
    column proves the level). The level also ends as soon as the best bound is within
    GAP_TOLERANCE of the master (the tail of column generation is skipped).

    `target`, the relaxation's value of the level (an upper bound on it): the level ends, with
    no certificate, as soon as the master is within TARGET_TOLERANCE of it.
    """
    sizes = master.sizes
    count = len(sizes)
    centre, centre_bound = None, math.inf
    relaxation = 1e-9
    while True:
        result = master.solve()
        stats["master_solves"] += 1
        if result is None:
            # The fixed probabilities are met by the last solution, but the simplex may call
            # the programme infeasible within its tolerances: lower them by a hair and retry
            # (as sortition-algorithms does), never by more than PROBABILITY_TOLERANCE.
            if relaxation > PROBABILITY_TOLERANCE:
                raise RuntimeError("The lottery's linear programme became infeasible.")
            for t, f in fixed.items():
                master.fix(t, f - relaxation)
            stats["relaxations"] = stats.get("relaxations", 0) + 1
            relaxation *= 10
            continue
        z, duals, convexity, _values = result
        if target is not None and z >= target - TARGET_TOLERANCE:
            return z, []
        y = [max(0.0, d) for d in duals]
        if z >= 1 - 1e-9:
            return z, [(y, 0.0)]
        if centre_bound - z <= GAP_TOLERANCE:
            stats["gap_stops"] = stats.get("gap_stops", 0) + 1
            return z, [(centre, max(0.0, centre_bound - z))]
        threshold = PRICING_TOLERANCE - convexity  # a column worth more than this improves z
        alpha = SMOOTHING if centre is not None else 0.0
        while True:
            point = (
                y
                if alpha == 0.0
                else [alpha * c + (1 - alpha) * v for c, v in zip(centre, y, strict=True)]
            )
            weights = [point[t] / sizes[t] for t in range(count)]
            counts, upper = pricing.best_and_bound(
                weights, threshold if alpha == 0.0 else -math.inf
            )
            bound = upper - sum(f * point[t] for t, f in fixed.items())
            if bound < centre_bound:
                centre, centre_bound = point, bound
            value = (
                -math.inf
                if counts is None
                else sum(y[t] * n / sizes[t] for t, n in enumerate(counts) if n)
            )
            if value > threshold and master.add(counts):
                break
            if alpha == 0.0:
                # No composition improves the master at its own dual: y is optimal.
                certificates = [(y, max(0.0, bound - z))]
                if centre is not y and centre_bound - z <= GAP_TOLERANCE:
                    certificates.append((centre, max(0.0, centre_bound - z)))
                return z, certificates
            stats["mispricings"] = stats.get("mispricings", 0) + 1
            alpha = alpha / 2 if alpha > 0.05 else 0.0
        # More columns from the same duals (as sortition-algorithms' maximin does): damp the
        # weights of the profiles just used and price again; keep those that still improve.
        plain = [y[t] / sizes[t] for t in range(count)]
        damped = list(plain)
        for _extra in range(EXTRA_COLUMNS):
            for t, n in enumerate(counts):
                if n:
                    damped[t] *= 0.5
            counts = pricing.best(damped, -math.inf)
            if counts is None:
                break
            if sum(w * n for w, n in zip(plain, counts, strict=True)) > threshold:
                master.add(counts)


# ---------------------------------------------------------------------------------------------
# From profile counts to named panels


def _decompose(problem: _Problem, profile_lottery, stats) -> list[tuple[frozenset[str], float]]:
    """Named panels whose lottery gives each candidate exactly their profile's probability.

    The profile lottery gives composition c (n_ct members of profile t) the probability p_c;
    lay the compositions end to end on [0, 1), c on an interval of length p_c. Within each
    profile the members are scheduled independently (the panels at a point u of [0, 1) are the
    union over profiles of who is "on" at u):

    1. member by member, each member's time y_c in composition c (Σ_c y_c = π_t, the profile's
       probability; 0 ≤ y_c ≤ p_c): the least that keeps the rest feasible for the members
       still to come (d_c − (members left − 1) p_c, d_c the time c still needs), then whole
       compositions in a rotating order — so most members are on for a whole composition or not
       at all, and few are split;
    2. within composition c, McNaughton's wrap-around rule on its n_ct seats (each seat a copy
       of the interval): nobody is on two seats at once because y_c ≤ p_c.

    Each candidate's probability is then Σ_c y_c = π_t exactly (up to floating point), every
    point of [0, 1) has a panel of the composition's counts, hence of the quotas, and the panels
    are the pieces between consecutive switch points.
    """
    sizes, members = problem.sizes, problem.members
    count = len(sizes)
    compositions = sorted(profile_lottery)
    probability = [profile_lottery[c] for c in compositions]
    # segments[k]: (start, end, candidate) in composition k, as fractions of its interval.
    segments: list[list[tuple[float, float, int]]] = [[] for _ in compositions]
    for t in range(count):
        parts = [k for k, c in enumerate(compositions) if c[t]]
        if not parts:
            continue
        need = {k: compositions[k][t] * probability[k] for k in parts}
        share = sum(need.values()) / sizes[t]
        pointer = 0
        times = []
        for j in range(sizes[t]):
            left = sizes[t] - j
            y = {}
            for k in parts:
                y[k] = max(0.0, need[k] - (left - 1) * probability[k]) if left > 1 else need[k]
            rest = share - sum(y.values())
            if left > 1:
                base = pointer
                for step in range(len(parts)):
                    if rest <= 1e-15:
                        break
                    k = parts[(base + step) % len(parts)]
                    room = min(probability[k], need[k]) - y[k]
                    if room > 0:
                        add = min(room, rest)
                        y[k] += add
                        rest -= add
                        pointer = (base + step + (1 if add >= room else 0)) % len(parts)
                if rest > 1e-9:
                    raise RuntimeError("The lottery's decomposition ran out of room.")
            for k in parts:
                need[k] = max(0.0, need[k] - y[k])
            times.append(y)
        for k in parts:
            p = probability[k]
            pieces = [(members[t][j], times[j][k] / p) for j in range(sizes[t])]
            pieces = [(i, x) for i, x in pieces if x > 1e-13]
            pieces.sort(key=lambda item: item[1] < 1 - 1e-12)  # whole ones first, stable
            position = 0.0
            for i, x in pieces:
                x = min(x, 1.0)
                start = position - math.floor(position + 1e-12)
                start = 0.0 if start < 1e-12 or start > 1 - 1e-12 else start
                end = start + x
                if end <= 1 + 1e-12:
                    segments[k].append((start, min(end, 1.0), i))
                else:
                    segments[k].append((start, 1.0, i))
                    segments[k].append((0.0, end - 1.0, i))
                position += x
    panels = []
    for k, composition_segments in enumerate(segments):
        p = probability[k]
        if not composition_segments:
            panels.append((frozenset(), p))
            continue
        points = sorted(
            {_grid(a) for a, _b, _i in composition_segments}
            | {_grid(b) for _a, b, _i in composition_segments}
            | {0.0, 1.0}
        )
        starts = defaultdict(list)
        ends = defaultdict(list)
        for a, b, i in composition_segments:
            a, b = _grid(a), _grid(b)
            if b > a:
                starts[a].append(i)
                ends[b].append(i)
        active: set[int] = set()
        for left, right in itertools.pairwise(points):
            for i in ends.get(left, ()):
                active.discard(i)
            active.update(starts.get(left, ()))
            if right - left > 1e-12:
                panels.append(
                    (frozenset(problem.candidates[i].id for i in active), (right - left) * p)
                )
    seats = sum(compositions[0])
    if any(len(panel) != seats for panel, _p in panels):
        raise RuntimeError("The lottery's decomposition produced a panel of the wrong size.")
    stats["decomposition"] = "schedule"
    return panels


def _grid(value: float) -> float:
    return round(value, 11)


def _make_lottery(problem: _Problem, panels, method, stats) -> Lottery:
    merged: dict[frozenset[str], float] = defaultdict(float)
    for panel, p in panels:
        merged[panel] += p
    ordered = sorted(merged.items(), key=lambda item: sorted(item[0]))
    total = math.fsum(p for _panel, p in ordered)
    ordered = [(panel, p / total) for panel, p in ordered]
    marginals = {c.id: 0.0 for c in problem.candidates}
    for panel, p in ordered:
        for candidate_id in panel:
            marginals[candidate_id] += p
    stats["panels"] = len(ordered)
    return Lottery(panels=ordered, marginals=marginals, seed=None, method=method, stats=stats)


# ---------------------------------------------------------------------------------------------
# Infeasibility


def explain_infeasible(
    candidates: Iterable[Candidate],
    quotas: Iterable[Quota],
    seats: int | None,
    *,
    budget: float | None = None,
    amounts: Sequence[float] | None = None,
) -> Infeasible:
    """Why no panel exists, and the smallest change to the quotas that makes one possible."""
    problem = _Problem(candidates, quotas)
    lines = []
    if seats is not None and seats > len(problem.candidates):
        return Infeasible(
            [f"{seats} seats but only {len(problem.candidates)} candidates in the pool."]
        )
    for quota in problem.quotas:
        pool = sum(1 for c in problem.candidates if quota.matches(c))
        if quota.min > pool:
            lines.append(
                f"Quota {quota.label()}: the minimum is {quota.min} but only {pool}"
                f" candidate{'s' if pool != 1 else ''} in the pool have it."
            )
        if seats is not None and quota.min > seats:
            lines.append(
                f"Quota {quota.label()}: the minimum {quota.min} exceeds the {seats} seats."
            )
    by_feature = defaultdict(list)
    for quota in problem.quotas:
        by_feature[quota.feature].append(quota)
    for feature, group in by_feature.items():
        low = sum(q.min for q in group)
        values = {q.value for q in group}
        free = sum(1 for c in problem.candidates if c.features.get(feature) not in values)
        high = sum(min(q.max, sum(1 for c in problem.candidates if q.matches(c))) for q in group)
        if seats is not None and low > seats:
            lines.append(
                f"Feature {feature}: the minimums add up to {low}, more than the {seats} seats."
            )
        if seats is not None and high + free < seats:
            lines.append(
                f"Feature {feature}: at most {high + free} seats can be filled within its"
                f" maximums (and the pool), fewer than the {seats} seats."
            )
    # The minimum relaxation: fewest seats of change to the bounds that make a panel exist.
    n = len(problem.candidates)
    q_count = len(problem.quotas)
    # Columns: x_i (n), lower_q (q_count), raise_q (q_count).
    columns = n + 2 * q_count
    rows = []
    if seats is not None:
        rows.append((seats, seats, [(i, 1.0) for i in range(n)]))
    if budget is not None:
        rows.append((-math.inf, budget, [(i, float(a)) for i, a in enumerate(amounts)]))
    for q, quota in enumerate(problem.quotas):
        entries = [(i, 1.0) for i, c in enumerate(problem.candidates) if quota.matches(c)]
        rows.append((quota.min, math.inf, [*entries, (n + q, 1.0)]))
        rows.append((-math.inf, quota.max, [*entries, (n + q_count + q, -1.0)]))
    costs = [0.0] * n + [1.0] * (2 * q_count)
    upper = [1] * n + [q.min for q in problem.quotas] + [math.inf] * q_count
    highs = _build(columns, costs, [0] * columns, upper, rows, integer=range(columns))
    relaxations = []
    if _run(highs):
        values = highs.getSolution().col_value
        changes = []
        for q, quota in enumerate(problem.quotas):
            lower = round(values[n + q])
            raise_ = round(values[n + q_count + q])
            if lower or raise_:
                relaxations.append((quota, quota.min - lower, quota.max + raise_))
                if lower:
                    changes.append(
                        f"lower the minimum of {quota.label()} from {quota.min} to"
                        f" {quota.min - lower} (−{lower})"
                    )
                if raise_:
                    changes.append(
                        f"raise the maximum of {quota.label()} from {quota.max} to"
                        f" {quota.max + raise_} (+{raise_})"
                    )
        if changes:
            conflicting = ", ".join(q.label() for q, _low, _high in relaxations)
            lines.append(f"These quotas conflict: {conflicting}.")
            lines.append(
                "The smallest relaxation that makes a panel possible: " + "; ".join(changes) + "."
            )
    elif budget is not None:
        # Even with free quotas the envelope is too small (the seats cannot be reached).
        lines.append(
            f"No set of grants fits in the envelope of {_money(budget)} even with relaxed quotas."
        )
    if budget is not None and amounts is not None:
        cheapest = _cheapest(problem, seats, amounts)
        if cheapest is not None and cheapest > budget:
            lines.append(
                f"Meeting the minimums costs at least {_money(cheapest)}, more than the envelope"
                f" of {_money(budget)} (short by {_money(cheapest - budget)})."
            )
    if not lines:
        lines.append("No panel meets all the quotas at once.")
    return Infeasible(lines, relaxations)


def _cheapest(problem: _Problem, seats, amounts) -> float | None:
    """The lowest total amount of a set of grants that meets the quotas (None: there is none)."""
    n = len(problem.candidates)
    rows = _person_rows(problem)
    if seats is not None:
        rows.append((-math.inf, seats, [(i, 1.0) for i in range(n)]))
    highs = _build(n, list(amounts), [0] * n, [1] * n, rows, integer=range(n))
    if not _run(highs):
        return None
    return highs.getInfo().objective_function_value


__all__ = [
    "METHODS",
    "Candidate",
    "Infeasible",
    "Lottery",
    "Quota",
    "Selection",
    "composition",
    "draw",
    "explain_infeasible",
    "fair_lottery",
    "proportional_quotas",
    "quotas_met",
    "select",
    "waiting_order",
]
