"""Where a quoted passage sits in a text after the text changed. Pure module."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int


def locate(text: str, quote: str, *, start: int | None = None) -> Anchor | None:
    """The occurrence of `quote` in `text` nearest to its former `start`, or None when the
    passage is no longer there."""
    if not quote:
        return None
    if start is not None and text[start : start + len(quote)] == quote:
        return Anchor(start, start + len(quote))
    found, position = [], text.find(quote)
    while position != -1:
        found.append(position)
        position = text.find(quote, position + 1)
    if not found:
        return None
    best = min(found, key=lambda p: abs(p - (start or 0)))
    return Anchor(best, best + len(quote))


def check_quote(text: str, quote: str, start: int | None) -> Anchor | None:
    """Anchor a new comment or suggestion: the quote must be in the text (the offset, when it
    is wrong or missing, is corrected to the nearest occurrence)."""
    return locate(text, quote, start=start)
