"""Registration reads: personal links, personal programme and .ics, staff table, survey
(the CSV export is in `events.exports`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terreau.core import versions
from terreau.core.absolute import base_url
from terreau.core.charts import bar_chart_svg
from terreau.core.qr import qr_svg

from .. import registration_index
from ..models import (
    Answer,
    Attendance,
    Event,
    EventOption,
    PaymentStatus,
    Question,
    Registration,
    RegistrationAction,
    RegistrationStatus,
    RegistrationTally,
    Session,
    SessionSpeaker,
    Slot,
    Tariff,
    WorkshopAssignment,
    WorkshopChoice,
)

TOKEN_SALT = "terreau.events.registration"


# --- personal links ------------------------------------------------------------------------


def registration_signed_token(registration: Registration) -> str:
    return signing.Signer(salt=TOKEN_SALT).sign(registration.token)


def registration_manage_path(registration: Registration) -> str:
    return reverse(
        "events:registration_manage",
        kwargs={"signed_token": registration_signed_token(registration)},
    )


def registration_manage_url(registration: Registration) -> str:
    return base_url() + registration_manage_path(registration)


def registration_survey_url(registration: Registration) -> str:
    return base_url() + reverse(
        "events:registration_survey",
        kwargs={"signed_token": registration_signed_token(registration)},
    )


def registration_from_signed_token(signed_token: str) -> Registration | None:
    """The registration a personal link points to, or None when the link was altered."""
    try:
        token = signing.Signer(salt=TOKEN_SALT).unsign(signed_token)
    except signing.BadSignature:
        return None
    return (
        Registration.objects.select_related("event", "tariff", "event__venue")
        .filter(token=token)
        .first()
    )


# The code on a badge and in the confirmation e-mail: the registration's number signed with a
# salt of its own, so that it is not guessable and does not open the personal link (a badge is
# worn in sight of everyone).
CHECKIN_SALT = "terreau.events.checkin"


def registration_checkin_code(registration: Registration) -> str:
    return signing.Signer(salt=CHECKIN_SALT).sign(str(registration.pk))


def registration_checkin_qr(registration: Registration, *, size: str = "100%") -> str:
    """The check-in code as an inline SVG image, named for screen readers."""
    label = _("Check-in code of %(name)s") % {"name": registration.full_name}
    return mark_safe(qr_svg(registration_checkin_code(registration), label=label, size=size))


def registration_from_checkin_code(event: Event, code: str) -> Registration | None:
    """The event's registration a scanned code names, or None when the code is altered, of
    another event, or not a code at all."""
    try:
        pk = signing.Signer(salt=CHECKIN_SALT).unsign(code.strip()[:200])
    except signing.BadSignature:
        return None
    if not pk.isdigit() or len(pk) > 18:
        return None
    return event.registrations.filter(pk=int(pk)).first()


# --- the form ------------------------------------------------------------------------------


@dataclass
class Round:
    slot: Slot
    sessions: list[Session]


def event_rounds(event: Event) -> list[Round]:
    """The event's rounds (slots where participants choose one parallel session), in order."""
    slots = (
        Slot.objects.filter(day__event=event, round_number__isnull=False)
        .select_related("day")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("room")
                .prefetch_related(
                    Prefetch(
                        "speakers",
                        queryset=SessionSpeaker.objects.select_related("person").order_by(
                            "position", "pk"
                        ),
                    )
                )
                .order_by("position", "pk"),
            )
        )
        .order_by("day__date", "starts_at", "pk")
    )
    return [Round(slot=slot, sessions=list(slot.sessions.all())) for slot in slots]


def event_full_workshops(event: Event) -> frozenset[int]:
    """The round sessions whose seats (their own, else their room's) are all taken by the
    places already given: one query, read fresh (places change without a new version)."""
    taken = (
        Session.objects.filter(slot__day__event=event, slot__round_number__isnull=False)
        .annotate(seats=Coalesce("capacity", "room__capacity"), taken=Count("assignments"))
        .filter(seats__isnull=False, taken__gte=F("seats"))
        .values_list("pk", flat=True)
    )
    return frozenset(taken)


@dataclass
class RegistrationFormSpec:
    """What an event's registration form is built from, and what sign-ups are checked against."""

    tariffs: list[Tariff]
    options: list[EventOption]
    questions: list[Question]  # of the registration form, in order
    rounds: list[Round]


# Long enough to serve every sign-up of a busy day; a change makes a new key anyway.
FORM_CACHE_SECONDS = 24 * 3600


def event_form_cache_key(event: Event, name: str) -> str:
    """A cache key that changes whenever the event or one of its parts changes: the site's
    content version (`core.versions`, one query)."""
    stamp = versions.current([versions.SITE])[0]
    return f"events:{name}:{event.pk}:{stamp}"


def event_registration_form_spec(event: Event) -> RegistrationFormSpec:
    """The event's tariffs, options, registration questions and rounds: four queries once per
    version of the event, then read from the cache (every sign-up reads them twice)."""
    key = event_form_cache_key(event, "registration-form-spec")
    spec = cache.get(key)
    if spec is None:
        spec = RegistrationFormSpec(
            tariffs=list(event.tariffs.all()),
            options=list(event.options.all()),
            questions=list(event.questions.filter(purpose=Question.Purpose.REGISTRATION)),
            rounds=event_rounds(event),
        )
        cache.set(key, spec, FORM_CACHE_SECONDS)
    return spec


def event_registration_questions(event: Event, purpose: str = Question.Purpose.REGISTRATION):
    return list(event.questions.filter(purpose=purpose).order_by("position", "pk"))


def event_seat_counts(event: Event) -> dict[str, int | None]:
    """Seats taken (confirmed registrations), counted only when the event has a capacity: the
    form shows them, and the closed reason needs them, only then."""
    if event.capacity is None:
        return {"confirmed": None}
    return {"confirmed": event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()}


def event_single_tariff(event: Event) -> Tariff | None:
    """The event's tariff when it has exactly one (no choice to make on the form)."""
    tariffs = event_registration_form_spec(event).tariffs
    return tariffs[0] if len(tariffs) == 1 else None


def event_public_participants(event: Event) -> QuerySet:
    """Confirmed participants who opted in to the public list: name and organisation only."""
    return (
        event.registrations.filter(status=RegistrationStatus.CONFIRMED, is_listed=True)
        .order_by("last_name", "first_name", "pk")
        .values("first_name", "last_name", "employer")
    )


# --- personal programme and iCalendar ------------------------------------------------------


@dataclass
class ProgrammeItem:
    date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    title: str
    sessions: list[Session] = field(default_factory=list)
    is_round: bool = False
    round_number: int | None = None
    # For a round: the assigned session, or the first choice while the assignment is pending.
    session: Session | None = None
    is_assigned: bool = False


def _aware(date: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, time), timezone.get_default_timezone())


def _event_slots(event_id: int) -> list[Slot]:
    """The event's slots with their sessions and rooms, the same for every registrant: read once
    per content version (a sign-up reads them for its e-mail, then for its personal page)."""
    key = f"events:programme-slots:{event_id}:{versions.current([versions.SITE])[0]}"
    slots = cache.get(key)
    if slots is None:
        slots = list(
            Slot.objects.filter(day__event_id=event_id)
            .select_related("day")
            .prefetch_related(Prefetch("sessions", queryset=Session.objects.select_related("room")))
            .order_by("day__date", "starts_at", "pk")
        )
        cache.set(key, slots, FORM_CACHE_SECONDS)
    return slots


def registration_personal_programme(registration: Registration) -> list[ProgrammeItem]:
    """The registrant's own programme: every common slot, and their workshop of each round."""
    slots = _event_slots(registration.event_id)
    assigned = {
        a.slot_id: a.session_id
        for a in WorkshopAssignment.objects.filter(registration=registration)
    }
    first_choice = {
        c.session.slot_id: c.session_id
        for c in WorkshopChoice.objects.filter(registration=registration, rank=1).select_related(
            "session"
        )
    }
    items = []
    for index, slot in enumerate(slots):
        sessions = list(slot.sessions.all())
        if slot.ends_at:
            end_time = slot.ends_at
        elif index + 1 < len(slots) and slots[index + 1].day_id == slot.day_id:
            end_time = slots[index + 1].starts_at
        else:
            end_time = slot.day.ends_at
        starts = _aware(slot.day.date, slot.starts_at)
        ends = max(_aware(slot.day.date, end_time), starts)
        item = ProgrammeItem(
            date=slot.day.date,
            starts_at=starts,
            ends_at=ends,
            title=slot.title or (sessions[0].title if len(sessions) == 1 else ""),
            sessions=sessions,
            is_round=slot.round_number is not None,
            round_number=slot.round_number,
        )
        if item.is_round:
            chosen = assigned.get(slot.pk) or first_choice.get(slot.pk)
            item.is_assigned = slot.pk in assigned
            item.session = next((s for s in sessions if s.pk == chosen), None)
            if item.session is not None:
                item.title = item.session.title
        items.append(item)
    return items


def registration_ics(registration: Registration, programme=None) -> bytes:
    """The personal programme as an iCalendar file (one event per slot)."""
    from icalendar import Calendar
    from icalendar import Event as IcsEvent

    event = registration.event
    programme = registration_personal_programme(registration) if programme is None else programme
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//events//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", event.title)
    location = ""
    if event.venue_id:
        location = ", ".join(p for p in [event.venue.name, event.venue.address] if p)
    elif event.online_url:
        location = event.online_url
    stamp = timezone.now()
    if not programme:
        programme = [ProgrammeItem(event.starts_at.date(), event.starts_at, event.ends_at, "")]
    for index, item in enumerate(programme):
        entry = IcsEvent()
        entry.add("uid", f"registration-{registration.token}-{index}@{settings.SITE_NAME}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", item.starts_at)
        entry.add("dtend", item.ends_at)
        summary = item.title or event.title
        entry.add("summary", f"{summary} — {event.title}" if item.title else summary)
        if item.session is not None and item.session.room_id:
            entry.add("location", f"{item.session.room.name}, {location}".strip(", "))
        elif location:
            entry.add("location", location)
        calendar.add_component(entry)
    return calendar.to_ical()


# --- staff table ---------------------------------------------------------------------------


TABLE_FILTERS = ("status", "attendance", "payment_status", "actor_category")


# The staff table's sortable columns: key → (heading, ordering); "-key" sorts the other way.
TABLE_SORTS = {
    "name": (gettext_lazy("Name"), ("last_name", "first_name")),
    "employer": (gettext_lazy("Employer"), ("employer",)),
    "category": (gettext_lazy("Actor category"), ("actor_category",)),
    "status": (gettext_lazy("Status"), ("status",)),
    "attendance": (gettext_lazy("Attendance"), ("attendance",)),
    "tariff": (gettext_lazy("Rate"), ("tariff__label",)),
    "payment": (gettext_lazy("Payment"), ("payment_status",)),
    "registered": (gettext_lazy("Registered"), ("created_at",)),
}
TABLE_SORT_CHOICES = [(key, key) for name in TABLE_SORTS for key in (name, f"-{name}")]


def registration_table_ordering(sort: str | None) -> list[str]:
    name = (sort or "").removeprefix("-")
    if name not in TABLE_SORTS:
        return ["created_at", "pk"]
    sign = "-" if sort.startswith("-") else ""
    return [f"{sign}{field}" for field in TABLE_SORTS[name][1]] + [f"{sign}pk"]


@dataclass
class TableColumn:
    label: str
    href: str  # the table sorted on this column (the other way when it already is)
    aria_sort: str  # "ascending", "descending" or "" (not sorted on it)


def registration_table_columns(query, sort: str | None) -> list[TableColumn]:
    """The table's headings, each a link that sorts on it, keeping the filters of `query`."""
    columns = []
    for name, (label, _fields) in TABLE_SORTS.items():
        linked = query.copy()
        linked.pop("page", None)
        linked["sort"] = f"-{name}" if sort == name else name
        state = {name: "ascending", f"-{name}": "descending"}.get(sort or "", "")
        columns.append(TableColumn(str(label), "?" + linked.urlencode(), state))
    return columns


def registration_table(event: Event, filters: dict[str, str] | None = None) -> QuerySet:
    """Registrations of an event for the staff table (filters: status, attendance, payment,
    actor category, `q` on name, e-mail or employer, `ids` a selection; `sort` a column of
    TABLE_SORTS)."""
    filters = filters or {}
    queryset = event.registrations.select_related("tariff").order_by(
        *registration_table_ordering(filters.get("sort"))
    )
    if filters.get("ids"):
        queryset = queryset.filter(pk__in=filters["ids"])
    for name in TABLE_FILTERS:
        if filters.get(name):
            queryset = queryset.filter(**{name: filters[name]})
    q = (filters.get("q") or "").strip()
    if q:
        queryset = queryset.filter(registration_search(q))
    return queryset


def registration_search(text: str) -> Q:
    """Registrations whose last name, first name, e-mail or employer contains `text`, case
    aside: from SQLite's trigram index where it can answer, else `icontains` (which PostgreSQL
    answers from its trigram indexes)."""
    sql = registration_index.search_ids_sql()
    if sql and len(text) >= registration_index.MIN_SEARCH_LENGTH:
        return Q(pk__in=RawSQL(sql, [registration_index.search_phrase(text)]))
    return (
        Q(last_name__icontains=text)
        | Q(first_name__icontains=text)
        | Q(email__icontains=text)
        | Q(employer__icontains=text)
    )


def registration_counts(event: Event, filters: dict[str, str] | None = None) -> dict:
    """Counts per status, attendance, payment and actor category, and how many registrations
    match `filters` (None when a text search makes it unknown here) — in one query of the
    event's tallies (kept by the database, see `events.registration_index`)."""
    grouped = list(
        RegistrationTally.objects.filter(event=event, count__gt=0).values_list(
            *TABLE_FILTERS, "count"
        )
    )
    totals: dict[str, Counter] = {name: Counter() for name in TABLE_FILTERS}
    for row in grouped:
        n = row[-1]
        for index, name in enumerate(TABLE_FILTERS):
            if name != "actor_category" or row[0] != RegistrationStatus.CANCELLED:
                totals[name][row[index]] += n
    filters = filters or {}
    matching = None
    if not (filters.get("q") or "").strip() and not filters.get("ids"):
        wanted = [(i, filters.get(name)) for i, name in enumerate(TABLE_FILTERS)]
        matching = sum(row[-1] for row in grouped if all(not v or row[i] == v for i, v in wanted))
    category_choices = Registration._meta.get_field("actor_category").choices
    return {
        "total": sum(row[-1] for row in grouped),
        "matching": matching,
        "status": [(v, label, totals["status"][v]) for v, label in RegistrationStatus.choices],
        "attendance": [(v, label, totals["attendance"][v]) for v, label in Attendance.choices],
        "payment": [(v, label, totals["payment_status"][v]) for v, label in PaymentStatus.choices],
        "categories": [
            (v, label, totals["actor_category"][v])
            for v, label in category_choices
            if totals["actor_category"][v]
        ],
    }


@dataclass
class CountLink:
    label: str
    count: int
    href: str  # the table filtered on this value, other filters kept
    is_current: bool


def registration_count_groups(counts: dict, query) -> list[tuple[str, list[CountLink]]]:
    """The counts of `registration_counts` grouped under their headings, each a link to the
    table filtered on its value (the other filters of `query`, a QueryDict, are kept)."""
    groups = []
    for name, title, rows in (
        ("status", _("Status"), counts["status"]),
        ("attendance", _("Attendance"), counts["attendance"]),
        ("payment_status", _("Payment"), counts["payment"]),
        ("actor_category", _("Actor category"), counts["categories"]),
    ):
        links = []
        for value, label, n in rows:
            linked = query.copy()
            linked.pop("page", None)
            linked[name] = value
            links.append(
                CountLink(str(label), n, "?" + linked.urlencode(), query.get(name) == value)
            )
        groups.append((title, links))
    return groups


@dataclass
class TablePage:
    page: Page
    registrations: list[Registration]
    counts: dict


def registration_table_page(
    event: Event, filters: dict[str, str], number, per_page: int
) -> TablePage:
    """One page of the staff table, with the counts, in three queries whatever the size.

    The number of matching registrations comes from the grouped counts; with a text search,
    from the list of matching ids read in the same pass that orders them (a COUNT(*) and then
    the page would scan the table twice). The rows carry their display labels.
    """
    queryset = registration_table(event, filters)
    counts = registration_counts(event, filters)
    if counts["matching"] is not None:
        paginator = Paginator(queryset, per_page)
        paginator.count = counts["matching"]
        page = paginator.get_page(number)
        registrations = list(page.object_list)
    else:
        ids = list(queryset.values_list("pk", flat=True))
        page = Paginator(ids, per_page).get_page(number)
        by_id = {r.pk: r for r in queryset.filter(pk__in=list(page.object_list))}
        registrations = [by_id[pk] for pk in page.object_list if pk in by_id]
    registration_labels(registrations)
    return TablePage(page=page, registrations=registrations, counts=counts)


def registration_labels(registrations: list[Registration]) -> list[Registration]:
    """Attach the labels of the status, attendance, payment and actor category to each row
    (`status_label`, …), read once per page instead of once per row and field."""
    fields = ("status", "attendance", "payment_status", "actor_category")
    labels = {
        name: {value: str(label) for value, label in Registration._meta.get_field(name).choices}
        for name in fields
    }
    for registration in registrations:
        for name in fields:
            value = getattr(registration, name)
            setattr(registration, f"{name}_label", labels[name].get(value, value))
    return registrations


# --- answers as charts ---------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    respondents: int
    chart_svg: str = ""
    texts: list[str] = field(default_factory=list)


def question_results(event: Event, purpose: str) -> list[QuestionResult]:
    """Results per question: an SVG bar chart of counts per choice, or the text answers.

    Two queries: the questions and their answers.
    """
    questions = event_registration_questions(event, purpose)
    values: dict[int, list] = {q.pk: [] for q in questions}
    answers = Answer.objects.filter(
        question__in=questions, registration__status__in=["confirmed", "waitlisted", "pending"]
    ).values_list("question_id", "value")
    for qid, value in answers:
        values[qid].append(value)
    results = []
    for question in questions:
        given = values[question.pk]
        result = QuestionResult(question=question, respondents=len(given))
        if question.kind == Question.Kind.TEXT:
            result.texts = [str(v) for v in given if str(v).strip()]
        else:
            counts: Counter = Counter()
            if question.kind == Question.Kind.YES_NO:
                labels = [_("Yes"), _("No")]
                counts.update(_("Yes") if v else _("No") for v in given)
            else:
                labels = question.choice_list
                for v in given:
                    counts.update(v if isinstance(v, list) else [v])
            rows = [(label, counts.get(label, 0)) for label in labels]
            result.chart_svg = bar_chart_svg(
                rows, title=question.label, total=len(given) if given else None
            )
        results.append(result)
    return results


def registration_for_staff(*, event: Event, pk: int) -> Registration | None:
    """A registration of the event with all its staff page shows (tariff, person, options,
    answers in the form's order, choices, assignments, the action log), in a constant number
    of queries; None when it is not the event's."""
    answers = Answer.objects.select_related("question").order_by(
        "question__purpose", "question__position"
    )
    return (
        Registration.objects.select_related("tariff", "person")
        .prefetch_related(
            "options",
            Prefetch("answers", queryset=answers),
            "choices__session__slot",
            "assignments__session",
            Prefetch("actions", queryset=RegistrationAction.objects.select_related("by")),
        )
        .filter(event=event, pk=pk)
        .first()
    )
