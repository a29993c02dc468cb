"""Reads of co-development: the public board of needs with its filters, and a need's page."""

from django.db.models import Count, Prefetch, QuerySet

from terreau.core.models import Theme
from terreau.directory.selectors import filter_by_theme, filter_by_words
from terreau.observatory.models import Initiative, PublicationState

from ..models import Need, NeedState, Offer

OPEN_STATES = (NeedState.OPEN, NeedState.SCHEDULED)


def need_list(
    *, query: str = "", state: str = "", theme: Theme | None = None, department=None
) -> QuerySet[Need]:
    """Needs of the board (open ones unless `state` says otherwise; withdrawn ones never),
    with what a card shows, in constant queries."""
    queryset = Need.objects.exclude(state=NeedState.WITHDRAWN)
    if state == "all":
        pass
    elif state in NeedState.values:
        queryset = queryset.filter(state=state)
    else:
        queryset = queryset.filter(state__in=OPEN_STATES)
    if department is not None:
        queryset = queryset.filter(department=department)
    queryset = filter_by_theme(queryset, theme)
    if query:
        queryset = filter_by_words(queryset, query)
    return (
        queryset.select_related("commune", "department", "session__slot__day__event", "meeting")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position", "name")))
        .annotate(offer_count=Count("offers", distinct=True))
        .order_by("-created_at", "-pk")
    )


def need_detail(*, slug: str) -> Need | None:
    return (
        Need.objects.exclude(state=NeedState.WITHDRAWN)
        .select_related(
            "commune", "department", "organisation", "session__slot__day__event", "meeting"
        )
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
            Prefetch(
                "offers",
                queryset=Offer.objects.select_related("initiative").order_by("created_at", "pk"),
            ),
        )
        .filter(slug=slug)
        .first()
    )


def published_initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.filter(state=PublicationState.PUBLISHED)


def need_count_open() -> int:
    return Need.objects.filter(state__in=OPEN_STATES).count()


def need_latest(*, limit: int = 3) -> list[Need]:
    return list(
        Need.objects.filter(state__in=OPEN_STATES)
        .only("pk", "title", "slug")
        .order_by("-created_at", "-pk")[:limit]
    )
