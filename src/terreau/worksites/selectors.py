"""Reads of the worksites app, each with the joins its page needs (constant query counts)."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.safestring import mark_safe

from terreau.core.markdown import render_markdown
from terreau.directory.models import ActorCategory, Person
from terreau.directory.selectors import filter_by_words, person_visible
from terreau.events.models import Registration, RegistrationStatus

from .models import (
    Case,
    Comment,
    CrossTheme,
    Edition,
    Participant,
    PoolingSynthesis,
    Report,
    ReportStatus,
    Section,
    SectionRevision,
    Suggestion,
    ThemeTag,
    Worksite,
)

#: Committee roles that manage the worksite's members and status.
MANAGING_ROLES = ("chair", "coordinator")


@dataclass(frozen=True)
class Roles:
    is_committee: bool = False
    is_participant: bool = False
    organised_cases: frozenset = field(default_factory=frozenset)
    is_coordinator: bool = False

    @property
    def is_member(self) -> bool:
        return self.is_committee or self.is_participant or bool(self.organised_cases)


def worksite_roles(*, user, worksite: Worksite) -> Roles:
    """The user's roles in a worksite, read once and kept on the user for the request."""
    if not (user and user.is_authenticated):
        return Roles()
    cache = user.__dict__.setdefault("_worksite_roles", {})
    if worksite.pk not in cache:
        role = worksite.committee.filter(person__user=user).values_list("role", flat=True).first()
        participant = worksite.participants.filter(person__user=user).exists()
        organised = frozenset(
            Case.objects.filter(worksite=worksite, presenters__user=user).values_list(
                "pk", flat=True
            )
        )
        cache[worksite.pk] = Roles(
            is_committee=user.is_staff or role is not None,
            is_participant=participant,
            organised_cases=organised,
            is_coordinator=role in MANAGING_ROLES,
        )
    return cache[worksite.pk]


def worksite_list_public():
    return Worksite.objects.filter(is_public=True).annotate(case_count=Count("cases"))


def worksite_get(*, slug: str) -> Worksite | None:
    return Worksite.objects.select_related("convener", "pooling_day").filter(slug=slug).first()


def worksite_cases(*, worksite: Worksite):
    return (
        Case.objects.filter(worksite=worksite)
        .select_related("initiative", "lead_organisation", "workshop__venue__commune", "report")
        .prefetch_related("presenters")
    )


def worksite_page(*, worksite: Worksite) -> dict:
    """What the public page shows: committee, partners, cases and their calendar, the
    pooling day and the latest ready edition."""
    committee = worksite.committee.select_related("person")
    cases = list(worksite_cases(worksite=worksite))
    calendar = sorted(
        [(case.workshop, case) for case in cases if case.workshop]
        + ([(worksite.pooling_day, None)] if worksite.pooling_day else []),
        key=lambda item: item[0].starts_at,
    )
    return {
        "committee": list(committee),
        "partners": list(worksite.partners.all()),
        "cases": cases,
        "calendar": calendar,
        "edition": edition_latest_ready(worksite=worksite),
        "syntheses": list(
            PoolingSynthesis.objects.filter(worksite=worksite).select_related("theme")
        ),
    }


def case_get(*, worksite: Worksite, slug: str) -> Case | None:
    """One case, for its pages (none of which lists its presenters: no prefetch of them)."""
    return (
        worksite_cases(worksite=worksite)
        .prefetch_related(None)
        .select_related("worksite")
        .filter(slug=slug)
        .first()
    )


def participant_of(*, user, worksite: Worksite) -> Participant | None:
    if not user.is_authenticated:
        return None
    return (
        Participant.objects.select_related("person")
        .filter(worksite=worksite, person__user=user)
        .first()
    )


def workshop_recipients(*, event) -> list[Registration]:
    """Those registered to a workshop who receive its presentation: live registrations."""
    return list(
        Registration.objects.filter(
            event=event,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING],
        ).order_by("pk")
    )


def workshop_participants(*, event) -> list[Registration]:
    """Those who took part in a workshop: confirmed registrants not marked absent."""
    return list(
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .exclude(attendance="no_show")
        .order_by("pk")
    )


@dataclass
class MixRow:
    category: str
    label: str
    count: int
    share: float
    target: float | None

    @property
    def gap(self) -> float | None:
        return None if self.target is None else round(self.share - self.target, 1)

    @property
    def is_short(self) -> bool:
        return self.target is not None and self.share + 5 < self.target


def registrant_mix(*, case: Case) -> tuple[list[MixRow], int]:
    """Registrants of the case's workshop by actor category, against the worksite's target."""
    counts: Counter = Counter()
    if case.workshop_id:
        rows = (
            Registration.objects.filter(event_id=case.workshop_id)
            .exclude(status=RegistrationStatus.CANCELLED)
            .values("actor_category")
            .annotate(n=Count("pk"))
        )
        counts = Counter({row["actor_category"] or "other": row["n"] for row in rows})
    total = sum(counts.values())
    target = case.worksite.target_mix or {}
    result = []
    for value, label in ActorCategory.choices:
        if not counts.get(value) and value not in target:
            continue
        share = round(100 * counts.get(value, 0) / total, 1) if total else 0.0
        wanted = target.get(value)
        result.append(
            MixRow(
                value,
                str(label),
                counts.get(value, 0),
                share,
                float(wanted) if wanted is not None else None,
            )
        )
    return result, total


#: Open threads shown per section on the report page; the others are on the section's own
#: comments page (300 threads drawn in full took 0.4 s of template time).
THREADS_SHOWN = 10


#: What a thread's row holds: the comment's own fields and its author's and resolver's names.
THREAD_FIELDS = (
    "pk",
    "section_id",
    "author_id",
    "quote",
    "is_passage_gone",
    "body",
    "created_at",
    "resolved_at",
    "author__first_name",
    "author__last_name",
    "author__email",
    "resolved_by__first_name",
    "resolved_by__last_name",
    "resolved_by__email",
)


def _user_name(row: dict, prefix: str) -> str:
    """A user's name as `str(user)` gives it (full name, else e-mail) from a values() row."""
    full = f"{row.pop(prefix + '__first_name') or ''} {row.pop(prefix + '__last_name') or ''}"
    email = row.pop(prefix + "__email")
    return full.strip() or email or ""


def thread_rows(threads) -> list[dict]:
    """Comment threads (rows of `THREAD_FIELDS`) as the templates draw them — author's and
    resolver's names, whether resolved, the replies in order — as plain dicts: one query for
    the replies of them all (model instances with their users cost more to build than the
    page's SQL)."""
    rows = []
    for row in threads:
        row["author"] = _user_name(row, "author")
        row["resolved_by"] = _user_name(row, "resolved_by")
        row["is_resolved"] = row["resolved_at"] is not None
        row["replies"] = []
        rows.append(row)
    if rows:
        by_thread = {row["pk"]: row for row in rows}
        for reply in (
            Comment.objects.filter(parent_id__in=list(by_thread))
            .order_by("created_at", "pk")
            .values(
                "parent_id",
                "body",
                "created_at",
                "author__first_name",
                "author__last_name",
                "author__email",
            )
        ):
            reply["author"] = _user_name(reply, "author")
            by_thread[reply.pop("parent_id")]["replies"].append(reply)
    return rows


def section_html(section: Section):
    """The section's text as sanitised HTML, kept in the cache for its exact text (a long
    section costs more to render than the rest of the report page)."""
    digest = hashlib.sha256(section.body.encode()).hexdigest()[:32]
    key = f"worksites:section-html:{section.pk}:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(render_markdown(section.body))
        cache.set(key, html, 60 * 60 * 24)
    return mark_safe(html)  # noqa: S308 - sanitised by render_markdown (nh3) when stored


def report_page(*, report: Report) -> list[Section]:
    """The sections of a report with, on each, its first open comment threads, its thread
    counts, pending suggestions, the revision count and last save — a fixed number of queries
    whatever the number of revisions and comments.

    Built for the CPU it takes (compiling correlated subqueries cost more than running them):
    the last save is a join on the revision of the section's current version, the revision
    count is that version (every save is one revision, numbered by the version it made), and
    the open threads' count is a window of the query that draws the first of them."""
    count = Comment.objects.filter(section=OuterRef("pk"), parent__isnull=True)
    sections = list(
        Section.objects.filter(report=report)
        .select_related("owner__person")
        .annotate(
            last=FilteredRelation("revisions", condition=Q(revisions__version=F("version"))),
            last_saved_at=F("last__created_at"),
            last_author_first=F("last__author__first_name"),
            last_author_last=F("last__author__last_name"),
            resolved_count=Subquery(
                count.filter(resolved_at__isnull=False)
                .values("section")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .prefetch_related(
            Prefetch(
                "suggestions",
                queryset=Suggestion.objects.filter(status=Suggestion.Status.PENDING).select_related(
                    "author"
                ),
                to_attr="pending_suggestions",
            ),
        )
    )
    # The first open threads of every section in one query (a window per section), with the
    # number of open threads of their section.
    by_section = F("section_id")
    ranked = (
        Comment.objects.filter(
            section__report=report, parent__isnull=True, resolved_at__isnull=True
        )
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[by_section], order_by=[F("created_at"), F("pk")]
            ),
            open_count=Window(Count("pk"), partition_by=[by_section]),
        )
        .filter(rank__lte=THREADS_SHOWN)
        .order_by("section_id", "created_at", "pk")
    )
    threads: dict[int, list] = {}
    for thread in thread_rows(ranked.values(*THREAD_FIELDS, "open_count")):
        threads.setdefault(thread["section_id"], []).append(thread)
    for section in sections:
        section.open_threads = threads.get(section.pk, [])
        section.open_count = section.open_threads[0]["open_count"] if section.open_threads else 0
        section.resolved_count = section.resolved_count or 0
        section.revision_count = section.version
        section.comment_count = section.open_count + section.resolved_count
        section.last_author_name = " ".join(
            name for name in (section.last_author_first, section.last_author_last) if name
        )
        section.more_threads = section.open_count > len(section.open_threads) or bool(
            section.resolved_count
        )
    return sections


def section_threads(*, section: Section):
    """Every thread of a section (open first, then resolved), for its comments page: rows of
    `THREAD_FIELDS`, to page through and hand to `thread_rows`."""
    return (
        Comment.objects.filter(section=section, parent__isnull=True)
        .order_by(F("resolved_at").asc(nulls_first=True), "created_at", "pk")
        .values(*THREAD_FIELDS)
    )


def section_get(*, report: Report, pk: int) -> Section | None:
    return (
        Section.objects.select_related("owner", "report__case__worksite")
        .filter(report=report, pk=pk)
        .first()
    )


def section_revisions(*, section: Section):
    return SectionRevision.objects.filter(section=section).select_related("author")


def theme_gathering(*, worksite: Worksite) -> list[CrossTheme]:
    """Each cross-cutting theme with its tagged passages (and the case each comes from)."""
    return list(
        CrossTheme.objects.filter(worksite=worksite).prefetch_related(
            Prefetch(
                "tags",
                queryset=ThemeTag.objects.select_related("section__report__case", "tagged_by"),
            )
        )
    )


def worksite_sections(*, worksite: Worksite):
    """Every section of the worksite's reports, for the tagging form."""
    return Section.objects.filter(report__case__worksite=worksite).select_related("report__case")


def editions(*, worksite: Worksite) -> list[Edition]:
    return list(
        Edition.objects.filter(publication__worksite=worksite).select_related(
            "publication", "requested_by"
        )
    )


def edition_latest_ready(*, worksite: Worksite) -> Edition | None:
    return (
        Edition.objects.filter(publication__worksite=worksite, status=Edition.Status.READY)
        .select_related("publication__resource", "publication__worksite")
        .order_by("-number")
        .first()
    )


def edition_get(*, worksite: Worksite, number: int) -> Edition | None:
    return (
        Edition.objects.filter(publication__worksite=worksite, number=number)
        .select_related("publication__worksite", "publication__resource")
        .first()
    )


def validated_report_count(*, worksite: Worksite) -> int:
    return Report.objects.filter(case__worksite=worksite, status=ReportStatus.VALIDATED).count()


@dataclass
class Chapter:
    """One chapter of the publication: an anchor id, a title and Markdown parts."""

    id: str
    title: str
    kind: str
    case: Case | None = None
    parts: list = field(default_factory=list)  # (heading, markdown)


def publication_source(*, worksite: Worksite) -> dict:
    """The one source every format of the publication is built from: the validated reports
    with their case presentations, the syntheses of the pooling day, the contributors who
    consent to be listed, and the credits."""
    from .models import Publication

    publication = Publication.objects.select_related("worksite__convener").get(worksite=worksite)
    cases = list(
        worksite_cases(worksite=worksite)
        .filter(report__status=ReportStatus.VALIDATED)
        .prefetch_related(
            Prefetch("report__sections", queryset=Section.objects.order_by("position", "pk"))
        )
    )
    chapters = []
    for number, case in enumerate(cases, start=1):
        parts = [(str(label), text) for label, text in case.presentation_parts]
        presentation = parts
        report_parts = [(s.title, s.body) for s in case.report.sections.all()]
        chapters.append(
            Chapter(
                id=f"chapitre-{number}",
                title=case.title,
                kind="case",
                case=case,
                parts=[("presentation", presentation), ("report", report_parts)],
            )
        )
    syntheses = list(PoolingSynthesis.objects.filter(worksite=worksite).select_related("theme"))
    contributors = list(
        Participant.objects.filter(worksite=worksite, consents_to_listing=True)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    committee = list(
        worksite.committee.select_related("person").filter(
            person__worksite_participations__worksite=worksite,
            person__worksite_participations__consents_to_listing=True,
        )
    )
    return {
        "publication": publication,
        "worksite": worksite,
        "chapters": chapters,
        "syntheses": syntheses,
        "contributors": [p.person for p in contributors],
        "committee": committee,
        "partners": list(worksite.partners.all()),
    }


def open_comment_count(*, report: Report) -> int:
    return Comment.objects.filter(
        section__report=report, parent__isnull=True, resolved_at__isnull=True
    ).count()


# Members (committee, participants, section owners)


def member_users(*, worksite: Worksite):
    """The accounts that may own a section: those of the committee, the participants and the
    cases' presenters."""
    return (
        get_user_model()
        .objects.filter(
            Q(person__worksite_committees__worksite=worksite)
            | Q(person__worksite_participations__worksite=worksite)
            | Q(person__presented_cases__worksite=worksite)
        )
        .select_related("person")
        .distinct()
        .order_by("person__last_name", "person__first_name", "pk")
    )


def members_page(*, worksite: Worksite) -> dict:
    """What the members page shows, in a fixed number of queries: the committee, the
    participants (with their consent), and every section of every report with its owner."""
    committee = list(
        worksite.committee.select_related("person__user").order_by(
            "role", "person__last_name", "person__first_name", "pk"
        )
    )
    on_committee = {member.person_id for member in committee}
    participants = list(worksite.participants.select_related("person__user"))
    for participant in participants:
        participant.on_committee = participant.person_id in on_committee
    sections = list(
        Section.objects.filter(report__case__worksite=worksite)
        .select_related("report__case", "owner__person")
        .order_by("report__case__position", "report__case__pk", "position", "pk")
    )
    cases = list(
        Case.objects.filter(worksite=worksite).prefetch_related(
            Prefetch("presenters", queryset=Person.objects.order_by("last_name", "first_name"))
        )
    )
    return {
        "committee": committee,
        "participants": participants,
        "sections": sections,
        "cases": cases,
    }


def person_search(*, user, worksite: Worksite, query: str, limit: int = 20) -> list:
    """People of the directory the user may see whose name matches every word of the query,
    each marked with whether they are already on the committee or a participant."""
    if not query.strip():
        return []
    return list(
        filter_by_words(person_visible(user=user), query[:200])
        .annotate(
            on_committee=Exists(worksite.committee.filter(person=OuterRef("pk"))),
            is_participant=Exists(worksite.participants.filter(person=OuterRef("pk"))),
        )
        .order_by("last_name", "first_name", "pk")[:limit]
    )
