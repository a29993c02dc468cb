"""The kinds the site-wide search finds, declared by each app in its `search_kinds.py`:

    KINDS = [SearchKind(key="resources", label=_("Resources"), position=40,
                        model=Resource, objects=..., document=...)]

An indexed kind gives the model whose saves re-index it, the public objects to index
(`objects()`, a queryset) and how to turn one into a `Document`; a kind with its own index (the
observatory's initiatives) gives `search` instead. Core's `app_modules` finds the modules, so an
app written later (calls, groups, worksites) plugs in by adding its own file.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from terreau.core.app_modules import app_modules


@dataclass
class Document:
    title: str
    url: str
    summary: str = ""
    body: str = ""
    date: dt.date | None = None
    department_code: str = ""
    theme_ids: list[int] = field(default_factory=list)


@dataclass
class Hit:
    title: str
    url: str
    excerpt: str = ""  # HTML-safe, matches in <mark>
    date: dt.date | None = None


@dataclass
class SearchKind:
    key: str
    label: str
    position: int = 100
    model: type | None = None
    objects: Callable | None = None  # () -> QuerySet of the public objects
    document: Callable | None = None  # (obj) -> Document
    # (query: SiteQuery, offset, limit) -> (count, [Hit]) for a kind with its own index
    search: Callable | None = None
    # extra models whose saves re-index objects of this kind: {model: (obj) -> [objects]}
    depends_on: dict = field(default_factory=dict)

    @property
    def is_indexed(self) -> bool:
        return self.search is None


@cache
def search_kinds() -> tuple[SearchKind, ...]:
    kinds = [kind for module in app_modules("search_kinds") for kind in module.KINDS]
    return tuple(sorted(kinds, key=lambda kind: (kind.position, kind.key)))


def kind_by_key(key: str) -> SearchKind | None:
    return next((kind for kind in search_kinds() if kind.key == key), None)
