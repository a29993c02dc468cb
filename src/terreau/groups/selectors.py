"""Reads of the exchange groups: each page's data in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from terreau.core import versions
from terreau.core.pagecache import next_change, next_local_midnight
from terreau.directory.models import Membership
from terreau.events.models import (
    AttendanceRecord,
    EventKind,
    EventState,
    Registration,
    RegistrationStatus,
)

from .models import (
    AttendanceStatus,
    CitizensMeeting,
    ExchangeGroup,
    Excuse,
    GroupMeeting,
    GroupMembership,
    MeetingAttendance,
    MemberRole,
    Minutes,
    MinutesAttachment,
    Production,
    ProductionKind,
)

ABSENCES_BEFORE_ALERT = 2


def current_q(prefix: str = "", *, on=None) -> Q:
    """Memberships that have not ended (on a date: today by default)."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": on})


def membership_of(*, user, group) -> GroupMembership | None:
    """The user's current membership of the group, or None. The user's memberships of every
    group are read once per request and kept on the user object."""
    if not (user and user.is_authenticated) or group is None:
        return None
    cache = getattr(user, "_group_memberships", None)
    if cache is None:
        cache = {
            membership.group_id: membership
            for membership in GroupMembership.objects.filter(current_q(), person__user=user)
        }
        user._group_memberships = cache
    return cache.get(group.pk)


def forget_memberships(user) -> None:
    """Drop the cached memberships (after the user joins or accepts the charter)."""
    if hasattr(user, "_group_memberships"):
        del user._group_memberships


# --- hooks answered for the events module ----------------------------------------------------


def event_group_member_check(event, email: str) -> bool | None:
    """Whether the e-mail is a current member's of the meeting's group; None for events that
    are not a group's meetings."""
    if event.kind != EventKind.GROUP_MEETING:
        return None
    meeting = GroupMeeting.objects.filter(event=event).only("group_id").first()
    if meeting is None:
        return None
    return (
        GroupMembership.objects.filter(current_q(), group_id=meeting.group_id)
        .filter(person__email__iexact=email)
        .exists()
    )


def event_registration_owner(event) -> str | None:
    """A meeting's members are registered by the group: the events' page shows no form, only
    the group's public page (what it is, how to join); None for other events."""
    if event.kind != EventKind.GROUP_MEETING:
        return None
    slug = (
        ExchangeGroup.objects.filter(meetings__event=event).values_list("slug", flat=True).first()
    )
    return reverse("groups:detail", kwargs={"slug": slug}) if slug else None


def event_door_delegate(user, event) -> bool:
    """A facilitator of the group whose meeting (or citizens' meeting) the event is."""
    facilitating = GroupMembership.objects.filter(
        current_q(), person__user=user, role=MemberRole.FACILITATOR
    )
    return facilitating.filter(
        Q(group__meetings__event=event) | Q(group__citizens_meetings__event=event)
    ).exists()


# --- public pages ------------------------------------------------------------------------------


def _member_count():
    return Subquery(
        GroupMembership.objects.filter(current_q(), group=OuterRef("pk"), role=MemberRole.MEMBER)
        .values("group")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def group_list() -> QuerySet[ExchangeGroup]:
    return (
        ExchangeGroup.objects.select_related("zone")
        .annotate(member_count=Coalesce(_member_count(), Value(0)))
        .order_by("-starts_on", "name")
    )


def group_by_slug(*, slug: str) -> ExchangeGroup | None:
    return ExchangeGroup.objects.select_related("zone", "call").filter(slug=slug).first()


def _url_format(name: str, *sentinels) -> str:
    """The URL `name` reversed once with `sentinels` as its arguments, each left as `{0}`,
    `{1}`… for `str.format` per row (a reverse per row costs more than the rest of the row)."""
    url = reverse(name, args=sentinels)
    for index, sentinel in enumerate(sentinels):
        url = url.replace(f"/{sentinel}/", f"/{{{index}}}/", 1)
    return url


# Sentinels for `_url_format`: no real slug or id looks like them.
SLUG, PK, OTHER_PK = "slug-sentinel", 987654321, 987654322


@dataclass
class PublicPage:
    group: ExchangeGroup
    facilitators: list[str]  # names
    members: list[str]  # names, when the group shows them
    meetings: list[dict]  # starts_at, venue, commune
    public_minutes: list[dict]  # url, starts_at
    productions: list[dict]  # url, title, kind
    citizens_meetings: list[dict]  # url, title, starts_at, commune
    call: object | None = None  # the published call its members came from


def _name(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".strip()  # as Person.display_name


def citizens_meeting_rows(*, group: ExchangeGroup) -> list[dict]:
    """The group's citizens' meetings as plain rows (url, title, starts_at, commune)."""
    event_url = _url_format("events:detail", SLUG)
    return [
        {
            "url": event_url.format(row["event__slug"]),
            "title": row["event__title"],
            "starts_at": row["event__starts_at"],
            "commune": row["event__venue__commune__name"],
        }
        for row in CitizensMeeting.objects.filter(group=group)
        .order_by("event__starts_at")
        .values("event__slug", "event__title", "event__starts_at", "event__venue__commune__name")
    ]


def group_public_page(*, group: ExchangeGroup) -> PublicPage:
    """What anyone may read about the group: what it is, and what it chose to publish. Plain
    rows (names, dates, links formatted from one reversed URL each)."""
    people = [
        (role, _name(first, last))
        for role, first, last in GroupMembership.objects.filter(current_q(), group=group)
        .order_by("person__last_name", "person__first_name")
        .values_list("role", "person__first_name", "person__last_name")
    ]
    meetings = []
    if group.shows_calendar:
        meetings = [
            {
                "starts_at": row["event__starts_at"],
                "venue": row["event__venue__name"],
                "commune": row["event__venue__commune__name"],
            }
            for row in GroupMeeting.objects.filter(group=group)
            .order_by("event__starts_at", "number")
            .values("event__starts_at", "event__venue__name", "event__venue__commune__name")
        ]
    minutes_url = _url_format("groups:minutes", SLUG, PK)
    resource_url = _url_format("library:resource_detail", SLUG)
    kinds = dict(ProductionKind.choices)
    return PublicPage(
        group=group,
        facilitators=[name for role, name in people if role == MemberRole.FACILITATOR],
        members=[name for role, name in people if role != MemberRole.FACILITATOR]
        if group.shows_members
        else [],
        meetings=meetings,
        public_minutes=[
            {"url": minutes_url.format(group.slug, meeting_id), "starts_at": starts_at}
            for meeting_id, starts_at in Minutes.objects.filter(
                meeting__group=group, is_published=True, is_public=True
            )
            .order_by("meeting__event__starts_at")
            .values_list("meeting_id", "meeting__event__starts_at")
        ],
        productions=[
            {"url": resource_url.format(slug), "title": title, "kind": kinds.get(kind, kind)}
            for slug, title, kind in Production.objects.filter(
                group=group, resource__state="published"
            )
            .order_by("-resource__published_on", "title")
            .values_list("resource__slug", "title", "kind")
        ],
        citizens_meetings=citizens_meeting_rows(group=group),
        call=group.call if group.call_id and group.call.is_published else None,
    )


# --- the private space -----------------------------------------------------------------------


def attendance_rate(present: int, recorded: int) -> int | None:
    """Percentage of the recorded meetings a member attended (None before any is recorded)."""
    return round(100 * present / recorded) if recorded else None


def member_rows(*, group: ExchangeGroup) -> list[dict]:
    """Current facilitators then members, as plain rows: name, role, contact details, their
    organisations, attendance counts (present, excused, absent, recorded) and rate, the link
    that ends the membership. Two queries."""
    roles = dict(MemberRole.choices)
    end_url = _url_format("groups:member_end", SLUG, PK)
    rows = list(
        GroupMembership.objects.filter(current_q(), group=group)
        .values(
            "pk",
            "role",
            "person_id",
            "person__first_name",
            "person__last_name",
            "person__email",
            "person__phone",
            "absence_alert_at",
        )
        .annotate(
            present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
            excused=Count("attendances", filter=Q(attendances__status=AttendanceStatus.EXCUSED)),
            absent=Count("attendances", filter=Q(attendances__status=AttendanceStatus.ABSENT)),
            recorded=Count("attendances"),
        )
        # Facilitators first ("facilitator" < "member"), then by name.
        .order_by("role", "person__last_name", "person__first_name")
    )
    organisations: dict[int, list[str]] = {}
    for person_id, name in (
        Membership.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()),
            person_id__in=[row["person_id"] for row in rows],
        )
        .order_by("pk")
        .values_list("person_id", "organisation__name")
    ):
        organisations.setdefault(person_id, []).append(name)
    for row in rows:
        row["name"] = _name(row.pop("person__first_name"), row.pop("person__last_name"))
        row["email"] = row.pop("person__email")
        row["phone"] = row.pop("person__phone")
        row["is_facilitator"] = row["role"] == MemberRole.FACILITATOR
        row["role_label"] = roles.get(row["role"], row["role"])
        row["organisations"] = "; ".join(organisations.get(row["person_id"], ()))
        row["rate"] = attendance_rate(row["present"], row["recorded"])
        row["end_url"] = end_url.format(group.slug, row["pk"])
    return rows


@dataclass
class Space:
    group: ExchangeGroup
    membership: GroupMembership | None
    meetings: list[dict]
    people: list[dict]  # facilitators, then members (`member_rows`)
    documents: list[dict]
    productions: list[dict]
    citizens_meetings: list[dict]
    alerts: list[str]  # names of members with an absence alert
    shows_excuses: bool  # the user is a member (not a facilitator): their excuses are shown


def group_space(*, group: ExchangeGroup, user) -> Space:
    """The private space: calendar, minutes, documents, productions, contact list, as plain
    rows with their links formatted from one reversed URL each."""
    membership = membership_of(user=user, group=group)
    now = timezone.now()
    excuses = set()
    if membership is not None:
        excuses = set(
            Excuse.objects.filter(membership=membership, meeting__group=group).values_list(
                "meeting_id", flat=True
            )
        )
    meeting_url = _url_format("groups:meeting", SLUG, PK)
    minutes_url = _url_format("groups:minutes", SLUG, PK)
    meetings = [
        {
            "number": row["number"],
            "url": meeting_url.format(group.slug, row["pk"]),
            "minutes_url": minutes_url.format(group.slug, row["pk"]),
            "starts_at": row["event__starts_at"],
            "is_cancelled": row["event__state"] == EventState.CANCELLED,
            "venue": row["event__venue__name"],
            "commune": row["event__venue__commune__name"],
            "has_minutes": row["has_minutes"],
            "minutes_published": row["minutes_published"],
            "has_excuse": row["pk"] in excuses,
            "is_past": row["event__starts_at"] <= now,
        }
        for row in GroupMeeting.objects.filter(group=group)
        .annotate(
            has_minutes=Exists(Minutes.objects.filter(meeting=OuterRef("pk"))),
            minutes_published=Exists(
                Minutes.objects.filter(meeting=OuterRef("pk"), is_published=True)
            ),
        )
        .order_by("event__starts_at", "number")
        .values(
            "pk",
            "number",
            "event__starts_at",
            "event__state",
            "event__venue__name",
            "event__venue__commune__name",
            "has_minutes",
            "minutes_published",
        )
    ]
    people = member_rows(group=group)
    attachment_url = _url_format("groups:attachment", SLUG, PK)
    production_url = _url_format("groups:production_edit", SLUG, PK)
    kinds = dict(ProductionKind.choices)
    return Space(
        group=group,
        membership=membership,
        meetings=meetings,
        people=people,
        documents=[
            {"url": attachment_url.format(group.slug, pk), "title": title, "number": number}
            for pk, title, number in MinutesAttachment.objects.filter(
                minutes__meeting__group=group, minutes__is_published=True
            )
            .order_by("-uploaded_at", "-pk")
            .values_list("pk", "title", "minutes__meeting__number")
        ],
        productions=[
            {
                "url": production_url.format(group.slug, pk),
                "title": title,
                "kind": kinds.get(kind, kind),
                "is_published": resource_id is not None,
            }
            for pk, title, kind, resource_id in Production.objects.filter(group=group)
            .order_by("-created_at", "-pk")
            .values_list("pk", "title", "kind", "resource_id")
        ],
        citizens_meetings=citizens_meeting_rows(group=group),
        alerts=[row["name"] for row in people if row["absence_alert_at"] is not None],
        shows_excuses=membership is not None and not membership.is_facilitator,
    )


def meeting_for_group(*, group: ExchangeGroup, pk) -> GroupMeeting | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return (
        GroupMeeting.objects.select_related("event__venue__commune", "group")
        .filter(group=group, pk=pk)
        .first()
    )


@dataclass
class AttendanceRow:
    membership: GroupMembership
    status: str  # recorded status, "" when nothing is recorded
    source: str
    checked_in: bool
    excuse: Excuse | None


def meeting_attendance_rows(*, meeting: GroupMeeting) -> list[AttendanceRow]:
    """Each member expected at the meeting (members on its date) with what is known: the
    attendance recorded, whether the events' check-in saw them, their excuse."""
    date = timezone.localtime(meeting.event.starts_at).date()
    checked_in = Registration.objects.filter(
        event_id=meeting.event_id,
        status=RegistrationStatus.CONFIRMED,
        person_id=OuterRef("person_id"),
    ).filter(Exists(AttendanceRecord.objects.filter(registration=OuterRef("pk"))))
    memberships = (
        GroupMembership.objects.filter(
            current_q(on=date), group_id=meeting.group_id, role=MemberRole.MEMBER
        )
        .filter(joined_on__lte=date)
        .select_related("person")
        .annotate(is_checked_in=Exists(checked_in))
        .order_by("person__last_name", "person__first_name")
    )
    memberships = list(memberships)
    attendances = {a.membership_id: a for a in MeetingAttendance.objects.filter(meeting=meeting)}
    excuses = {e.membership_id: e for e in Excuse.objects.filter(meeting=meeting)}
    rows = []
    for membership in memberships:
        attendance = attendances.get(membership.pk)
        rows.append(
            AttendanceRow(
                membership=membership,
                status=attendance.status if attendance else "",
                source=attendance.source if attendance else "",
                checked_in=membership.is_checked_in,
                excuse=excuses.get(membership.pk),
            )
        )
    return rows


def minutes_for_meeting(*, meeting: GroupMeeting) -> Minutes | None:
    return (
        Minutes.objects.filter(meeting=meeting)
        .select_related("updated_by")
        .prefetch_related("initiatives", "attachments")
        .first()
    )


def attachment_for_group(*, group: ExchangeGroup, pk) -> MinutesAttachment | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return (
        MinutesAttachment.objects.select_related("minutes__meeting")
        .filter(minutes__meeting__group=group, pk=pk)
        .first()
    )


def minutes_revisions(*, minutes: Minutes) -> list:
    return list(minutes.revisions.select_related("author").order_by("-number"))


def production_for_group(*, group: ExchangeGroup, pk) -> Production | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return Production.objects.select_related("resource").filter(group=group, pk=pk).first()


def venue_candidates(*, group: ExchangeGroup) -> list:
    """Where the group can meet: its members' organisations that have an address (as
    (organisation, None)) and the venues already used by events (as (None, venue))."""
    from terreau.directory.models import Organisation
    from terreau.events.models import Venue

    today = timezone.localdate()
    member_people = GroupMembership.objects.filter(current_q(), group=group).values("person")
    organisations = list(
        Organisation.objects.filter(
            Exists(
                Membership.objects.filter(
                    Q(end_date__isnull=True) | Q(end_date__gte=today),
                    organisation=OuterRef("pk"),
                    person__in=member_people,
                )
            )
        )
        .exclude(address="")
        .select_related("commune")
        .order_by("name")
    )
    venues = list(Venue.objects.select_related("commune").order_by("name")[:200])
    return organisations, venues


# --- staff overview -----------------------------------------------------------------------

#: The longest the overview's rows are kept; a change to any group moves the site's content
#: version (`core.versions`), and a meeting starting or ending, or midnight, ends them sooner.
OVERVIEW_CACHE_SECONDS = 3600


def _per_group(queryset, field: str = "group", **aggregates) -> dict:
    """{group id: {name: value}} from one GROUP BY query."""
    aggregates = aggregates or {"n": Count("pk")}
    rows = queryset.order_by().values(field).annotate(**aggregates)
    return {row[field]: row for row in rows}


def groups_overview_uncached(*, now=None) -> tuple[list[dict], dt.datetime]:
    """Every group as a row (name, zone, period, space link, members, meetings held and
    planned, attendance present / recorded and rate, minutes missing after a meeting held,
    absence alerts), and when these rows change by themselves: the next meeting's start or
    the end of one under way (held, planned, minutes missing), or midnight (members by their
    leaving date).

    Seven queries whatever the number of groups: one GROUP BY pass per figure, which SQLite
    runs faster than seven correlated sub-selects per group."""
    now = now or timezone.now()
    groups = list(
        ExchangeGroup.objects.order_by("-starts_on", "name").values(
            "pk", "slug", "name", "zone__name", "starts_on", "ends_on"
        )
    )
    members = _per_group(GroupMembership.objects.filter(current_q(), role=MemberRole.MEMBER))
    meetings = GroupMeeting.objects.exclude(event__state=EventState.CANCELLED)
    held = _per_group(
        meetings.filter(event__starts_at__lte=now),
        n=Count("pk"),
        next_end=Min("event__ends_at", filter=Q(event__ends_at__gt=now)),
    )
    planned = _per_group(
        meetings.filter(event__starts_at__gt=now),
        n=Count("pk"),
        next_start=Min("event__starts_at"),
    )
    attendance = _per_group(
        MeetingAttendance.objects.all(),
        "meeting__group",
        present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
        recorded=Count("pk"),
    )
    missing = _per_group(
        meetings.filter(event__ends_at__lte=now).exclude(
            Exists(Minutes.objects.filter(meeting=OuterRef("pk"), is_published=True))
        )
    )
    alerts = _per_group(GroupMembership.objects.filter(current_q(), absence_alert_at__isnull=False))
    space = _url_format("groups:space", SLUG)
    rows = []
    for group in groups:
        pk, counts = group["pk"], attendance.get(group["pk"], {})
        present, recorded = counts.get("present", 0), counts.get("recorded", 0)
        rows.append(
            {
                "name": group["name"],
                "zone": group["zone__name"] or "",
                "starts_on": group["starts_on"],
                "ends_on": group["ends_on"],
                "period": f"{group['starts_on']:%m/%Y} – {group['ends_on']:%m/%Y}",
                "space_url": space.format(group["slug"]),
                "member_count": members.get(pk, {}).get("n", 0),
                "held": held.get(pk, {}).get("n", 0),
                "planned": planned.get(pk, {}).get("n", 0),
                "present": present,
                "recorded": recorded,
                "rate": attendance_rate(present, recorded),
                "minutes_missing": missing.get(pk, {}).get("n", 0),
                "alerts": alerts.get(pk, {}).get("n", 0),
            }
        )
    changes_at = next_change(
        *(row["next_end"] for row in held.values()),
        *(row["next_start"] for row in planned.values()),
        next_local_midnight(now=now),
        now=now,
    )
    return rows, changes_at


def overview_cache_key() -> str:
    """Where the overview's rows are kept: under the site's content version (one query)."""
    return f"groups:overview:{versions.current([versions.SITE])[0]}"


def groups_overview(*, now=None) -> list[dict]:
    """`groups_overview_uncached`'s rows, kept in the cache under the site's content version
    (`core.versions`) until they change by themselves: one query when cached."""
    now = now or timezone.now()
    key = overview_cache_key()
    entry = cache.get(key)
    if entry is not None and entry["expires"] > now.timestamp():
        return entry["rows"]
    rows, changes_at = groups_overview_uncached(now=now)
    life = min(OVERVIEW_CACHE_SECONDS, (changes_at - now).total_seconds())
    if life >= 1:
        cache.set(key, {"rows": rows, "expires": changes_at.timestamp()}, int(life))
    return rows


# --- members from a call's selection --------------------------------------------------------


@dataclass
class SelectionCandidate:
    """A selected applicant of a call, as the group would take them."""

    application: object  # calls.Application
    person: object | None  # their directory entry (linked or same e-mail); None: to create
    membership: GroupMembership | None  # already in the target group

    @property
    def joins(self) -> bool:
        return self.membership is None


def call_selection_sources() -> list[tuple[str, str]]:
    """What a group can take its members from: each call with selected applicants, as a whole
    ("call:<pk>") and group by group as the call formed them ("group:<pk>"). Two queries."""
    from terreau.calls.models import ApplicationState, Call, CallGroup

    selected = Q(applications__state=ApplicationState.SELECTED)
    calls = list(
        Call.objects.annotate(selected=Count("applications", filter=selected))
        .filter(selected__gt=0)
        .order_by("-closes_at", "pk")
    )
    groups = {}
    for call_group in (
        CallGroup.objects.filter(call__in=calls)
        .annotate(
            selected=Count(
                "members",
                filter=Q(members__application__state=ApplicationState.SELECTED),
            )
        )
        .select_related("exchange_group")
        .order_by("position", "pk")
    ):
        groups.setdefault(call_group.call_id, []).append(call_group)
    choices = []
    for call in calls:
        for call_group in groups.get(call.pk, []):
            label = _("%(call)s — %(group)s (%(count)s selected)") % {
                "call": call.title,
                "group": call_group.name,
                "count": call_group.selected,
            }
            handed = getattr(call_group, "exchange_group", None)
            if handed is not None:
                label += " — " + _("already given to “%(group)s”") % {"group": handed.name}
            choices.append((f"group:{call_group.pk}", label))
        choices.append(
            (
                f"call:{call.pk}",
                _("%(call)s — everyone selected (%(count)s)")
                % {"call": call.title, "count": call.selected},
            )
        )
    return choices


def call_selection_source(value: str):
    """(call, call group or None) named by a source value, or (None, None)."""
    from terreau.calls.models import Call, CallGroup

    kind, _sep, pk = (value or "").partition(":")
    if not pk.isdigit() or not 0 < int(pk) < 2**63:
        return None, None
    if kind == "group":
        call_group = CallGroup.objects.select_related("call", "zone").filter(pk=pk).first()
        return (call_group.call, call_group) if call_group else (None, None)
    if kind == "call":
        return Call.objects.filter(pk=pk).first(), None
    return None, None


def call_selection_candidates(
    *, call, call_group=None, group: ExchangeGroup | None = None
) -> list[SelectionCandidate]:
    """The call's selected applicants (those the call put in `call_group` when given), each
    with their directory entry and their membership of `group` if any. Three queries
    whatever their number."""
    from django.contrib.auth import get_user_model
    from django.db.models.functions import Lower

    from terreau.calls.models import ApplicationState
    from terreau.directory.models import Person

    applications = call.applications.filter(state=ApplicationState.SELECTED)
    if call_group is not None:
        applications = applications.filter(group_assignment__group=call_group)
    applications = list(
        applications.select_related("person", "organisation", "zone", "applicant").order_by(
            "applicant_name", "pk"
        )
    )
    emails = {a.applicant_email.strip().lower() for a in applications if not a.person_id}
    accounts = get_user_model().objects.filter(email__in=emails).values("pk")
    by_email, by_user = {}, {}
    if emails:
        for person in (
            Person.objects.alias(email_lower=Lower("email"))
            .filter(Q(email_lower__in=emails) | Q(user_id__in=accounts))
            .select_related("user")
            .order_by("pk")
        ):
            by_email.setdefault((person.email or "").lower(), person)
            if person.user_id:
                by_user.setdefault(person.user.email.lower(), person)
    people = {}
    for application in applications:
        email = application.applicant_email.strip().lower()
        people[application.pk] = application.person or by_email.get(email) or by_user.get(email)
    memberships = {}
    if group is not None and group.pk:
        person_ids = [p.pk for p in people.values() if p is not None]
        memberships = {
            m.person_id: m
            for m in GroupMembership.objects.filter(group=group, person__in=person_ids)
        }
    return [
        SelectionCandidate(
            application=application,
            person=people[application.pk],
            membership=memberships.get(people[application.pk].pk)
            if people[application.pk] is not None
            else None,
        )
        for application in applications
    ]
