"""A readable field-by-field diff between two versions of a record (pure: no Django).

Text is compared word by word (difflib); lists report what was added and removed; other values
read "old → new".
"""

import difflib
import re
from dataclasses import dataclass, field

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass
class FieldChange:
    name: str
    kind: str  # "text", "list" or "value"
    old: object = None
    new: object = None
    segments: list[tuple[str, str]] = field(default_factory=list)  # (equal|insert|delete, text)
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)


def text_segments(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level edit script from old to new, as runs of equal, deleted and inserted text."""
    old_tokens = TOKEN.findall(old or "")
    new_tokens = TOKEN.findall(new or "")
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(old_tokens[i1:i2])))
            continue
        if op in {"delete", "replace"}:
            segments.append(("delete", "".join(old_tokens[i1:i2])))
        if op in {"insert", "replace"}:
            segments.append(("insert", "".join(new_tokens[j1:j2])))
    return segments


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def diff_records(
    old: dict, new: dict, fields: list[str], text_fields: set[str], list_fields: set[str]
) -> list[FieldChange]:
    """The changes from old to new over `fields`, in that order; unchanged fields are left out.

    Values are expected in display form (labels, not ids) so the result reads as it is.
    """
    changes = []
    for name in fields:
        before, after = old.get(name), new.get(name)
        if _is_empty(before) and _is_empty(after):
            continue
        if name in list_fields:
            before_list, after_list = list(before or []), list(after or [])
            added = [item for item in after_list if item not in before_list]
            removed = [item for item in before_list if item not in after_list]
            if added or removed:
                changes.append(
                    FieldChange(name, "list", before_list, after_list, added=added, removed=removed)
                )
        elif before != after:
            if name in text_fields:
                changes.append(
                    FieldChange(
                        name,
                        "text",
                        before or "",
                        after or "",
                        segments=text_segments(before or "", after or ""),
                    )
                )
            else:
                changes.append(FieldChange(name, "value", before, after))
    return changes
