"""Reads for the public pages: initiative detail, related initiatives, methods."""

from django.db import connection
from django.db.models import Count, F, IntegerField, Prefetch, Q

from terreau.core.models import Theme
from terreau.directory.models import Membership, Organisation, Person
from terreau.events.models import Event, EventState, Session
from terreau.library.selectors import resources_published_prefetch

from ..lookups import NotIndexed
from ..models import (
    INITIATIVE_VOCABULARIES,
    Initiative,
    InitiativeRevision,
    Method,
    PublicationState,
)
from ..related import rank_related

CANDIDATES = 200
DETAIL_PREFETCH = ("links", "media")
# The initiative's controlled vocabularies, read together by `initiative_vocabulary`.
# (Methods have pages of their own: the initiative's page reads them apart.)
VOCABULARY_RELATIONS = tuple(name for name in INITIATIVE_VOCABULARIES if name != "methods")
VOCABULARY_FIELDS = ("id", "name", "name_en", "slug", "position", "is_active")


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
                "sessions",
                # The sessions of public events that presented it, the latest first.
                Session.objects.filter(
                    slot__day__event__state__in=[EventState.PUBLISHED, EventState.CANCELLED]
                )
                .select_related("slot__day__event")
                .only(
                    "pk",
                    "title",
                    "kind",
                    "slot__starts_at",
                    "slot__day__date",
                    "slot__day__event__slug",
                    "slot__day__event__title",
                    "slot__day__event__state",
                )
                .order_by("-slot__day__date", "-slot__starts_at", "pk"),
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


def _vocabulary_sql() -> str:
    """One SELECT per relation (the terms joined to the relation's table), in a UNION ALL."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"v.{quote(name)}" for name in VOCABULARY_FIELDS)
    selects = []
    for index, name in enumerate(VOCABULARY_RELATIONS):
        field = Initiative._meta.get_field(name)
        parent = "v.parent_id" if field.related_model is Theme else "NULL"
        selects.append(
            f"SELECT {index} AS relation, {columns}, {parent} AS parent_id "
            f"FROM {quote(field.related_model._meta.db_table)} v "
            f"INNER JOIN {quote(field.m2m_db_table())} t "
            f"ON t.{quote(field.m2m_reverse_name())} = v.id "
            f"WHERE t.{quote(field.m2m_column_name())} = %s"
        )
    # Each vocabulary's own order (Meta.ordering: position, then name).
    return " UNION ALL ".join(selects) + " ORDER BY 1, 6, 3, 2"


# The initiative page's sections that show only when one of their fields is filled in, each
# with those fields (a name of the vocabulary or a field of the initiative; for a yes/no field
# "not None" counts as filled in).
INITIATIVE_SECTIONS = {
    "entities": ("lead_organisations", "partners", "funding", "legal_structure"),
    "recruitment": ("openness", "recruitment_methods", "target_publics", "participant_count"),
    "outcomes": ("outcomes", "change_types", "impact_evidence", "outcomes_communication"),
    "analysis": ("strengths", "weaknesses", "lessons", "has_formal_evaluation"),
}
YES_NO_FIELDS = {"has_formal_evaluation"}


def initiative_sections(*, initiative: Initiative, vocabulary: dict[str, list]) -> dict[str, bool]:
    """Which of the page's optional sections have something to show (section name → bool)."""

    def filled(name: str) -> bool:
        if name in vocabulary:
            return bool(vocabulary[name])
        value = getattr(initiative, name)
        if name in YES_NO_FIELDS:
            return value is not None
        if hasattr(value, "all"):
            return bool(value.all())
        return bool(value)

    return {
        section: any(filled(name) for name in names)
        for section, names in INITIATIVE_SECTIONS.items()
    }


def initiative_vocabulary(*, initiative: Initiative) -> dict[str, list]:
    """The terms of each controlled vocabulary of an initiative (themes, target publics,
    facilitation formats, purposes…), by relation name, each list in the vocabulary's order:
    one query for the nine relations, instead of one prefetch each. The terms carry the
    fields that name them; other fields (a theme's description) load when read."""
    models = [Initiative._meta.get_field(name).related_model for name in VOCABULARY_RELATIONS]
    vocabulary: dict[str, list] = {name: [] for name in VOCABULARY_RELATIONS}
    with connection.cursor() as cursor:
        cursor.execute(_vocabulary_sql(), [initiative.pk] * len(VOCABULARY_RELATIONS))
        rows = cursor.fetchall()
    for relation, *values, parent_id in rows:
        model = models[relation]
        if model is Theme:
            term = model.from_db(
                connection.alias, [*VOCABULARY_FIELDS, "parent_id"], [*values, parent_id]
            )
        else:
            term = model.from_db(connection.alias, VOCABULARY_FIELDS, values)
        vocabulary[VOCABULARY_RELATIONS[relation]].append(term)
    return vocabulary


def initiative_last_revision(*, initiative: Initiative) -> InitiativeRevision | None:
    return (
        InitiativeRevision.objects.filter(initiative=initiative)
        .select_related("author")
        .order_by("-number")
        .first()
    )


def _related_candidates(initiative: Initiative, *, themes: list, formats: list) -> list[tuple]:
    """(id, département, state, shared items) of the CANDIDATES initiatives sharing the most
    themes, and of those sharing the most facilitation formats (an initiative may come twice),
    in one query. The state is tested by the caller: in the WHERE clause it makes SQLite scan
    the state index."""
    selects, params = [], []
    for through, column, ids in (
        (Initiative.themes.through, "theme_id", themes),
        (Initiative.facilitation_formats.through, "facilitationformat_id", formats),
    ):
        if not ids:
            continue
        best = (
            through.objects.filter(**{f"{column}__in": ids})
            .exclude(initiative_id=initiative.pk)
            # Grouped on `+initiative_id` on SQLite: else it scans the whole table in the
            # order of its (initiative, term) index rather than read the (term, initiative) one.
            .values(candidate=NotIndexed(F("initiative_id"), output_field=IntegerField()))
            .annotate(shared=Count("*"))
            .order_by("-shared", "-candidate")
            .values_list("candidate", "shared")[:CANDIDATES]
        )
        sql, best_params = best.query.sql_with_params()
        selects.append(f"SELECT * FROM ({sql}) best_{len(selects)}")
        params += best_params
    if not selects:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.id, i.department_id, i.state, best.shared "
            f"FROM ({' UNION ALL '.join(selects)}) best "
            f"INNER JOIN {Initiative._meta.db_table} i ON i.id = best.candidate",
            params,
        )
        return cursor.fetchall()


def initiative_related(
    *, initiative: Initiative, vocabulary: dict[str, list] | None = None, limit: int = 4
) -> list[Initiative]:
    """Published initiatives sharing themes, facilitation formats or the département, best
    first. At most three queries whatever the catalogue size: the best candidates by shared
    themes and by shared formats (counted by the database) with their département and state,
    the chosen rows, and recent initiatives of the same département when those are too few."""
    if vocabulary is None:
        themes, formats = initiative.themes.all(), initiative.facilitation_formats.all()
    else:  # as `initiative_vocabulary` returned them
        themes, formats = vocabulary["themes"], vocabulary["facilitation_formats"]
    department_id = initiative.department_id or (
        initiative.commune.department_id if initiative.commune_id else None
    )
    candidates = _related_candidates(
        initiative,
        themes=[theme.pk for theme in themes],
        formats=[fmt.pk for fmt in formats],
    )
    ids = rank_related(
        [
            (pk, department, shared)
            for pk, department, state, shared in candidates
            if state == PublicationState.PUBLISHED
        ],
        department_id=department_id,
        limit=limit,
    )
    columns = ("pk", "title", "slug", "summary", "department_id", "commune__name")
    published = Initiative.objects.filter(state=PublicationState.PUBLISHED).select_related(
        "commune"
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
