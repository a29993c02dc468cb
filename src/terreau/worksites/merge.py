"""A line-based three-way merge (base, theirs, yours) with difflib, for the conflict view of
a section edited by two people at once. Pure module."""

import difflib
from dataclasses import dataclass, field

MARK_THEIRS = "<<<<<<< "
MARK_SPLIT = "======="
MARK_YOURS = ">>>>>>> "


@dataclass
class MergeResult:
    text: str
    conflicts: int = 0
    chunks: list = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return self.conflicts == 0


def _changes(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    """(base start, base end, replacement lines) for each change from base to other."""
    matcher = difflib.SequenceMatcher(a=base, b=other, autojunk=False)
    return [
        (i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


def merge3(
    base: str, theirs: str, yours: str, *, theirs_label: str = "", yours_label: str = ""
) -> MergeResult:
    """Merge two edits of the same base. Changes that touch different lines are both kept;
    overlapping different changes are written between conflict markers, theirs first."""
    base_lines = base.splitlines()
    their_changes = _changes(base_lines, theirs.splitlines())
    your_changes = _changes(base_lines, yours.splitlines())
    events = sorted(
        [(c[0], c[1], "theirs", c[2]) for c in their_changes]
        + [(c[0], c[1], "yours", c[2]) for c in your_changes],
        key=lambda c: (c[0], c[1]),
    )
    out: list[str] = []
    chunks: list[tuple[str, list[str], list[str]]] = []
    conflicts = 0
    position = 0
    index = 0
    while index < len(events):
        start, end, who, lines = events[index]
        group = [events[index]]
        group_end = end
        index += 1
        # Gather every change that overlaps (or touches the same insertion point).
        while index < len(events) and (
            events[index][0] < group_end or (events[index][0] == start == group_end)
        ):
            group.append(events[index])
            group_end = max(group_end, events[index][1])
            index += 1
        out.extend(base_lines[position:start])
        sides = {g[2] for g in group}
        if len(sides) == 1:
            for _g_start, _g_end, _who, g_lines in group:
                out.extend(g_lines)
            chunks.append((who, [], []))
        else:
            theirs_part = _side(
                base_lines, start, group_end, [g for g in group if g[2] == "theirs"]
            )
            yours_part = _side(base_lines, start, group_end, [g for g in group if g[2] == "yours"])
            if theirs_part == yours_part:
                out.extend(theirs_part)
            else:
                conflicts += 1
                out.append(MARK_THEIRS + theirs_label)
                out.extend(theirs_part)
                out.append(MARK_SPLIT)
                out.extend(yours_part)
                out.append(MARK_YOURS + yours_label)
                chunks.append(("conflict", theirs_part, yours_part))
        position = group_end
    out.extend(base_lines[position:])
    text = "\n".join(out)
    if (yours.endswith("\n") or theirs.endswith("\n")) and out:
        text += "\n"
    return MergeResult(text=text, conflicts=conflicts, chunks=chunks)


def _side(base: list[str], start: int, end: int, changes) -> list[str]:
    """The lines base[start:end] become on one side, given that side's changes inside it."""
    result: list[str] = []
    position = start
    for c_start, c_end, _who, lines in sorted(changes, key=lambda c: c[0]):
        result.extend(base[position:c_start])
        result.extend(lines)
        position = c_end
    result.extend(base[position:end])
    return result


def has_markers(text: str) -> bool:
    return any(
        line.startswith(MARK_THEIRS) or line == MARK_SPLIT or line.startswith(MARK_YOURS)
        for line in text.splitlines()
    )


def unified_diff(
    old: str, new: str, *, old_label: str = "", new_label: str = ""
) -> list[tuple[str, str]]:
    """(kind, line) pairs of a unified diff for display: kind is add, remove, hunk or same."""
    lines = []
    for line in difflib.unified_diff(
        old.splitlines(), new.splitlines(), old_label, new_label, lineterm="", n=2
    ):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(("hunk", line))
        elif line.startswith("+"):
            lines.append(("add", line[1:]))
        elif line.startswith("-"):
            lines.append(("remove", line[1:]))
        else:
            lines.append(("same", line[1:]))
    return lines
