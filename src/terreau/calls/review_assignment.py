"""Balanced reviewer assignment: N reviewers per application, loads as even as possible, and
never a reviewer on an application from their own organisation (or one they declared a
conflict on). Pure Python, no Django.

The assignment is a flow problem: source → application (capacity N − already assigned) →
eligible reviewer (capacity 1) → sink (capacity L − current load). The smallest L for which the
maximum flow is as large as it can be (the flow with L = ∞) is the optimal largest load; a
maximum flow at that L is the assignment. Then single pairs move from a reviewer to one
with at least two fewer while any such move exists, so that loads below the maximum are even too.
"""

from collections import deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    """An application (or a reviewer): its id and the organisations it belongs to."""

    id: int
    organisations: frozenset = frozenset()


@dataclass
class AssignmentResult:
    pairs: list[tuple[int, int]]  # (application id, reviewer id), new ones only
    loads: dict[int, int]  # reviewer id → total load, existing included
    shortfalls: dict[int, int] = field(default_factory=dict)  # application id → reviewers missing


class _Flow:
    def __init__(self, size: int):
        self.graph: list[list[list[int]]] = [[] for _ in range(size)]

    def add(self, source: int, target: int, capacity: int) -> list[int]:
        forward = [target, capacity, 0]
        backward = [source, 0, 0]
        forward[2] = len(self.graph[target])
        backward[2] = len(self.graph[source])
        self.graph[source].append(forward)
        self.graph[target].append(backward)
        return forward

    def max_flow(self, source: int, sink: int) -> int:
        total = 0
        while True:
            parent: list[tuple[int, int] | None] = [None] * len(self.graph)
            parent[source] = (source, -1)
            queue = deque([source])
            while queue and parent[sink] is None:
                node = queue.popleft()
                for index, (target, capacity, _reverse) in enumerate(self.graph[node]):
                    if capacity > 0 and parent[target] is None:
                        parent[target] = (node, index)
                        queue.append(target)
            if parent[sink] is None:
                return total
            # Every path found has bottleneck ≥ 1; push one unit (capacities are small).
            node = sink
            while node != source:
                previous, index = parent[node]
                edge = self.graph[previous][index]
                edge[1] -= 1
                self.graph[node][edge[2]][1] += 1
                node = previous
            total += 1


def eligible(application: Item, reviewer: Item, conflicts: set[tuple[int, int]]) -> bool:
    if (application.id, reviewer.id) in conflicts:
        return False
    return not (application.organisations & reviewer.organisations)


def _solve(applications, reviewers, per_application, existing, conflicts, loads, limit):
    app_index = {a.id: 1 + i for i, a in enumerate(applications)}
    rev_index = {r.id: 1 + len(applications) + i for i, r in enumerate(reviewers)}
    sink = 1 + len(applications) + len(reviewers)
    flow = _Flow(sink + 1)
    edges = []
    have = {a.id: 0 for a in applications}
    for app_id, _rev_id in existing:
        if app_id in have:
            have[app_id] += 1
    # Least-loaded reviewers first, so that the augmenting paths prefer them.
    ordered = sorted(reviewers, key=lambda r: (loads.get(r.id, 0), r.id))
    for application in applications:
        need = max(0, per_application - have[application.id])
        if not need:
            continue
        flow.add(0, app_index[application.id], need)
        for reviewer in ordered:
            if (application.id, reviewer.id) in existing:
                continue
            if eligible(application, reviewer, conflicts):
                edge = flow.add(app_index[application.id], rev_index[reviewer.id], 1)
                edges.append((application.id, reviewer.id, edge))
    for reviewer in ordered:
        room = limit - loads.get(reviewer.id, 0)
        if room > 0:
            flow.add(rev_index[reviewer.id], sink, room)
    total = flow.max_flow(0, sink)
    pairs = [(app_id, rev_id) for app_id, rev_id, edge in edges if edge[1] == 0]
    return total, pairs


def _even_out(pairs, applications, reviewers, existing, conflicts, loads):
    """Move single new pairs from a reviewer to one with at least two fewer, while possible:
    the largest load never grows, and each move makes the loads strictly more even."""
    apps = {a.id: a for a in applications}
    revs = {r.id: r for r in reviewers}
    pairs = set(pairs)
    current = dict(loads)
    for _app_id, rev_id in pairs:
        current[rev_id] += 1
    taken = pairs | set(existing)
    moved = True
    while moved:
        moved = False
        for app_id, heavy in sorted(pairs, key=lambda p: -current[p[1]]):
            for light in sorted(revs, key=lambda r: current[r]):
                if current[light] + 2 > current[heavy]:
                    break
                if (app_id, light) in taken or not eligible(apps[app_id], revs[light], conflicts):
                    continue
                pairs.discard((app_id, heavy))
                taken.discard((app_id, heavy))
                pairs.add((app_id, light))
                taken.add((app_id, light))
                current[heavy] -= 1
                current[light] += 1
                moved = True
                break
            if moved:
                break
    return sorted(pairs)


def assign(
    applications: list[Item],
    reviewers: list[Item],
    per_application: int,
    *,
    existing: set[tuple[int, int]] | frozenset = frozenset(),
    conflicts: set[tuple[int, int]] | frozenset = frozenset(),
) -> AssignmentResult:
    """New (application, reviewer) pairs so that each application reaches `per_application`
    reviewers where eligible ones exist, with the smallest possible largest reviewer load.

    `existing`: pairs already assigned (kept, and counted in the loads); `conflicts`: pairs that
    must not be made. An application from organisation X never gets a reviewer of X.
    """
    if per_application < 0:
        raise ValueError("per_application must be positive")
    existing = set(existing)
    loads = {r.id: 0 for r in reviewers}
    for _app_id, rev_id in existing:
        if rev_id in loads:
            loads[rev_id] += 1
    if not applications or not reviewers:
        pairs: list[tuple[int, int]] = []
    else:
        ceiling = max(loads.values()) + len(applications)
        best, pairs = _solve(
            applications, reviewers, per_application, existing, conflicts, loads, ceiling
        )
        low, high = max(loads.values()), ceiling
        # Smallest largest load that still places as many reviewers as the unbounded flow.
        while low < high:
            middle = (low + high) // 2
            total, _pairs = _solve(
                applications, reviewers, per_application, existing, conflicts, loads, middle
            )
            if total == best:
                high = middle
            else:
                low = middle + 1
        _total, pairs = _solve(
            applications, reviewers, per_application, existing, conflicts, loads, low
        )
        pairs = _even_out(pairs, applications, reviewers, existing, conflicts, loads)
    new_loads = dict(loads)
    counts = {a.id: 0 for a in applications}
    for app_id, _rev_id in existing:
        if app_id in counts:
            counts[app_id] += 1
    for app_id, rev_id in pairs:
        new_loads[rev_id] += 1
        counts[app_id] += 1
    shortfalls = {
        app_id: per_application - count
        for app_id, count in counts.items()
        if count < per_application
    }
    return AssignmentResult(pairs=sorted(pairs), loads=new_loads, shortfalls=shortfalls)
