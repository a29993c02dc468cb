"""Hours attended: half-day spans of a day, minus meals, for the attendance records ticked.

Pure functions on `datetime.time` values (no Django), so the rule is tested on its own.
"""

from collections.abc import Iterable
from datetime import time

MORNING = "am"
AFTERNOON = "pm"
# French custom: the morning ends and the afternoon begins at 13:00 (a lunch break that overlaps
# it is removed from both halves anyway).
DEFAULT_SPLIT = time(13, 0)

Span = tuple[int, int]  # minutes since midnight, start < end


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def half_spans(day_start: time, day_end: time, split: time = DEFAULT_SPLIT) -> dict[str, Span]:
    """The halves a day actually has: a day that starts at 14:00 has no morning."""
    start, end, middle = _minutes(day_start), _minutes(day_end), _minutes(split)
    spans: dict[str, Span] = {}
    if start < min(end, middle):
        spans[MORNING] = (start, min(end, middle))
    if max(start, middle) < end:
        spans[AFTERNOON] = (max(start, middle), end)
    return spans


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def attended_minutes(
    day_start: time,
    day_end: time,
    halves: Iterable[str],
    breaks: Iterable[tuple[time, time]] = (),
    split: time = DEFAULT_SPLIT,
) -> int:
    """Minutes of a day spent in the halves attended, meals and the evening left out."""
    spans = half_spans(day_start, day_end, split)
    pauses = _merge((_minutes(a), _minutes(b)) for a, b in breaks if _minutes(a) < _minutes(b))
    total = 0
    for half in set(halves):
        span = spans.get(half)
        if span is None:
            continue
        total += span[1] - span[0] - sum(_overlap(span, pause) for pause in pauses)
    return total


Slot = tuple[time, time | None, bool]  # start, end (None: not given), is training time


def training_window(day_start: time, day_end: time, slots: list[Slot]) -> tuple[time, time]:
    """The day's training time: from the first training slot's start to the last one's end,
    within the day's times. A slot without an end (a closing at 18:15) ends when it starts.
    Without a programme, the day's own times."""
    training = [(start, end or start) for start, end, is_training in slots if is_training]
    if not training:
        return day_start, day_end
    start = max(day_start, min(slot_start for slot_start, _end in training))
    end = min(day_end, max(slot_end for _start, slot_end in training))
    return (start, end) if start < end else (day_start, day_end)


def breaks(day_end: time, slots: list[Slot]) -> list[tuple[time, time]]:
    """The spans of the slots that are not training time (meals, the evening); a slot without
    an end lasts until the next slot, or the end of the day."""
    ordered = sorted(slots, key=lambda slot: slot[0])
    found = []
    for index, (start, end, is_training) in enumerate(ordered):
        if is_training:
            continue
        if end is None:
            end = ordered[index + 1][0] if index + 1 < len(ordered) else day_end
        if start < end:
            found.append((start, end))
    return found


def format_hours(minutes: int) -> str:
    """7 h, 10 h 15 (the French way of writing durations, also read well in English)."""
    hours, rest = divmod(max(0, minutes), 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"
