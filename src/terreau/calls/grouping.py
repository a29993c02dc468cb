"""Group formation: split the selected into groups whose mix stays near each group's fair share.

Plain data in, plain data out; no Django import. For a group g of size n_g out of N people and a
category value v held by c_v of them, the fair share is c_v × n_g / N; the group must hold
between its floor and its ceiling. An integer programme (HiGHS) finds sizes within each group's
(min, max) and members so that every (group, feature, value) count is within those bounds,
people pinned by staff (`fixed`) staying where they are. When the bounds cannot all hold, the
excess beyond them is minimised (each person beyond a bound costs 1), so a split is always
returned.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from terreau.calls.selection import Candidate, _build, _run


def form_groups(
    candidates: Iterable[Candidate],
    group_sizes: Mapping[str, tuple[int, int]],
    features: Sequence[str],
    *,
    fixed: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """group id → candidate ids (in the candidates' order); raises ValueError on bad input."""
    candidates = list(candidates)
    fixed = dict(fixed or {})
    groups = list(group_sizes)
    ids = [c.id for c in candidates]
    if len(set(ids)) != len(ids):
        raise ValueError("A candidate appears twice.")
    for group, (low, high) in group_sizes.items():
        if low < 0 or high < low:
            raise ValueError(f"Group {group!r}: sizes must satisfy 0 ≤ min ≤ max.")
    for candidate_id, group in fixed.items():
        if candidate_id not in ids:
            raise ValueError(f"Unknown candidate {candidate_id!r} pinned.")
        if group not in group_sizes:
            raise ValueError(f"Unknown group {group!r}.")
    total = len(candidates)
    if total < sum(low for low, _h in group_sizes.values()):
        raise ValueError("Fewer people than the groups' minimum sizes add up to.")
    if total > sum(high for _l, high in group_sizes.values()):
        raise ValueError("More people than the groups' maximum sizes add up to.")
    if not groups:
        return {}
    n, k = len(candidates), len(groups)
    expected = _expected_sizes(total, group_sizes)

    def x(i, g):
        return i * k + g

    columns = n * k
    rows = []
    for i in range(n):
        rows.append((1, 1, [(x(i, g), 1.0) for g in range(k)]))
    for g, group in enumerate(groups):
        low, high = group_sizes[group]
        rows.append((low, high, [(x(i, g), 1.0) for i in range(n)]))
    lower = [0.0] * columns
    upper = [1.0] * columns
    for i, candidate in enumerate(candidates):
        if candidate.id in fixed:
            lower[x(i, groups.index(fixed[candidate.id]))] = 1.0
    costs = [0.0] * columns
    # Balance rows, with penalised slack below the floor and above the ceiling.
    for feature in features:
        holders = defaultdict(list)
        for i, candidate in enumerate(candidates):
            value = candidate.features.get(feature)
            if value not in (None, ""):
                holders[value].append(i)
        for _value, members in sorted(holders.items()):
            for g, group in enumerate(groups):
                share = len(members) * expected[group] / total
                floor, ceiling = math.floor(share + 1e-9), math.ceil(share - 1e-9)
                entries = [(x(i, g), 1.0) for i in members]
                under, over = columns, columns + 1
                columns += 2
                costs += [1.0, 1.0]
                lower += [0.0, 0.0]
                upper += [math.inf, math.inf]
                rows.append((floor, math.inf, [*entries, (under, 1.0)]))
                rows.append((-math.inf, ceiling, [*entries, (over, -1.0)]))
    # Sizes near the expected ones: |size − expected| penalised lightly.
    for g, group in enumerate(groups):
        size_entries = [(x(i, g), 1.0) for i in range(n)]
        under, over = columns, columns + 1
        columns += 2
        costs += [0.01, 0.01]
        lower += [0.0, 0.0]
        upper += [math.inf, math.inf]
        rows.append((expected[group], math.inf, [*size_entries, (under, 1.0)]))
        rows.append((-math.inf, expected[group], [*size_entries, (over, -1.0)]))
    highs = _build(columns, costs, lower, upper, rows, integer=range(n * k))
    if not _run(highs):
        raise ValueError("The pinned people do not fit in the groups' sizes.")
    values = highs.getSolution().col_value
    result = {group: [] for group in groups}
    for i, candidate in enumerate(candidates):
        g = max(range(k), key=lambda g: values[x(i, g)])
        result[groups[g]].append(candidate.id)
    return result


def _expected_sizes(total: int, group_sizes: Mapping[str, tuple[int, int]]) -> dict[str, int]:
    """Group sizes as equal as the (min, max) allow, adding up to total (water-filling)."""
    sizes = {group: low for group, (low, _high) in group_sizes.items()}
    left = total - sum(sizes.values())
    while left > 0:
        open_groups = [g for g, (_l, high) in group_sizes.items() if sizes[g] < high]
        smallest = min(open_groups, key=lambda g: (sizes[g], list(group_sizes).index(g)))
        sizes[smallest] += 1
        left -= 1
    return sizes


def group_balance(
    groups: Mapping[str, Sequence[str]], candidates: Iterable[Candidate], features: Sequence[str]
) -> dict:
    """Per group and (feature, value): count, fair share, floor, ceiling, within; and the total
    number of people beyond the bounds (0: every group is within its fair share)."""
    by_id = {c.id: c for c in candidates}
    total = sum(len(members) for members in groups.values())
    report = {"groups": {}, "excess": 0}
    for group, members in groups.items():
        rows = []
        for feature in features:
            counts = defaultdict(int)
            overall = defaultdict(int)
            for members_of in groups.values():
                for candidate_id in members_of:
                    value = by_id[candidate_id].features.get(feature)
                    if value not in (None, ""):
                        overall[value] += 1
            for candidate_id in members:
                value = by_id[candidate_id].features.get(feature)
                if value not in (None, ""):
                    counts[value] += 1
            for value in sorted(overall):
                share = overall[value] * len(members) / total if total else 0.0
                floor, ceiling = math.floor(share + 1e-9), math.ceil(share - 1e-9)
                count = counts[value]
                excess = max(0, floor - count) + max(0, count - ceiling)
                report["excess"] += excess
                rows.append(
                    {
                        "feature": feature,
                        "value": value,
                        "count": count,
                        "share": round(share, 4),
                        "floor": floor,
                        "ceiling": ceiling,
                        "within": excess == 0,
                    }
                )
        report["groups"][group] = {"size": len(members), "balance": rows}
    return report
