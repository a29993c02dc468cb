"""Reads for the public pages: initiative detail, related initiatives, methods."""

from django.db.models import Count, Prefetch, Q

from terreau.directory.models import Membership, Organisation, Person
from terreau.events.models import Event, EventState
from terreau.library.selectors import resources_published_prefetch

from ..models import Initiative, InitiativeRevision, Method, PublicationState
from ..related import rank_related

CANDIDATES = 200
DETAIL_PREFETCH = (
    "themes",
    "target_publics",
    "facilitation_formats",
    "purposes",
    "approaches",
    "recruitment_methods",
    "funder_types",
    "organiser_types",
    "change_types",
    "links",
    "media",
)


def initiative_detail(*, slug: str) -> Initiative | None:
    """An initiative with everything its page shows, in a fixed number of queries."""
    return (
        Initiative.objects.select_related("commune__department", "department")
        .prefetch_related(
            *DETAIL_PREFETCH,
            resources_published_prefetch(),
            Prefetch(
                "events",
                # Drafts stay private; cancelled events keep their public page.
                Event.objects.filter(state__in=[EventState.PUBLISHED, EventState.CANCELLED])
                .select_related("venue__commune")
                .only(
                    "pk",
                    "title",
                    "slug",
                    "starts_at",
                    "state",
                    "venue__name",
                    "venue__commune__name",
                )
                .order_by("-starts_at"),
            ),
            Prefetch(
                "methods",
                Method.objects.filter(state=PublicationState.PUBLISHED).only("pk", "title", "slug"),
            ),
            Prefetch(
                "lead_organisations",
                Organisation.objects.filter(is_published=True).select_related("commune"),
            ),
            Prefetch(
                "partners",
                Organisation.objects.filter(is_published=True).select_related("commune"),
            ),
            Prefetch(
                "contacts",
                Person.objects.filter(is_listed=True).prefetch_related(
                    Prefetch(
                        "memberships",
                        Membership.objects.select_related("organisation").filter(
                            organisation__is_published=True
                        ),
                    )
                ),
            ),
        )
        .filter(slug=slug)
        .first()
    )


def initiative_last_revision(*, initiative: Initiative) -> InitiativeRevision | None:
    return (
        InitiativeRevision.objects.filter(initiative=initiative)
        .select_related("author")
        .order_by("-number")
        .first()
    )


def initiative_related(*, initiative: Initiative, limit: int = 4) -> list[Initiative]:
    """Published initiatives sharing themes, facilitation formats or the département, best
    first. At most five queries whatever the catalogue size: the best candidates by shared
    themes and by shared formats (counted by the database), their départements, the chosen
    rows, and recent initiatives of the same département when those are too few."""
    theme_ids = [theme.pk for theme in initiative.themes.all()]
    format_ids = [fmt.pk for fmt in initiative.facilitation_formats.all()]
    department_id = initiative.department_id or (
        initiative.commune.department_id if initiative.commune_id else None
    )
    shared: dict[int, int] = {}
    for through, column, ids in (
        (Initiative.themes.through, "theme_id", theme_ids),
        (Initiative.facilitation_formats.through, "facilitationformat_id", format_ids),
    ):
        if not ids:
            continue
        best = (
            through.objects.filter(**{f"{column}__in": ids})
            .exclude(initiative_id=initiative.pk)
            .values("initiative_id")
            .annotate(shared=Count("*"))
            .order_by("-shared", "-initiative_id")
            .values_list("initiative_id", "shared")[:CANDIDATES]
        )
        for pk, count in best:
            shared[pk] = shared.get(pk, 0) + count
    columns = ("pk", "title", "slug", "summary", "department_id", "commune__name")
    published = Initiative.objects.filter(state=PublicationState.PUBLISHED).select_related(
        "commune"
    )
    # By primary key only: with the state in the WHERE clause SQLite scans the state index.
    candidates = (
        Initiative.objects.filter(pk__in=list(shared)).values_list("pk", "department_id", "state")
        if shared
        else []
    )
    ids = rank_related(
        [
            (pk, department, shared[pk])
            for pk, department, state in candidates
            if state == PublicationState.PUBLISHED
        ],
        department_id=department_id,
        limit=limit,
    )
    rows = Initiative.objects.select_related("commune").only(*columns).in_bulk(ids) if ids else {}
    related = [rows[pk] for pk in ids]
    if len(related) < limit and department_id:
        related += (
            published.filter(department_id=department_id)
            .exclude(pk__in=[initiative.pk, *ids])
            .order_by("-published_at", "-pk")
            .only(*columns)[: limit - len(related)]
        )
    return related


def method_list():
    return (
        Method.objects.filter(state=PublicationState.PUBLISHED)
        .annotate(
            initiative_count=Count(
                "initiatives",
                filter=Q(initiatives__state=PublicationState.PUBLISHED),
                distinct=True,
            )
        )
        .prefetch_related("facilitation_formats")
        .order_by("title")
    )


def method_detail(*, slug: str) -> Method | None:
    return (
        Method.objects.prefetch_related(
            "facilitation_formats",
            "themes",
            Prefetch(
                "initiatives",
                Initiative.objects.filter(state=PublicationState.PUBLISHED)
                .select_related("commune")
                .order_by("title"),
                to_attr="published_initiatives",
            ),
        )
        .filter(slug=slug)
        .first()
    )
