"""Reads of the exchange groups: each page's data in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

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


def _meetings(group) -> QuerySet[GroupMeeting]:
    return (
        GroupMeeting.objects.filter(group=group)
        .select_related("event__venue__commune", "group")
        .order_by("event__starts_at", "number")
    )


@dataclass
class PublicPage:
    group: ExchangeGroup
    facilitators: list
    members: list
    meetings: list
    public_minutes: list
    productions: list
    citizens_meetings: list
    call: object | None = None  # the published call its members came from


def group_public_page(*, group: ExchangeGroup) -> PublicPage:
    """What anyone may read about the group: what it is, and what it chose to publish."""
    people = list(
        GroupMembership.objects.filter(current_q(), group=group)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    return PublicPage(
        group=group,
        facilitators=[m for m in people if m.is_facilitator],
        members=[m for m in people if not m.is_facilitator] if group.shows_members else [],
        meetings=list(_meetings(group)) if group.shows_calendar else [],
        public_minutes=list(
            Minutes.objects.filter(meeting__group=group, is_published=True, is_public=True)
            .select_related("meeting__event")
            .order_by("meeting__event__starts_at")
        ),
        productions=list(
            Production.objects.filter(group=group, resource__state="published")
            .select_related("resource")
            .order_by("-resource__published_on", "title")
        ),
        citizens_meetings=list(
            CitizensMeeting.objects.filter(group=group)
            .select_related("event__venue__commune")
            .order_by("event__starts_at")
        ),
        call=group.call if group.call_id and group.call.is_published else None,
    )


# --- the private space -----------------------------------------------------------------------


def memberships_with_rates(*, group: ExchangeGroup) -> QuerySet[GroupMembership]:
    """Current members and facilitators with their attendance counts (present, excused,
    absent, recorded) and their organisations."""
    return (
        GroupMembership.objects.filter(current_q(), group=group)
        .select_related("person", "group")
        .prefetch_related(
            Prefetch(
                "person__memberships",
                queryset=Membership.objects.select_related("organisation").filter(
                    Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate())
                ),
            )
        )
        .annotate(
            present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
            excused=Count("attendances", filter=Q(attendances__status=AttendanceStatus.EXCUSED)),
            absent=Count("attendances", filter=Q(attendances__status=AttendanceStatus.ABSENT)),
            recorded=Count("attendances"),
        )
        .order_by("role", "person__last_name", "person__first_name")
    )


def attendance_rate(present: int, recorded: int) -> int | None:
    """Percentage of the recorded meetings a member attended (None before any is recorded)."""
    return round(100 * present / recorded) if recorded else None


@dataclass
class MeetingRow:
    meeting: GroupMeeting
    has_minutes: bool
    minutes_published: bool
    my_excuse: Excuse | None
    is_past: bool


@dataclass
class Space:
    group: ExchangeGroup
    membership: GroupMembership | None
    meetings: list[MeetingRow]
    members: list
    facilitators: list
    documents: list
    productions: list
    citizens_meetings: list
    alerts: list


def group_space(*, group: ExchangeGroup, user) -> Space:
    """The private space: calendar, minutes, documents, productions, contact list."""
    membership = membership_of(user=user, group=group)
    now = timezone.now()
    meetings = list(
        _meetings(group).annotate(
            has_minutes=Exists(Minutes.objects.filter(meeting=OuterRef("pk"))),
            minutes_published=Exists(
                Minutes.objects.filter(meeting=OuterRef("pk"), is_published=True)
            ),
        )
    )
    excuses = {}
    if membership is not None:
        excuses = {
            excuse.meeting_id: excuse
            for excuse in Excuse.objects.filter(membership=membership, meeting__group=group)
        }
    rows = [
        MeetingRow(
            meeting=meeting,
            has_minutes=meeting.has_minutes,
            minutes_published=meeting.minutes_published,
            my_excuse=excuses.get(meeting.pk),
            is_past=meeting.event.starts_at <= now,
        )
        for meeting in meetings
    ]
    people = list(memberships_with_rates(group=group))
    for person in people:
        person.rate = attendance_rate(person.present, person.recorded)
    documents = list(
        MinutesAttachment.objects.filter(minutes__meeting__group=group, minutes__is_published=True)
        .select_related("minutes__meeting")
        .order_by("-uploaded_at", "-pk")
    )
    return Space(
        group=group,
        membership=membership,
        meetings=rows,
        members=[p for p in people if not p.is_facilitator],
        facilitators=[p for p in people if p.is_facilitator],
        documents=documents,
        productions=list(
            Production.objects.filter(group=group)
            .select_related("resource")
            .order_by("-created_at", "-pk")
        ),
        citizens_meetings=list(
            CitizensMeeting.objects.filter(group=group)
            .select_related("event__venue__commune")
            .order_by("event__starts_at")
        ),
        alerts=[p for p in people if p.absence_alert_at is not None],
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


def _per_group(queryset, field: str = "group", **aggregates) -> dict:
    """{group id: {name: value}} from one GROUP BY query."""
    aggregates = aggregates or {"n": Count("pk")}
    rows = queryset.order_by().values(field).annotate(**aggregates)
    return {row[field]: row for row in rows}


def groups_overview() -> list[ExchangeGroup]:
    """Every group with its members, meetings held and planned, attendance (present and
    recorded), minutes missing after a meeting held and absence alerts.

    Seven queries whatever the number of groups: one GROUP BY pass per figure, which SQLite
    runs faster than seven correlated sub-selects per group."""
    now = timezone.now()
    groups = list(ExchangeGroup.objects.select_related("zone").order_by("-starts_on", "name"))
    members = _per_group(GroupMembership.objects.filter(current_q(), role=MemberRole.MEMBER))
    meetings = GroupMeeting.objects.exclude(event__state=EventState.CANCELLED)
    held = _per_group(meetings.filter(event__starts_at__lte=now))
    planned = _per_group(meetings.filter(event__starts_at__gt=now))
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
    for group in groups:
        counts = attendance.get(group.pk, {})
        group.member_count = members.get(group.pk, {}).get("n", 0)
        group.held = held.get(group.pk, {}).get("n", 0)
        group.planned = planned.get(group.pk, {}).get("n", 0)
        group.present = counts.get("present", 0)
        group.recorded = counts.get("recorded", 0)
        group.minutes_missing = missing.get(group.pk, {}).get("n", 0)
        group.alerts = alerts.get(group.pk, {}).get("n", 0)
    return groups


def overview_rows(groups) -> list:
    """Add what each row prints (rate, period, link): computed once here rather than by
    template filters, 200 rows × 10 cells on one page."""
    from django.urls import reverse

    space = reverse("groups:space", args=["slug"])
    for group in groups:
        group.rate = attendance_rate(group.present, group.recorded)
        group.period = f"{group.starts_on:%m/%Y} – {group.ends_on:%m/%Y}"
        group.space_url = space.replace("/slug/", f"/{group.slug}/", 1)
    return groups


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
