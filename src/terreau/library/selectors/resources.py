"""Reads of the library: the public list with its filters, a resource's page, and the
published resources that the observatory's and the events' pages show."""

from django.db.models import Count, F, Prefetch, Q, QuerySet

from terreau.calls.models import Call
from terreau.core.models import Theme
from terreau.directory.models import Organisation, Person

# The directory's helpers are the project's search: a normalised `search_text` column that holds
# every word of the query (accents and case ignored, the same on SQLite and PostgreSQL).
from terreau.directory.selectors import filter_by_theme, filter_by_words
from terreau.events.models import Event, EventState
from terreau.groups.models import ExchangeGroup
from terreau.observatory.models import Initiative, PublicationState
from terreau.worksites.models import Worksite

from ..models import Resource, ResourceKind, ResourceState

#: Newest first; undated documents after the dated ones (the same on both databases).
NEWEST_FIRST = (F("published_on").desc(nulls_last=True), "title", "pk")


def can_see_drafts(user) -> bool:
    return bool(user is not None and user.has_perm("library.view_draft_resources"))


def resource_visible(*, user=None) -> QuerySet[Resource]:
    """Resources the user may see: published ones, and drafts too for moderators and staff."""
    if can_see_drafts(user):
        return Resource.objects.all()
    return Resource.objects.filter(state=ResourceState.PUBLISHED)


def _themes() -> Prefetch:
    return Prefetch("themes", queryset=Theme.objects.order_by("position", "name"))


def _organisations() -> Prefetch:
    return Prefetch(
        "organisations",
        queryset=Organisation.objects.filter(is_published=True)
        .only("pk", "name", "slug")
        .order_by("name"),
    )


def resource_list(
    *, user=None, query: str = "", kind: str = "", theme: Theme | None = None, year=None
) -> QuerySet[Resource]:
    """Resources for the public list, with what a result card shows, in constant queries."""
    queryset = filter_by_words(resource_visible(user=user), query)
    if kind:
        queryset = queryset.filter(kind=kind)
    if year:
        queryset = queryset.filter(published_on__year=int(year))
    queryset = filter_by_theme(queryset, theme)
    return queryset.prefetch_related(_themes(), _organisations()).order_by(*NEWEST_FIRST)


def resource_years(*, user=None) -> list[int]:
    """The years in which the resources the user may see were published, newest first."""
    dates = resource_visible(user=user).dates("published_on", "year", order="DESC")
    return [date.year for date in dates]


def resource_detail(*, slug: str) -> Resource | None:
    """A resource (any state: the view checks who may see it) with everything its page shows:
    attachments, themes, published organisations, initiatives and events, in fixed queries."""
    return (
        Resource.objects.select_related("commune", "department")
        .prefetch_related(
            _themes(),
            _organisations(),
            "attachments",
            Prefetch(
                "authors",
                queryset=Person.objects.filter(is_listed=True)
                .only("pk", "slug", "first_name", "last_name")
                .order_by("last_name", "first_name"),
            ),
            Prefetch(
                "initiatives",
                queryset=Initiative.objects.filter(state=PublicationState.PUBLISHED)
                .select_related("commune")
                .only("pk", "title", "slug", "summary", "commune__name")
                .order_by("title"),
            ),
            Prefetch(
                "events",
                # As the events' own pages: drafts stay private, cancelled events stay public.
                queryset=Event.objects.filter(
                    state__in=[EventState.PUBLISHED, EventState.CANCELLED]
                )
                .select_related("venue__commune")
                .only("pk", "title", "slug", "starts_at", "state", "venue__commune__name")
                .order_by("-starts_at"),
            ),
            Prefetch(
                "calls",
                queryset=Call.objects.filter(is_published=True)
                .only("pk", "title", "slug", "opens_at", "closes_at")
                .order_by("-closes_at"),
            ),
            Prefetch("groups", queryset=ExchangeGroup.objects.only("pk", "name", "slug")),
            Prefetch(
                "worksites",
                queryset=Worksite.objects.filter(is_public=True).only("pk", "question", "slug"),
            ),
        )
        .filter(slug=slug)
        .first()
    )


def _published_brief():
    return (
        Resource.objects.filter(state=ResourceState.PUBLISHED)
        .only("pk", "title", "slug", "kind", "summary", "published_on")
        .order_by(*NEWEST_FIRST)
    )


def resources_published_prefetch() -> Prefetch:
    """The published resources of an initiative or an event (`resources` relation), newest
    first: one query for the whole page, whatever the number of resources."""
    return Prefetch("resources", queryset=_published_brief())


def resources_about(obj) -> list[Resource]:
    """The published resources linked to a call, an exchange group or a worksite (anything
    with a `resources` relation to the library), newest first, in one query."""
    relation = {Call: "calls", ExchangeGroup: "groups", Worksite: "worksites"}[type(obj)]
    return list(_published_brief().filter(**{relation: obj}))


def resource_latest(*, limit: int = 3) -> list[Resource]:
    """The latest published resources (home page)."""
    published = Resource.objects.filter(state=ResourceState.PUBLISHED)
    return list(published.only("pk", "title", "slug").order_by(*NEWEST_FIRST)[:limit])


def resource_count() -> int:
    return Resource.objects.filter(state=ResourceState.PUBLISHED).count()


def resource_related(*, resource: Resource, limit: int = 4) -> list[Resource]:
    """What the page shows as related content: the resources chosen by hand when there are
    some, else the published ones that share the most themes with it (the same territory
    breaks ties), newest first. One query."""
    published = Resource.objects.filter(state=ResourceState.PUBLISHED).exclude(pk=resource.pk)
    chosen = list(
        published.filter(pk__in=resource.related.values("pk"))
        .only("pk", "title", "slug", "kind", "published_on")
        .order_by(*NEWEST_FIRST)[:limit]
    )
    if chosen:
        return chosen
    theme_ids = [theme.pk for theme in resource.themes.all()]
    if not theme_ids:
        return []
    same_place = Q(department_id=resource.department_id) if resource.department_id else Q(pk=None)
    return list(
        published.filter(themes__in=theme_ids)
        .annotate(
            shared=Count("themes", filter=Q(themes__in=theme_ids), distinct=True),
            same_place=Count("pk", filter=same_place, distinct=True),
        )
        .only("pk", "title", "slug", "kind", "published_on")
        .order_by("-shared", "-same_place", *NEWEST_FIRST)[:limit]
    )


def news_latest(*, limit: int = 4) -> list[Resource]:
    """The latest published news (home page's "what is new")."""
    return list(
        Resource.objects.filter(state=ResourceState.PUBLISHED, kind=ResourceKind.NEWS)
        .only("pk", "title", "slug", "kind", "news_kind", "published_on")
        .order_by(*NEWEST_FIRST)[:limit]
    )
