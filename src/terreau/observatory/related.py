"""Ranking of related initiatives (pure: no Django): each shared theme and facilitation format
counts one, the same département one; ties go to the most recent (highest id)."""

from collections.abc import Iterable


def rank_related(
    counts: Iterable[tuple[int, int | None, int]], *, department_id, limit: int
) -> list[int]:
    """`counts` holds (initiative id, its département id, shared items) rows, an initiative
    possibly in several rows (themes, formats); returns the ids of the `limit` best."""
    scores: dict[int, int] = {}
    for pk, department, shared in counts:
        if pk not in scores:
            scores[pk] = 1 if department_id and department == department_id else 0
        scores[pk] += shared
    return sorted(scores, key=lambda pk: (-scores[pk], -pk))[:limit]
