"""Reads of the site-wide search: every kind's count and best hits for one query, or one
kind's page of hits, with the same facets (theme, territory, date) across kinds.

Queries per results page are constant: two for the counts and best hits of every indexed
kind (`fulltext.ranked_groups`: their ranks, then their fields), one count and one page per
kind with its own index; one count and one page for one kind's page."""

import datetime as dt
import html
from dataclasses import dataclass

from terreau.core import textsearch
from terreau.core.models import Theme

from . import fulltext
from .models import SearchDocument
from .registry import Hit, SearchKind, search_kinds

MAX_QUERY_CHARS = 500
HIT_FIELDS = ("title", "summary", "body", "url", "date")


@dataclass
class SiteQuery:
    text: str = ""
    theme: Theme | None = None
    department: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def __post_init__(self):
        self.text = (self.text or "")[:MAX_QUERY_CHARS]

    @property
    def is_empty(self) -> bool:
        return not textsearch.query_words(self.text)

    def theme_ids(self) -> list[int]:
        if self.theme is None:
            return []
        return [self.theme.pk, *self.theme.children.values_list("pk", flat=True)]


def _filtered(query: SiteQuery, kinds: list[str]):
    """The documents of these kinds that the query's facets keep (before the full text)."""
    documents = SearchDocument.objects.filter(kind__in=kinds)
    theme_ids = query.theme_ids()
    if theme_ids:
        through = SearchDocument.themes.through
        documents = documents.filter(
            pk__in=through.objects.filter(theme_id__in=theme_ids).values("searchdocument_id")
        )
    if query.department:
        documents = documents.filter(department_code=query.department)
    if query.date_from:
        documents = documents.filter(date__gte=query.date_from)
    if query.date_to:
        documents = documents.filter(date__lte=query.date_to)
    return documents


def _documents(query: SiteQuery, kinds: list[str]):
    return fulltext.match(_filtered(query, kinds), query.text)


def excerpt(text: str, query_text: str) -> str:
    terms = textsearch.query_terms(query_text)
    return textsearch.highlight(textsearch.strip_markdown(text), terms) if terms else ""


def marked_title(title: str, query_text: str) -> str:
    terms = textsearch.query_terms(query_text)
    return (textsearch.highlight(title, terms, length=10_000) if terms else "") or html.escape(
        title
    )


def _hits(documents, query: SiteQuery) -> list[Hit]:
    return [
        Hit(
            title=marked_title(document.title, query.text),
            url=document.url,
            excerpt=excerpt(document.summary, query.text)
            or excerpt(document.body, query.text)
            or html.escape(document.summary[:260]),
            date=document.date,
        )
        for document in documents
    ]


def kind_page(kind: SearchKind, query: SiteQuery, *, offset: int, limit: int):
    """(count, hits) of one kind for the query."""
    if query.is_empty:
        return 0, []
    if not kind.is_indexed:
        return kind.search(query, offset, limit)
    documents = _documents(query, [kind.key])
    count = documents.count()
    page = fulltext.ranked_page(
        documents, query.text, offset=offset, limit=limit, fields=HIT_FIELDS
    )
    return count, _hits(page, query)


def site_search(query: SiteQuery, *, per_kind: int = 3) -> list[dict]:
    """Every kind with its count and best hits (kinds without a match are left out)."""
    if query.is_empty:
        return []
    kinds = search_kinds()
    indexed = [kind.key for kind in kinds if kind.is_indexed]
    ranked = fulltext.ranked_groups(
        _filtered(query, indexed), query.text, per_kind=per_kind, fields=HIT_FIELDS
    )
    groups = []
    for kind in kinds:
        if kind.is_indexed:
            count, page = ranked.get(kind.key, (0, []))
            if not count:
                continue
            hits = _hits(page, query)
        else:
            count, hits = kind.search(query, 0, per_kind)
            if not count:
                continue
        groups.append({"kind": kind, "count": count, "hits": hits})
    return groups


def suggestions(text: str, *, limit: int = 6) -> list[Hit]:
    """Titles for the search box as one types: the best indexed documents whose text holds
    every word typed so far, as the results page finds them."""
    query = SiteQuery(text=text)
    if query.is_empty:
        return []
    documents = _documents(query, [kind.key for kind in search_kinds() if kind.is_indexed])
    page = fulltext.ranked_page(
        documents, text, offset=0, limit=limit, fields=("title", "url", "date")
    )
    return [Hit(title=document.title, url=document.url, date=document.date) for document in page]


def department_choices() -> list[tuple[str, str]]:
    from terreau.territories.models import Department

    return [(d.code, f"{d.name} ({d.code})") for d in Department.objects.order_by("code")]


__all__ = ["SiteQuery", "kind_page", "site_search", "suggestions"]
