"""Selection under quotas (pure: no database), against brute force and properties."""

import itertools
import math
import random

import highspy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terreau.calls.selection import (
    Candidate,
    Infeasible,
    Quota,
    draw,
    fair_lottery,
    proportional_quotas,
    quotas_met,
    select,
    waiting_order,
)

# --- brute force ------------------------------------------------------------------------------


def meets(candidates, quotas, panel):
    chosen = set(panel)
    for q in quotas:
        count = sum(
            1 for c in candidates if c.id in chosen and c.features.get(q.feature) == q.value
        )
        if not q.min <= count <= q.max:
            return False
    return True


def all_panels(candidates, quotas, seats):
    ids = [c.id for c in candidates]
    return [
        frozenset(panel)
        for panel in itertools.combinations(ids, seats)
        if meets(candidates, quotas, panel)
    ]


def lp_max(panels, ids, objective_id, lower):
    """max over lotteries on `panels` of (the min over unfixed ids | one id's probability).

    lower: id → fixed lower bound; objective_id None: maximise z with p_i ≥ z for the others.
    Written directly with HiGHS over every feasible panel (no column generation).
    """
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    k = len(panels)
    # columns: x_0..x_{k-1}, z
    for _ in range(k):
        h.addVar(0, inf)
    h.addVar(0, 1)
    h.addRow(1, 1, k, list(range(k)), [1.0] * k)
    for i in ids:
        cols = [j for j, p in enumerate(panels) if i in p]
        if i in lower:
            h.addRow(lower[i] - 1e-9, inf, len(cols), cols, [1.0] * len(cols))
        elif objective_id is None:
            h.addRow(0, inf, len(cols) + 1, [*cols, k], [1.0] * len(cols) + [-1.0])
        elif i == objective_id:
            pass
    if objective_id is None:
        h.changeColCost(k, 1.0)
    else:
        for j, p in enumerate(panels):
            if objective_id in p:
                h.changeColCost(j, 1.0)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.run()
    return h.getInfo().objective_function_value


def brute_leximin(candidates, quotas, seats):
    """The leximin probabilities by the textbook procedure over all panels."""
    panels = all_panels(candidates, quotas, seats)
    ids = [c.id for c in candidates]
    fixed = {i: 0.0 for i in ids if not any(i in p for p in panels)}
    while len(fixed) < len(ids):
        z = lp_max(panels, ids, None, fixed)
        free = [i for i in ids if i not in fixed]
        at_level = []
        for i in free:
            others = {**fixed, **{j: z for j in free if j != i}}
            if lp_max(panels, ids, i, others) <= z + 1e-7:
                at_level.append(i)
        for i in at_level or free:
            fixed[i] = z
    return fixed


def pool(rng, size, features=None, costs=False):
    features = features or {"gender": "FM", "age": "yo", "zone": "ewn"}
    return [
        Candidate(
            f"c{i:02d}",
            {f: rng.choice(values) for f, values in features.items()},
            score=float(rng.randint(0, 20)),
            cost=float(rng.randint(1, 9) * 100) if costs else 0.0,
        )
        for i in range(size)
    ]


def random_quotas(rng, candidates, seats):
    quotas = []
    for feature in candidates[0].features:
        for value in sorted({c.features[feature] for c in candidates}):
            low = rng.randint(0, max(0, seats // 2))
            quotas.append(Quota(feature, value, low, low + rng.randint(0, seats)))
    return quotas


SMALL = [(seed, size, seats) for seed in range(6) for size, seats in ((7, 3), (9, 4))]


# --- merit and budget -------------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "size", "seats"), SMALL)
def test_merit_is_optimal_against_brute_force(seed, size, seats):
    rng = random.Random(seed)
    candidates = pool(rng, size)
    quotas = random_quotas(rng, candidates, seats)
    score = {c.id: c.score for c in candidates}
    panels = all_panels(candidates, quotas, seats)
    if not panels:
        with pytest.raises(Infeasible):
            select(candidates, quotas, seats, method="merit")
        return
    result = select(candidates, quotas, seats, method="merit")
    assert len(result.panel) == seats
    assert meets(candidates, quotas, result.panel)
    best = max(sum(score[i] for i in p) for p in panels)
    assert result.total_score == pytest.approx(best)
    assert set(result.waiting_list) == {c.id for c in candidates} - set(result.panel)
    waiting_scores = [score[i] for i in result.waiting_list]
    assert waiting_scores == sorted(waiting_scores, reverse=True)
    assert all(row["met"] for row in result.composition)


@pytest.mark.parametrize("seed", range(8))
def test_budget_is_optimal_and_never_exceeded(seed):
    rng = random.Random(100 + seed)
    candidates = pool(rng, 8, costs=True)
    quotas = [Quota("gender", "F", 1, 4), Quota("zone", "e", 0, 2)]
    budget = float(rng.randint(8, 20) * 100)
    shares = {candidates[0].id: 0.5, candidates[1].id: 0.25}
    amount = {c.id: c.cost * shares.get(c.id, 1.0) for c in candidates}
    score = {c.id: c.score for c in candidates}
    best = -1.0
    for size in range(0, 6):
        for panel in itertools.combinations(amount, size):
            if sum(amount[i] for i in panel) <= budget and meets(candidates, quotas, panel):
                best = max(best, sum(score[i] for i in panel))
    result = select(candidates, quotas, 5, method="budget", budget=budget, grant_shares=shares)
    assert result.total_cost <= budget + 1e-9
    assert result.total_cost == pytest.approx(sum(amount[i] for i in result.panel))
    assert result.grants == {i: amount[i] for i in result.panel}
    assert len(result.panel) <= 5
    assert meets(candidates, quotas, result.panel)
    assert result.total_score == pytest.approx(best)


def test_budget_smaller_than_the_cheapest_grant():
    candidates = [Candidate("a", {}, 1, 500), Candidate("b", {}, 1, 300)]
    with pytest.raises(Infeasible) as error:
        select(candidates, [], 2, method="budget", budget=200)
    assert "cheapest grant" in error.value.explanation[0]


def test_budget_too_small_for_the_minimums_is_explained():
    candidates = [
        Candidate("a", {"kind": "assoc"}, 5, 500),
        Candidate("b", {"kind": "assoc"}, 5, 600),
        Candidate("c", {"kind": "public"}, 5, 100),
    ]
    quotas = [Quota("kind", "assoc", 2, 2)]
    with pytest.raises(Infeasible) as error:
        select(candidates, quotas, 3, method="budget", budget=1000)
    text = " ".join(error.value.explanation)
    assert "1 100.00 €" in text and "envelope" in text


# --- lotteries --------------------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "size", "seats"), SMALL)
def test_leximin_equals_the_brute_force_leximin(seed, size, seats):
    rng = random.Random(seed)
    candidates = pool(rng, size)
    quotas = random_quotas(rng, candidates, seats)
    if not all_panels(candidates, quotas, seats):
        with pytest.raises(Infeasible):
            fair_lottery(candidates, quotas, seats)
        return
    expected = brute_leximin(candidates, quotas, seats)
    lottery = fair_lottery(candidates, quotas, seats, method="leximin")
    got = sorted(lottery.marginals.values())
    assert got == pytest.approx(sorted(expected.values()), abs=1e-6)
    # Each candidate gets exactly their leximin probability (it is unique).
    for candidate_id, probability in expected.items():
        assert lottery.marginals[candidate_id] == pytest.approx(probability, abs=1e-6)
    _check_lottery(candidates, quotas, seats, lottery)
    maximin = fair_lottery(candidates, quotas, seats, method="maximin")
    _check_lottery(candidates, quotas, seats, maximin)
    assert min(maximin.marginals.values()) == pytest.approx(min(expected.values()), abs=1e-6)
    assert got[0] >= min(maximin.marginals.values()) - 1e-6
    second = sorted(maximin.marginals.values())
    if len(got) > 1:
        assert got[1] >= second[1] - 1e-6


def _check_lottery(candidates, quotas, seats, lottery):
    assert sum(lottery.marginals.values()) == pytest.approx(seats, abs=1e-9)
    assert sum(p for _panel, p in lottery.panels) == pytest.approx(1.0, abs=1e-12)
    for panel, probability in lottery.panels:
        assert probability > 0
        assert len(panel) == seats
        assert meets(candidates, quotas, panel)
    recomputed = dict.fromkeys(lottery.marginals, 0.0)
    for panel, probability in lottery.panels:
        for i in panel:
            recomputed[i] += probability
    assert recomputed == pytest.approx(lottery.marginals, abs=1e-12)
    keys = [sorted(panel) for panel, _p in lottery.panels]
    assert keys == sorted(keys)


def test_draw_frequencies_match_the_marginals():
    rng = random.Random(7)
    candidates = pool(rng, 14)
    quotas = [Quota("gender", "F", 2, 3), Quota("age", "y", 1, 2), Quota("zone", "e", 1, 3)]
    lottery = fair_lottery(candidates, quotas, 5)
    draws = 4000
    counts = dict.fromkeys(lottery.marginals, 0)
    for seed in range(draws):
        for candidate_id in draw(lottery, seed):
            counts[candidate_id] += 1
    for candidate_id, p in lottery.marginals.items():
        sigma = math.sqrt(p * (1 - p) / draws)
        assert abs(counts[candidate_id] / draws - p) <= 4.5 * sigma + 1e-9


def test_a_seed_gives_the_same_draw_and_waiting_list():
    rng = random.Random(3)
    candidates = pool(rng, 12)
    quotas = [Quota("gender", "F", 2, 3), Quota("zone", "w", 1, 2)]
    first = select(candidates, quotas, 5, method="leximin", seed=2026)
    second = select(candidates, quotas, 5, method="leximin", seed=2026)
    assert first.seed == second.seed == 2026
    assert first.panel == second.panel
    assert first.waiting_list == second.waiting_list
    assert frozenset(first.panel) == draw(first.lottery, 2026)
    assert set(first.waiting_list) == {c.id for c in candidates} - set(first.panel)
    assert first.waiting_list == waiting_order(first.lottery.marginals, first.panel, 2026)
    drawn = {draw(first.lottery, seed) for seed in range(200)}
    assert len(drawn) > 1  # different seeds, different panels


def test_a_random_seed_is_chosen_and_returned():
    candidates = pool(random.Random(1), 8)
    result = select(candidates, [], 3, method="maximin")
    assert isinstance(result.seed, int)
    assert frozenset(result.panel) == draw(result.lottery, result.seed)


def test_draw_is_the_published_rule():
    lottery = fair_lottery(pool(random.Random(2), 6), [], 2)
    import hashlib
    from fractions import Fraction

    seed = 12345
    u = Fraction(int(hashlib.sha256(b"12345").hexdigest(), 16), 2**256)
    cumulative = Fraction(0)
    expected = None
    for panel, p in sorted(lottery.panels, key=lambda item: sorted(item[0])):
        cumulative += Fraction(p)
        if cumulative > u * sum(Fraction(q) for _x, q in lottery.panels):
            expected = panel
            break
    assert draw(lottery, seed) == expected


def test_everyone_equal_without_quotas():
    candidates = pool(random.Random(4), 10)
    lottery = fair_lottery(candidates, [], 4)
    assert all(p == pytest.approx(0.4) for p in lottery.marginals.values())


def test_hybrid_gives_merit_seats_then_a_fair_lottery():
    rng = random.Random(11)
    candidates = pool(rng, 12)
    quotas = [Quota("gender", "F", 2, 3), Quota("gender", "M", 2, 3)]
    result = select(candidates, quotas, 5, method="hybrid", merit_seats=2, seed=9)
    assert len(result.merit_panel) == 2
    assert set(result.merit_panel) <= set(result.panel)
    assert len(result.panel) == 5 and meets(candidates, quotas, result.panel)
    assert sum(result.lottery.marginals.values()) == pytest.approx(5)
    for candidate_id in result.merit_panel:
        assert result.lottery.marginals[candidate_id] == 1.0
    for panel, _p in result.lottery.panels:
        assert meets(candidates, quotas, panel)
    # The merit seats are the best pair that the quotas can complete.
    score = {c.id: c.score for c in candidates}
    best = max(
        sum(score[i] for i in pair)
        for pair in itertools.combinations(score, 2)
        if any(set(pair) <= set(p) for p in all_panels(candidates, quotas, 5))
    )
    assert sum(score[i] for i in result.merit_panel) == best


# --- infeasibility ----------------------------------------------------------------------------


def test_more_seats_than_candidates():
    with pytest.raises(Infeasible) as error:
        select(pool(random.Random(0), 3), [], 4, method="merit")
    assert "larger than the pool" in error.value.explanation[0]


def test_conflicting_quotas_are_explained_with_the_minimum_relaxation():
    candidates = [
        Candidate(f"c{i}", {"gender": g, "age": a})
        for i, (g, a) in enumerate(["Fy", "Fy", "Fo", "My", "Mo", "Mo"])
    ]
    quotas = [
        Quota("gender", "F", 3, 3),  # all three women
        Quota("age", "o", 3, 3),  # and all three older people: 5 seats at least
        Quota("gender", "M", 0, 3),
    ]
    with pytest.raises(Infeasible) as error:
        select(candidates, quotas, 4, method="leximin", seed=1)
    infeasible = error.value
    text = " ".join(infeasible.explanation)
    assert "conflict" in text and "gender = F" in text or "age = o" in text
    change = sum((q.min - low) + (high - q.max) for q, low, high in infeasible.relaxations)
    assert change == 1
    relaxed = {
        (q.feature, q.value): Quota(q.feature, q.value, lo, hi)
        for q, lo, hi in infeasible.relaxations
    }
    fixed = [relaxed.get((q.feature, q.value), q) for q in quotas]
    assert select(candidates, fixed, 4, method="merit").panel


def test_minimum_above_the_pool_is_named():
    candidates = [Candidate(f"c{i}", {"zone": "east"}) for i in range(4)]
    with pytest.raises(Infeasible) as error:
        select(candidates, [Quota("zone", "west", 1, 2)], 2, method="merit")
    assert any("only 0 candidates" in line for line in error.value.explanation)
    assert error.value.relaxations[0][1:] == (0, 2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "alphabetical"}, "Unknown method"),
        ({"method": "merit", "seats": -1}, "seats"),
        ({"method": "hybrid", "merit_seats": 9}, "merit seats"),
        ({"method": "budget", "budget": -5}, "budget"),
    ],
)
def test_bad_arguments_are_value_errors(kwargs, message):
    candidates = pool(random.Random(0), 5)
    seats = kwargs.pop("seats", 2)
    with pytest.raises(ValueError, match=message):
        select(candidates, [], seats, **kwargs)


def test_bad_quotas_and_duplicates_are_value_errors():
    candidates = pool(random.Random(0), 4)
    with pytest.raises(ValueError, match="between 0 and"):
        select(candidates, [Quota("gender", "F", 3, 2)], 2, method="merit")
    with pytest.raises(ValueError, match="twice"):
        select([*candidates, candidates[0]], [], 2, method="merit")


def test_proportional_quotas():
    candidates = [Candidate(str(i), {"zone": "east" if i < 6 else "west"}) for i in range(10)]
    quotas = proportional_quotas(candidates, "zone", 5, 1)
    assert quotas == [Quota("zone", "east", 2, 4), Quota("zone", "west", 1, 3)]
    assert proportional_quotas(candidates, "zone", 5, 0) == [
        Quota("zone", "east", 3, 3),
        Quota("zone", "west", 2, 2),
    ]


# --- properties -------------------------------------------------------------------------------

profiles = st.fixed_dictionaries({"g": st.sampled_from("FMX"), "z": st.sampled_from("ab")})


@st.composite
def instances(draw_):
    features = draw_(st.lists(profiles, min_size=1, max_size=8))
    candidates = [Candidate(f"p{i}", f, score=float(i % 3)) for i, f in enumerate(features)]
    seats = draw_(st.integers(0, len(candidates)))
    quotas = []
    for feature, values in (("g", "FMX"), ("z", "ab")):
        for value in values:
            if draw_(st.booleans()):
                low = draw_(st.integers(0, 3))
                quotas.append(Quota(feature, value, low, low + draw_(st.integers(0, 3))))
    return candidates, quotas, seats


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(0, 10**6))
def test_lotteries_meet_the_quotas_or_explain_why_not(instance, seed):
    candidates, quotas, seats = instance
    panels = all_panels(candidates, quotas, seats)
    try:
        result = select(candidates, quotas, seats, method="leximin", seed=seed)
    except Infeasible as error:
        assert not panels
        assert error.explanation
        return
    assert panels
    assert quotas_met(candidates, quotas, result.panel)
    _check_lottery(candidates, quotas, seats, result.lottery)
    ids = [c.id for c in candidates]
    best_min = lp_max(panels, ids, None, {i: 0.0 for i in ids if not any(i in p for p in panels)})
    reachable = [i for i in ids if any(i in p for p in panels)]
    if not reachable:
        assert result.panel == []
        return
    assert min(result.lottery.marginals[i] for i in reachable) == pytest.approx(best_min, abs=1e-6)
    merit = select(candidates, quotas, seats, method="merit")
    score = {c.id: c.score for c in candidates}
    assert merit.total_score == pytest.approx(max(sum(score[i] for i in p) for p in panels))


@settings(max_examples=25, deadline=None)
@given(instances())
def test_relaxations_are_minimal(instance):
    candidates, quotas, seats = instance
    if all_panels(candidates, quotas, seats):
        return
    with pytest.raises(Infeasible) as error:
        select(candidates, quotas, seats, method="merit")
    if seats > len(candidates) or not error.value.relaxations:
        return
    relaxed = {(q.feature, q.value): (lo, hi) for q, lo, hi in error.value.relaxations}
    fixed = [
        Quota(q.feature, q.value, *relaxed.get((q.feature, q.value), (q.min, q.max)))
        for q in quotas
    ]
    assert all_panels(candidates, fixed, seats)
    change = sum((q.min - lo) + (hi - q.max) for q, lo, hi in error.value.relaxations)
    # No panel is reachable by a smaller total change.
    best = min(
        sum(
            max(0, q.min - c) + max(0, c - q.max)
            for q in quotas
            for c in [
                sum(
                    1 for x in candidates if x.id in set(p) and x.features.get(q.feature) == q.value
                )
            ]
        )
        for p in itertools.combinations([c.id for c in candidates], seats)
    )
    assert change == best


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_leximin_dominates_maximin_and_the_same_input_gives_the_same_lottery(instance):
    candidates, quotas, seats = instance
    try:
        leximin = fair_lottery(candidates, quotas, seats, method="leximin")
    except Infeasible:
        return
    maximin = fair_lottery(candidates, quotas, seats, method="maximin")
    # Sorted probabilities: leximin's are lexicographically at least maximin's (its smallest
    # equal, within the solver's tolerance; the next ones never lower where the smaller agree).
    ours, theirs = sorted(leximin.marginals.values()), sorted(maximin.marginals.values())
    assert ours[0] >= theirs[0] - 1e-6
    for mine, other in zip(ours, theirs, strict=True):
        if abs(mine - other) > 1e-6:
            assert mine > other
            break
    assert math.fsum(ours) == pytest.approx(seats, abs=1e-6)
    again = fair_lottery(list(reversed(candidates)), quotas, seats, method="leximin")
    assert again.marginals == pytest.approx(leximin.marginals, abs=1e-7)
    twice = fair_lottery(candidates, quotas, seats, method="leximin")
    assert twice.panels == leximin.panels and twice.marginals == leximin.marginals


def ninety(seed):
    rng = random.Random(seed)
    candidates = [
        Candidate(
            f"c{i}",
            {"g": rng.choice("FFMX"), "z": rng.choice("abbc"), "k": rng.choice("uvw")},
        )
        for i in range(90)
    ]
    quotas = [
        Quota("g", "F", 4, 7),
        Quota("g", "M", 4, 7),
        Quota("g", "X", 1, 2),
        Quota("z", "a", 4, 6),
        Quota("z", "b", 3, 6),
        Quota("k", "u", 2, 6),
        Quota("k", "w", 3, 5),
    ]
    return candidates, quotas


@pytest.mark.parametrize("seed", [3, 17])
def test_stabilised_column_generation_finds_the_plain_one_s_leximin(seed, monkeypatch):
    """Dual smoothing changes where columns are priced, never the leximin probabilities."""
    import terreau.calls.selection as selection

    monkeypatch.setattr(selection, "RELAXATION", False)
    candidates, quotas = ninety(seed)
    stabilised = fair_lottery(candidates, quotas, 12, method="leximin")
    monkeypatch.setattr(selection, "SMOOTHING", 0.0)
    monkeypatch.setattr(selection, "GAP_TOLERANCE", -1.0)
    plain = fair_lottery(candidates, quotas, 12, method="leximin")
    assert stabilised.marginals == pytest.approx(plain.marginals, abs=1e-6)


@pytest.mark.parametrize("seed", [3, 17, 40])
def test_the_relaxation_s_levels_give_the_exact_loop_s_leximin(seed, monkeypatch):
    """Levels stopped at the relaxation's values, its profiles fixed, its point's compositions
    as the first columns: the same probabilities as the exact loop alone."""
    import terreau.calls.selection as selection

    candidates, quotas = ninety(seed)
    guided = fair_lottery(candidates, quotas, 12, method="leximin")
    assert guided.stats["relaxation_levels"]
    _check_lottery(candidates, quotas, 12, guided)
    monkeypatch.setattr(selection, "RELAXATION", False)
    exact = fair_lottery(candidates, quotas, 12, method="leximin")
    assert guided.marginals == pytest.approx(exact.marginals, abs=1e-6)


def test_the_relaxation_survives_a_solver_that_ends_without_a_status(monkeypatch):
    """HiGHS sometimes leaves a linear programme "Not Set": solved again, same levels; when it
    keeps failing, no relaxation (the exact loop alone)."""
    import terreau.calls.selection as selection

    candidates, quotas = ninety(3)
    problem = selection._Problem(candidates, quotas)
    reachable = [True] * len(problem.sizes)
    expected = selection._relaxed_leximin(problem, 12, reachable)
    assert expected is not None
    real = selection._run
    calls = []

    def flaky(highs):
        calls.append(1)
        if len(calls) % 2:
            raise RuntimeError("HiGHS: Not Set")
        return real(highs)

    monkeypatch.setattr(selection, "_run", flaky)
    levels, point = selection._relaxed_leximin(problem, 12, reachable)
    assert [z for z, _group in levels] == pytest.approx([z for z, _group in expected[0]])
    assert [sorted(g) for _z, g in levels] == [sorted(g) for _z, g in expected[0]]

    def broken(highs):
        raise RuntimeError("HiGHS: Not Set")

    monkeypatch.setattr(selection, "_run", broken)
    assert selection._relaxed_leximin(problem, 12, reachable) is None


def test_where_the_relaxation_is_not_tight_the_exact_loop_finds_the_leximin():
    """A pool whose relaxation has fractional vertices: a level falls short of the relaxation's
    value, the later levels come from the exact loop, and the lottery is still the brute-force
    leximin."""
    rng = random.Random(191)
    size, seats = rng.choice([(7, 3), (9, 4), (12, 5)])
    candidates = pool(rng, size)
    quotas = random_quotas(rng, candidates, seats)
    lottery = fair_lottery(candidates, quotas, seats, method="leximin")
    assert lottery.stats["levels_at_target"] < lottery.stats["levels"]
    expected = brute_leximin(candidates, quotas, seats)
    for candidate_id, probability in expected.items():
        assert lottery.marginals[candidate_id] == pytest.approx(probability, abs=1e-6)
    _check_lottery(candidates, quotas, seats, lottery)
