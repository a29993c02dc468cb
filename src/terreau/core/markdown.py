"""Markdown rendering for user-written text, sanitised with nh3 (no script can get through)."""

import functools
import threading

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


# Loading the extensions costs more than converting a short text: one converter per thread,
# reset between texts. The same text always gives the same HTML, so the last ones are kept
# (texts up to CACHED_LENGTH characters, CACHE_SIZE of them per process: a few MB at most).
CACHED_LENGTH = 20_000
CACHE_SIZE = 512
_converters = threading.local()


def _convert(text: str, *, rich: bool) -> str:
    """Markdown to raw HTML with this thread's converter (rich: the extensions pages use)."""
    name = "rich" if rich else "plain"
    converter = getattr(_converters, name, None)
    if converter is None:
        options = {"extensions": ["extra", "sane_lists"], "output_format": "html"} if rich else {}
        converter = md.Markdown(**options)
        setattr(_converters, name, converter)
    try:
        return converter.convert(text)
    finally:
        converter.reset()


def _to_safe_html(text: str) -> str:
    html = _convert(text, rich=True)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


_cached_safe_html = functools.lru_cache(maxsize=CACHE_SIZE)(_to_safe_html)


def render_markdown(text: str | None) -> SafeString:
    """Turn Markdown into safe HTML: tags outside a short list and unsafe URLs are removed."""
    if not text:
        return mark_safe("")
    text = str(text)
    clean = _cached_safe_html(text) if len(text) <= CACHED_LENGTH else _to_safe_html(text)
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def markdown_to_text(text: str | None) -> str:
    """Plain text of a Markdown field (for excerpts, exports and search)."""
    if not text:
        return ""
    return nh3.clean(_convert(str(text), rich=False), tags=set()).strip()
