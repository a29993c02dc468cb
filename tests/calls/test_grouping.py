"""Group formation (pure): every group within the floor and ceiling of its fair share."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terreau.calls.grouping import form_groups, group_balance
from terreau.calls.selection import Candidate


def people(rng, size):
    return [
        Candidate(
            f"p{i:02d}",
            {"zone": rng.choice(["east", "west"]), "kind": rng.choice(["assoc", "public", "firm"])},
        )
        for i in range(size)
    ]


def test_two_groups_of_twelve_to_fifteen_are_balanced():
    candidates = people(random.Random(1), 27)
    groups = form_groups(candidates, {"east": (12, 15), "west": (12, 15)}, ["zone", "kind"])
    assert sorted(len(m) for m in groups.values()) == [13, 14]
    assert sorted(i for m in groups.values() for i in m) == sorted(c.id for c in candidates)
    report = group_balance(groups, candidates, ["zone", "kind"])
    assert report["excess"] == 0
    assert all(row["within"] for g in report["groups"].values() for row in g["balance"])


def test_pinned_people_stay():
    candidates = people(random.Random(2), 10)
    fixed = {"p00": "b", "p01": "b", "p02": "a"}
    groups = form_groups(candidates, {"a": (5, 5), "b": (5, 5)}, ["kind"], fixed=fixed)
    for candidate_id, group in fixed.items():
        assert candidate_id in groups[group]


def test_balance_reports_an_unbalanced_split():
    candidates = [Candidate(f"p{i}", {"kind": "assoc" if i < 4 else "firm"}) for i in range(8)]
    groups = {"a": ["p0", "p1", "p2", "p3"], "b": ["p4", "p5", "p6", "p7"]}
    report = group_balance(groups, candidates, ["kind"])
    assert report["excess"] == 8  # 2 too many and 2 too few of each, in each group
    assert form_groups(candidates, {"a": (4, 4), "b": (4, 4)}, ["kind"]) != groups
    assert (
        group_balance(
            form_groups(candidates, {"a": (4, 4), "b": (4, 4)}, ["kind"]), candidates, ["kind"]
        )["excess"]
        == 0
    )


@pytest.mark.parametrize(
    ("sizes", "fixed", "message"),
    [
        ({"a": (1, 2)}, None, "More people"),
        ({"a": (9, 12)}, None, "Fewer people"),
        ({"a": (3, 2)}, None, "sizes"),
        ({"a": (3, 6)}, {"nobody": "a"}, "Unknown candidate"),
        ({"a": (3, 6)}, {"p0": "z"}, "Unknown group"),
    ],
)
def test_bad_input(sizes, fixed, message):
    candidates = [Candidate(f"p{i}", {}) for i in range(5)]
    with pytest.raises(ValueError, match=message):
        form_groups(candidates, sizes, [], fixed=fixed)


@settings(max_examples=30, deadline=None)
@given(st.integers(4, 30), st.integers(2, 3), st.integers(0, 10**6))
def test_groups_are_always_within_their_fair_share(size, count, seed):
    candidates = people(random.Random(seed), size)
    low = size // count
    sizes = {f"g{g}": (low, low + 1) for g in range(count)}
    groups = form_groups(candidates, sizes, ["zone", "kind"])
    assert sorted(i for m in groups.values() for i in m) == sorted(c.id for c in candidates)
    for group, members in groups.items():
        assert sizes[group][0] <= len(members) <= sizes[group][1]
    # With a single feature per person the fair-share rounding is always achievable.
    single = form_groups(candidates, sizes, ["kind"])
    assert group_balance(single, candidates, ["kind"])["excess"] == 0
