"""Reads of the public catalogue: filtered and searched initiatives, facet counts, map points,
dashboard charts. Every function runs a bounded number of queries, whatever the data size."""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F, Func, IntegerField, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from terreau.core import textsearch, versions
from terreau.core.charts import bar_chart_svg
from terreau.core.models import Theme
from terreau.territories.models import Department

from .. import search
from ..lookups import pk_in_subquery
from ..models import (
    FacilitationFormat,
    Initiative,
    ParticipationLevel,
    Phase,
    PublicationState,
    Scale,
    Status,
    TargetPublic,
)

# Facet counts and map points are cached this long at most (a change of the catalogue makes
# new cache keys at once, see catalogue_fingerprint).
CACHE_SECONDS = 15 * 60
# How many communes the commune facet offers (the most frequent ones, plus those selected).
COMMUNE_FACET_SIZE = 12


class StartYear(Func):
    """The year of `start_date` as an integer, without a per-row Python function on SQLite."""

    output_field = IntegerField()

    def __init__(self, expression="start_date", **extra):
        super().__init__(F(expression), **extra)

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="CAST(EXTRACT(YEAR FROM %(expressions)s) AS integer)"
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="CAST(substr(%(expressions)s, 1, 4) AS integer)"
        )


def initiative_published() -> QuerySet:
    return Initiative.objects.filter(state=PublicationState.PUBLISHED)


class SortChoices:
    RELEVANCE = "relevance"
    DATE = "date"
    TITLE = "title"
    values = [RELEVANCE, DATE, TITLE]
    choices = [
        (RELEVANCE, _("Relevance")),
        (DATE, _("Most recent")),
        (TITLE, _("Title (A to Z)")),
    ]


# Filters -----------------------------------------------------------------------------------
# Each takes the initiatives, the cleaned value of its filter (never empty) and whether a
# filter on the initiative's own columns applies too (then the search tests its matches as
# membership, see search.search_filter).


def _any_of(column: str):
    def filter_column(queryset: QuerySet, values, by_columns: bool) -> QuerySet:
        condition = Q()
        for value in values:
            condition |= Q(**{column: value})
        return queryset.filter(condition)

    return filter_column


def _linked_to(field_name: str, column: str):
    """The initiatives linked through the many-to-many `field_name` to one of the values: a
    subquery, no duplicates, no DISTINCT; tested as membership (lookups.pk_in_subquery), so
    that SQLite walks the index of the other filters or of the sort order and stops at the
    end of the page, instead of reading and sorting every initiative of a term."""

    def filter_links(queryset: QuerySet, values, by_columns: bool) -> QuerySet:
        through = getattr(Initiative, field_name).through
        links = through.objects.filter(**{f"{column}__in": [value.pk for value in values]})
        return pk_in_subquery(queryset, links.values("initiative_id"))

    return filter_links


def _filter_search(queryset: QuerySet, text: str, by_columns: bool) -> QuerySet:
    return search.search_filter(queryset, text, membership=by_columns)


def _filter_theme(queryset: QuerySet, themes, by_columns: bool) -> QuerySet:
    ids = [theme.pk for theme in themes]
    # A theme includes its sub-themes (a subquery: no query of its own).
    chosen = Theme.objects.filter(Q(pk__in=ids) | Q(parent__in=ids)).values("pk")
    links = Initiative.themes.through.objects.filter(theme_id__in=chosen)
    return pk_in_subquery(queryset, links.values("initiative_id"))


def _filter_year(queryset: QuerySet, years, by_columns: bool) -> QuerySet:
    condition = Q()
    for year in years:
        condition |= Q(start_date__year=year)
    return queryset.filter(condition)


# The catalogue's filters, in the order they apply, by their name in the query string.
FILTERS = {
    "q": _filter_search,
    "theme": _filter_theme,
    "department": _any_of("department"),
    "commune": _any_of("commune"),
    "scale": _any_of("scale"),
    "status": _any_of("status"),
    "phase": _any_of("phase"),
    "target_public": _linked_to("target_publics", "targetpublic_id"),
    "format": _linked_to("facilitation_formats", "facilitationformat_id"),
    "level": _any_of("participation_level"),
    "year": _filter_year,
}
# The filters on the initiative's own columns (those of the covering facets index).
COLUMN_FILTERS = ("department", "commune", "scale", "status", "phase", "level", "year")


def initiative_filtered(filters: dict, *, excluded: str | None = None) -> QuerySet:
    """The published initiatives that the cleaned `filters` select (a search text under "q";
    lists of values, terms or territories under the other names of FILTERS), every filter but
    `excluded` (for a facet's counts). An empty value does not filter."""
    by_columns = any(filters.get(name) for name in COLUMN_FILTERS if name != excluded)
    queryset = initiative_published()
    for name, apply in FILTERS.items():
        value = filters.get(name)
        if name != excluded and value:
            queryset = apply(queryset, value, by_columns)
    return queryset


@dataclass
class Catalogue:
    """The published initiatives that cleaned filters select, sorted; `params`, the query
    string they came from, is kept for links and cache keys."""

    filters: dict
    queryset: QuerySet
    query: str
    terms: list[str]
    sort: str
    params: QueryDict

    @property
    def is_search(self) -> bool:
        return bool(self.terms)


def initiative_catalogue(
    *, filters: dict, sort: str = "", is_valid: bool = True, params: QueryDict | None = None
) -> Catalogue:
    """Filter and sort the published catalogue from cleaned values (see `initiative_filtered`;
    `filters.catalogue_from_query` cleans a query string). `is_valid` False: a value named
    nothing, no initiative is selected (the facets still count with the valid filters). `sort`
    is one of SortChoices' values, or empty for the default (relevance for a search, else
    the most recent first)."""
    queryset = initiative_filtered(filters) if is_valid else initiative_published().none()
    query = filters.get("q") or ""
    terms = textsearch.query_terms(query)
    if not sort or (sort == SortChoices.RELEVANCE and not terms):
        sort = SortChoices.RELEVANCE if terms else SortChoices.DATE
    if sort == SortChoices.RELEVANCE:
        # SQLite: the rank order comes from the FTS5 table, page by page (CataloguePage).
        # (An invalid filter selected nothing: that empty queryset has no rank to sort on.)
        if search.ranks_in_database() and is_valid:
            queryset = queryset.order_by("-search_rank", "title", "pk")
    elif sort == SortChoices.DATE:
        queryset = queryset.order_by(F("start_date").desc(nulls_last=True), "title", "pk")
    else:
        queryset = queryset.order_by("title", "pk")
    return Catalogue(
        filters=filters,
        queryset=queryset,
        query=query,
        terms=terms,
        sort=sort,
        params=params if params is not None else QueryDict(),
    )


LIST_FIELDS = (
    "title",
    "slug",
    "summary",
    "state",
    "status",
    "phase",
    "scale",
    "participation_level",
    "start_date",
    "end_date",
    "updated_at",
    "commune",
    "department",
)


def initiative_list_rows(queryset: QuerySet, *, with_text: bool = False) -> QuerySet:
    """What a list, map or API page shows of each initiative: two queries per page. The long
    texts are read only for search excerpts (`with_text`)."""
    fields = (*LIST_FIELDS, "description", "lessons") if with_text else LIST_FIELDS
    return (
        queryset.select_related("commune", "department")
        .only(
            *fields,
            "commune__name",
            "commune__latitude",
            "commune__longitude",
            "department__name",
        )
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position", "name")))
    )


class RankedSearchPage:
    """The paginator's object list for a search sorted by relevance on SQLite: counts the
    filtered queryset, and for a slice asks FTS5 for the ids in rank order, then reads those
    rows (three queries per page, like a queryset with its prefetch).

    With other filters than the search, FTS5 matches the words once among the initiatives
    those filters select (`candidates`), for the count as for the page; the catalogue's
    queryset would match them a second time inside."""

    def __init__(self, catalogue: Catalogue, *, with_text: bool = False):
        self.catalogue = catalogue
        self.with_text = with_text
        self._count = None
        filtered = not catalogue.queryset.query.is_empty() and any(
            value for name, value in catalogue.filters.items() if name != "q"
        )
        self.candidates = initiative_filtered(catalogue.filters, excluded="q") if filtered else None

    def count(self) -> int:
        if self._count is None:
            if self.candidates is None:
                self._count = self.catalogue.queryset.count()
            else:
                self._count = search.search_count(self.candidates, self.catalogue.query)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        start = item.start or 0
        stop = self.count() if item.stop is None else item.stop
        if stop <= start:
            return []
        ids = search.search_ranked_ids(
            self.catalogue.queryset if self.candidates is None else self.candidates,
            self.catalogue.query,
            offset=start,
            limit=stop - start,
        )
        rows = initiative_list_rows(Initiative.objects.filter(pk__in=ids), with_text=self.with_text)
        by_pk = {row.pk: row for row in rows}
        return [by_pk[pk] for pk in ids if pk in by_pk]


def catalogue_rows(catalogue: Catalogue, *, with_text: bool = False):
    """What to paginate: the sorted queryset, or RankedSearchPage for a relevance-sorted
    search on SQLite."""
    relevance = catalogue.sort == SortChoices.RELEVANCE and catalogue.is_search
    if relevance and not search.ranks_in_database():
        return RankedSearchPage(catalogue, with_text=with_text)
    return initiative_list_rows(catalogue.queryset, with_text=with_text)


def with_excerpts(initiatives, catalogue: Catalogue) -> list:
    """Attach to each initiative of a page what its card shows: `title_html` and `excerpt`
    (escaped HTML with the query's words in <mark>; the excerpt is empty when the text shows no
    match), `status_label` and `level_label` (the labels of its status and participation level
    in the active language, translated once per page: `get_FOO_display()` translates every
    label of the field's choices at each call)."""
    initiatives = list(initiatives)
    statuses = {value: str(label) for value, label in Status.choices}
    levels = {value: str(label) for value, label in ParticipationLevel.choices}
    for initiative in initiatives:
        initiative.title_html = search.search_title(initiative, catalogue.query)
        initiative.excerpt = (
            search.search_excerpt(initiative, catalogue.query) if catalogue.is_search else ""
        )
        initiative.status_label = statuses.get(initiative.status, initiative.status)
        initiative.level_label = levels.get(
            initiative.participation_level, initiative.participation_level
        )
    return initiatives


# Facets ------------------------------------------------------------------------------------


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)

    @property
    def has_selection(self) -> bool:
        return any(option.selected for option in self.options)


def _counts(queryset: QuerySet, key) -> dict:
    rows = queryset.order_by().values(key).annotate(total=Count("pk")).values_list(key, "total")
    return dict(rows)


def _through_counts(through, column: str, initiatives: QuerySet) -> dict:
    rows = (
        through.objects.filter(initiative_id__in=initiatives.order_by().values("pk"))
        .values(column)
        .annotate(total=Count("initiative_id"))
        .values_list(column, "total")
    )
    return dict(rows)


def _choice_options(choices, counts: dict, selected: list[str]) -> list[FacetOption]:
    return [
        FacetOption(value, str(label), counts.get(value, 0), value in selected)
        for value, label in choices
        if counts.get(value) or value in selected
    ]


def catalogue_fingerprint() -> str:
    """What changes whenever the catalogue changes — an initiative, a vocabulary's term, a
    theme, a commune's name: the site's content version (`core.versions`), one query."""
    return versions.current([versions.SITE])[0]


def catalogue_cache_key(kind: str, catalogue: Catalogue, fingerprint: str) -> str:
    params = catalogue.params.copy()
    for name in ("page", "sort", "page_size"):
        params.pop(name, None)
    digest = hashlib.sha256("&".join(sorted(params.urlencode().split("&"))).encode()).hexdigest()[
        :32
    ]
    version = hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
    return f"observatory:{kind}:{translation.get_language()}:{version}:{digest}"


def initiative_facets(catalogue: Catalogue, *, fingerprint: str | None = None) -> list[Facet]:
    """Counts per option of each facet (see `initiative_facets_uncached`), cached per filter
    combination and language until the catalogue changes: 1 query when cached."""
    key = catalogue_cache_key("facets", catalogue, fingerprint or catalogue_fingerprint())
    facets = cache.get(key)
    if facets is None:
        facets = initiative_facets_uncached(catalogue)
        cache.set(key, facets, CACHE_SECONDS)
    return facets


@dataclass
class FacetScope:
    """What every facet's counts need: the published initiatives filtered on every filter but
    the facet's own (`scope`), and the values chosen for a facet (`selected`)."""

    catalogue: Catalogue

    @property
    def data(self) -> dict:
        return self.catalogue.filters

    def scope(self, name: str) -> QuerySet:
        return initiative_filtered(self.catalogue.filters, excluded=name)

    def selected(self, name: str) -> list[str]:
        values = self.data.get(name) or []
        return [str(getattr(value, "slug", getattr(value, "pk", value))) for value in values]


def _theme_facet(facets: FacetScope) -> Facet:
    """Themes: a parent theme counts the initiatives of its sub-themes too."""
    through = Initiative.themes.through
    theme_scope = through.objects.filter(
        initiative_id__in=facets.scope("theme").order_by().values("pk")
    )
    direct = dict(
        theme_scope.values("theme_id")
        .annotate(total=Count("initiative_id"))
        .values_list("theme_id", "total")
    )
    rooted = dict(
        theme_scope.annotate(root=Coalesce("theme__parent_id", "theme_id"))
        .values("root")
        .annotate(total=Count("initiative_id", distinct=True))
        .values_list("root", "total")
    )
    chosen = facets.selected("theme")
    by_parent: dict = {}
    for theme in Theme.objects.filter(is_active=True).order_by("position", "name"):
        by_parent.setdefault(theme.parent_id, []).append(theme)
    options = []
    for parent in by_parent.get(None, []):
        count = rooted.get(parent.pk, 0)
        if count or parent.slug in chosen:
            options.append(FacetOption(parent.slug, parent.label, count, parent.slug in chosen))
            for child in by_parent.get(parent.pk, []):
                count = direct.get(child.pk, 0)
                if count or child.slug in chosen:
                    options.append(
                        FacetOption(child.slug, child.label, count, child.slug in chosen, 1)
                    )
    return Facet("theme", str(_("Theme")), options)


def _department_facet(facets: FacetScope) -> Facet:
    counts = _counts(facets.scope("department"), "department_id")
    chosen = facets.selected("department")
    return Facet(
        "department",
        str(_("Département")),
        [
            FacetOption(code, str(department), counts.get(code, 0), code in chosen)
            for department in Department.objects.only("code", "name")
            if counts.get(code := department.pk) or code in chosen
        ],
    )


def _commune_facet(facets: FacetScope) -> Facet:
    """The communes with the most initiatives, and the chosen ones whatever their count."""
    chosen = facets.selected("commune")
    rows = (
        facets.scope("commune")
        .filter(commune__isnull=False)
        .order_by()
        .values("commune_id", "commune__name")
        .annotate(total=Count("pk"))
        .order_by("-total", "commune__name")
    )
    top = list(rows[:COMMUNE_FACET_SIZE])
    shown = {row["commune_id"] for row in top}
    missing = [code for code in chosen if code not in shown]
    if missing:
        top += list(rows.filter(commune_id__in=missing))
        top += [
            {"commune_id": commune.pk, "commune__name": commune.name, "total": 0}
            for commune in facets.data.get("commune") or []
            if commune.pk not in {row["commune_id"] for row in top}
        ]
    options = [
        FacetOption(
            row["commune_id"], row["commune__name"], row["total"], row["commune_id"] in chosen
        )
        for row in top
    ]
    return Facet("commune", str(_("Commune")), options)


# (facet name, label, choices, column) of the facets on a field with choices.
CHOICE_FACETS = (
    ("scale", _("Scale"), Scale.choices, "scale"),
    ("status", _("Status"), Status.choices, "status"),
    ("phase", _("Phase"), Phase.choices, "phase"),
    ("level", _("Participation level"), ParticipationLevel.choices, "participation_level"),
)


def _choice_facet(facets: FacetScope, name: str, label, choices, column: str) -> Facet:
    counts = _counts(facets.scope(name), column)
    return Facet(name, str(label), _choice_options(choices, counts, facets.selected(name)))


# (facet name, label, vocabulary model, many-to-many field) of the facets on a vocabulary.
VOCABULARY_FACETS = (
    ("target_public", _("Target public"), TargetPublic, "target_publics"),
    ("format", _("Facilitation format"), FacilitationFormat, "facilitation_formats"),
)


def _vocabulary_facet(facets: FacetScope, name: str, label, model, field_name: str) -> Facet:
    through = getattr(Initiative, field_name).through
    column = f"{model._meta.model_name}_id"
    counts = _through_counts(through, column, facets.scope(name))
    chosen = facets.selected(name)
    options = [
        FacetOption(term.slug, term.label, counts.get(term.pk, 0), term.slug in chosen)
        for term in model.objects.all()
        if counts.get(term.pk) or term.slug in chosen
    ]
    return Facet(name, str(label), options)


def _year_facet(facets: FacetScope) -> Facet:
    scope = facets.scope("year").filter(start_date__isnull=False).annotate(y=StartYear())
    counts = _counts(scope, "y")
    chosen = facets.selected("year")
    years = sorted({*counts, *(int(year) for year in chosen)}, reverse=True)
    options = [
        FacetOption(str(year), str(year), counts.get(year, 0), str(year) in chosen)
        for year in years
    ]
    return Facet("year", str(_("Start year")), options)


def initiative_facets_uncached(catalogue: Catalogue) -> list[Facet]:
    """Counts per option of each facet. A facet's counts apply every other filter, so options
    combine as the list does (one or two aggregate queries per facet, never one per option)."""
    facets = FacetScope(catalogue)
    return [
        _theme_facet(facets),
        _department_facet(facets),
        _commune_facet(facets),
        *(_choice_facet(facets, *spec) for spec in CHOICE_FACETS),
        *(_vocabulary_facet(facets, *spec) for spec in VOCABULARY_FACETS),
        _year_facet(facets),
    ]


# Map ---------------------------------------------------------------------------------------


def initiative_map_points(queryset: QuerySet) -> list[tuple]:
    """(slug, title, latitude, longitude, commune name) of each initiative placed at its
    commune's centroid: one query, plain tuples (the map endpoint serves thousands)."""
    return list(
        queryset.filter(commune__latitude__isnull=False, commune__longitude__isnull=False)
        .order_by()
        .values_list("slug", "title", "commune__latitude", "commune__longitude", "commune__name")
    )


def initiatives_without_location(queryset: QuerySet, *, limit: int = 50) -> tuple[int, list]:
    """How many initiatives of the catalogue have no place on the map (no commune, or a commune
    without centroid), and the first `limit` of them as (slug, title): two queries."""
    unplaced = queryset.filter(
        Q(commune__isnull=True)
        | Q(commune__latitude__isnull=True)
        | Q(commune__longitude__isnull=True)
    ).order_by("title", "pk")
    return unplaced.count(), list(unplaced.values_list("slug", "title")[:limit])


# Dashboard ---------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    count: int
    url: str


@dataclass
class Chart:
    key: str
    title: str
    description: str
    bars: list[Bar]

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)

    @property
    def svg(self) -> str:
        """The chart as an image (`core.charts`); its links are in the data table beside it."""
        return bar_chart_svg(
            [(bar.label, bar.count) for bar in self.bars],
            title=self.title,
            description=self.description,
            with_share=False,
            key=self.key,
        )


DASHBOARD_FACETS = {
    "theme": _("Initiatives by theme"),
    "department": _("Initiatives by département"),
    "year": _("Initiatives by start year"),
    "level": _("Initiatives by participation level"),
    "format": _("Initiatives by facilitation format"),
}


def dashboard_charts(catalogue: Catalogue, list_url: str) -> list[Chart]:
    """The dashboard's bar charts, from the facet counts; each bar links to the list filtered
    on its value (on top of the dashboard's own filters)."""
    facets = {facet.name: facet for facet in initiative_facets(catalogue)}
    charts = []
    for name, title in DASHBOARD_FACETS.items():
        facet = facets[name]
        options = [option for option in facet.options if option.depth == 0 and option.count]
        if name == "year":
            options.sort(key=lambda option: option.value)
        bars = []
        for option in options:
            params = catalogue.params.copy()
            params.pop("page", None)
            params.setlist(name, [option.value])
            bars.append(
                Bar(
                    label=option.label,
                    count=option.count,
                    url=f"{list_url}?{params.urlencode()}",
                )
            )
        charts.append(
            Chart(
                key=name,
                title=str(title),
                description=str(
                    _("Horizontal bar chart: number of published initiatives per value.")
                ),
                bars=bars,
            )
        )
    return charts
