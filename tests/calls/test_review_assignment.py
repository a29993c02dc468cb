"""The balanced reviewer assignment, against brute force on small cases and with Hypothesis."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from terreau.calls.review_assignment import Item, assign, eligible


def brute_force_best_max_load(applications, reviewers, per_application, conflicts=frozenset()):
    """(most reviewers placed, smallest largest load among assignments placing that many)."""
    options = []
    for application in applications:
        allowed = [r for r in reviewers if eligible(application, r, set(conflicts))]
        size = min(per_application, len(allowed))
        options.append(list(itertools.combinations([r.id for r in allowed], size)))
    best = None
    for choice in itertools.product(*options):
        loads = {r.id: 0 for r in reviewers}
        for group in choice:
            for rid in group:
                loads[rid] += 1
        largest = max(loads.values())
        best = largest if best is None else min(best, largest)
    return best


def check(result, applications, reviewers, per_application, conflicts=frozenset()):
    by_id = {a.id: a for a in applications}
    reviewers_by_id = {r.id: r for r in reviewers}
    seen = set()
    for app_id, rev_id in result.pairs:
        assert (app_id, rev_id) not in seen, "a pair twice"
        seen.add((app_id, rev_id))
        assert eligible(by_id[app_id], reviewers_by_id[rev_id], set(conflicts))
    counts = {a.id: 0 for a in applications}
    for app_id, _rev_id in result.pairs:
        counts[app_id] += 1
    for application in applications:
        possible = sum(1 for r in reviewers if eligible(application, r, set(conflicts)))
        assert counts[application.id] == min(per_application, possible)


def test_every_application_gets_n_reviewers_with_even_loads():
    applications = [Item(i) for i in range(10)]
    reviewers = [Item(100 + i) for i in range(4)]
    result = assign(applications, reviewers, 2)
    check(result, applications, reviewers, 2)
    assert sorted(result.loads.values()) == [5, 5, 5, 5]
    assert result.shortfalls == {}


def test_never_a_reviewer_from_the_applicants_organisation():
    applications = [Item(1, frozenset({7})), Item(2, frozenset({8})), Item(3)]
    reviewers = [Item(10, frozenset({7})), Item(11, frozenset({8})), Item(12)]
    result = assign(applications, reviewers, 2)
    assert (1, 10) not in result.pairs and (2, 11) not in result.pairs
    check(result, applications, reviewers, 2)


def test_declared_conflicts_are_respected_and_shortfalls_reported():
    applications = [Item(1), Item(2)]
    reviewers = [Item(10), Item(11)]
    result = assign(applications, reviewers, 2, conflicts={(1, 10)})
    assert (1, 10) not in result.pairs
    assert result.shortfalls == {1: 1}


def test_existing_assignments_are_kept_and_counted():
    applications = [Item(1), Item(2), Item(3)]
    reviewers = [Item(10), Item(11)]
    result = assign(applications, reviewers, 1, existing={(1, 10), (2, 10)})
    assert result.pairs == [(3, 11)]
    assert result.loads == {10: 2, 11: 1}


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 5),
    st.integers(1, 4),
    st.integers(1, 3),
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3)), max_size=6),
    st.lists(st.integers(0, 2), min_size=9, max_size=9),
)
def test_largest_load_is_optimal_against_brute_force(n_apps, n_revs, per, conflict_pairs, orgs):
    applications = [
        Item(i, frozenset({orgs[i]}) if orgs[i] else frozenset()) for i in range(n_apps)
    ]
    reviewers = [
        Item(100 + j, frozenset({orgs[5 + j]}) if orgs[5 + j] else frozenset())
        for j in range(n_revs)
    ]
    conflicts = {(a, 100 + r) for a, r in conflict_pairs if a < n_apps and r < n_revs}
    result = assign(applications, reviewers, per, conflicts=conflicts)
    check(result, applications, reviewers, per, conflicts)
    assert max(result.loads.values()) == brute_force_best_max_load(
        applications, reviewers, per, conflicts
    )
