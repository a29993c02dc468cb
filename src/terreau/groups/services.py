"""Writes of the exchange groups: groups, members and the charter, the year's meetings (events
of the events module), excuses, attendance and the absence alert, minutes and their revisions,
productions published to the library, citizens' meetings.

E-mails are sent with Django's mail API inside the transaction of the change that causes them
(the site's outbox writes them in that transaction and delivers them afterwards).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from terreau.core.slugs import slug_unique
from terreau.events import ics
from terreau.events.models import (
    AttendanceRecord,
    Audience,
    Event,
    EventDay,
    EventKind,
    EventState,
    Venue,
)
from terreau.events.services.registration import registration_invite
from terreau.observatory.diffing import diff_records

from . import calendar as year_calendar
from .models import (
    AttendanceSource,
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
    MinutesRevision,
    Production,
    ProductionKind,
)
from .selectors import ABSENCES_BEFORE_ALERT, current_q

DAY_STARTS = dt.time(9, 30)
DAY_ENDS = dt.time(16, 30)
MAX_MEETINGS_PER_YEAR = 24


def _aware(date: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, time))


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _may(user, perm: str, group) -> bool:
    return user is not None and user.has_perm(perm, group)


# --- groups and members ---------------------------------------------------------------------


@transaction.atomic
def group_create(
    *,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    zone=None,
    description: str = "",
    charter: str = "",
    themes_planned: str = "",
    themes=(),
    slug: str = "",
    shows_members: bool = True,
    shows_calendar: bool = True,
) -> ExchangeGroup:
    """Create an exchange group. Raises ValidationError (field keys). No side effects."""
    group = ExchangeGroup(
        name=name.strip(),
        slug=slug or slug_unique(model=ExchangeGroup, text=name, fallback="groupe"),
        zone=zone,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
        charter=charter,
        themes_planned=themes_planned,
        shows_members=shows_members,
        shows_calendar=shows_calendar,
    )
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The period ends before it starts.")})
    group.full_clean()
    group.save()
    if themes:
        group.themes.set(themes)
    return group


GROUP_FIELDS = (
    "name",
    "zone",
    "starts_on",
    "ends_on",
    "description",
    "themes_planned",
    "charter",
    "shows_members",
    "shows_calendar",
)


def group_update(*, group: ExchangeGroup, fields: dict) -> ExchangeGroup:
    """Change what the group is and what its public page shows. No side effects.

    Raises ValidationError (field keys): a period that ends before it starts, or that would
    leave one of its meetings outside it; nothing is saved then."""
    for name, value in fields.items():
        if name in GROUP_FIELDS:
            setattr(group, name, value.replace("\x00", "") if isinstance(value, str) else value)
    if group.starts_on and group.ends_on and group.ends_on < group.starts_on:
        raise ValidationError({"ends_on": _("The period ends before it starts.")})
    with transaction.atomic():
        outside = (
            GroupMeeting.objects.filter(group=group)
            .exclude(event__state=EventState.CANCELLED)
            .exclude(
                event__starts_at__gte=_aware(group.starts_on, dt.time(0, 0)),
                event__starts_at__lt=_aware(group.ends_on + dt.timedelta(days=1), dt.time(0, 0)),
            )
            .count()
        )
        if outside:
            raise ValidationError(
                {
                    "starts_on": _(
                        "%(count)s meetings would fall outside this period: move them first."
                    )
                    % {"count": outside}
                },
                code="outside_period",
            )
        group.full_clean()
        group.save()
    return group


def membership_add(
    *, group: ExchangeGroup, person, role: str = MemberRole.MEMBER, joined_on=None, notify=True
) -> GroupMembership:
    """Add a directory person to the group as a member or a facilitator.

    Side effects: a member is registered (confirmed) for the group's meetings still to come,
    with the events' confirmation e-mail and its .ics file when `notify`.
    Raises ValidationError: `person` when they are already in the group or have no e-mail
    (invitations and the contact list need one); nothing is saved then.
    """
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose member or facilitator.")})
    if not (person.email or "").strip():
        raise ValidationError(
            {
                "person": _("%(name)s has no e-mail in the directory: add one first.")
                % {"name": person}
            }
        )
    joined_on = joined_on or timezone.localdate()
    existing = GroupMembership.objects.filter(group=group, person=person).first()
    if existing is not None:
        raise ValidationError(
            {
                "person": _("%(name)s is already in the group (%(role)s).")
                % {"name": person, "role": existing.get_role_display()},
            },
            code="duplicate",
        )
    try:
        with transaction.atomic():
            membership = GroupMembership.objects.create(
                group=group, person=person, role=role, joined_on=joined_on
            )
            if role == MemberRole.MEMBER:
                upcoming = (
                    GroupMeeting.objects.filter(group=group, event__starts_at__gt=timezone.now())
                    .exclude(event__state=EventState.CANCELLED)
                    .select_related("event")
                )
                for meeting in upcoming:
                    registration_invite(event=meeting.event, person=person, notify=notify)
    except IntegrityError:
        raise ValidationError(
            {"person": _("%(name)s is already in the group.") % {"name": person}},
            code="duplicate",
        ) from None
    return membership


def membership_end(*, membership: GroupMembership, left_on=None) -> GroupMembership:
    """Record that someone left the group (kept in its history).

    Side effects: their registrations to the meetings after `left_on` are cancelled through
    the events module (`registration_cancel`, with its e-mail).
    """
    from terreau.events.models import Registration
    from terreau.events.services.registration import LIVE_STATUSES, registration_cancel

    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("A member cannot leave before joining.")})
    with transaction.atomic():
        membership.left_on = left_on
        membership.save(update_fields=["left_on"])
        after = _aware(left_on + dt.timedelta(days=1), dt.time(0, 0))
        registrations = Registration.objects.filter(
            event__group_meeting__group_id=membership.group_id,
            event__starts_at__gte=max(after, timezone.now()),
            person_id=membership.person_id,
            status__in=LIVE_STATUSES,
        ).select_related("event")
        for registration in registrations:
            registration_cancel(registration=registration)
    return membership


def charter_accept(*, membership: GroupMembership, accepted: bool) -> GroupMembership:
    """A member accepts the group's charter (the date is kept). No side effects.

    Raises ValidationError (`accepted`) when the box is not ticked: nothing is recorded.
    """
    if not accepted:
        raise ValidationError(
            {"accepted": _("Tick the box to accept the charter: the group's space opens then.")},
            code="charter_not_accepted",
        )
    if membership.charter_accepted_at is None:
        membership.charter_accepted_at = timezone.now()
        membership.save(update_fields=["charter_accepted_at"])
    return membership


# --- members from a call's selection -------------------------------------------------------


def call_period(call) -> tuple[dt.date | None, dt.date | None]:
    """A group's default year from its call: from the first meeting the call announces to the
    last day of the eleventh month after it (17 May 2013 → 30 April 2014)."""
    if not call.first_meeting_at:
        return None, None
    start = timezone.localtime(call.first_meeting_at).date()
    month = start.month + 12
    year, month = start.year + (month - 1) // 12, (month - 1) % 12 + 1
    return start, dt.date(year, month, 1) - dt.timedelta(days=1)


def _person_from_application(application):
    """The directory entry of a selected applicant who has none (not listed in the public
    directory), with their organisation when the application names one."""
    from terreau.directory.services import membership_create, person_create

    name = " ".join(application.applicant_name.split())
    first, _space, last = name.partition(" ")
    user = application.applicant
    if user is not None and getattr(user, "person", None) is not None:
        user = None  # the account already has its entry (with another e-mail)
    person = person_create(
        first_name=first[:150] or application.applicant_email,
        last_name=last[:150],
        email=application.applicant_email.strip().lower(),
        user=user,
    )
    if application.organisation_id:
        membership_create(person=person, organisation=application.organisation)
    return person


def members_from_call_selection(
    *,
    call,
    call_group=None,
    group: ExchangeGroup | None = None,
    group_fields: dict | None = None,
    joined_on: dt.date | None = None,
    by=None,
    notify: bool = True,
) -> tuple[ExchangeGroup, list[GroupMembership]]:
    """Fill a group with a call's selected applicants in one step: those of `call_group`
    (a group the call formed) or every selected applicant of `call`. Without `group`, the
    group is created from `group_fields` (name and zone default to the call group's, the
    period to the call's first meeting and the eleven months after it).

    Side effects: a directory entry for each applicant who has none (not listed in the
    public directory); each newcomer is registered for the meetings still to come and gets
    one welcome e-mail (the charter to accept, the space, the calendar as an .ics file),
    written to the outbox in this transaction (none with `notify=False`: the demo's groups of
    2013). People already in the group are left as they
    are. Raises ValidationError (the call group is another call's or already given to a
    group, no one to add, the new group's fields); nothing is saved then.
    """
    from .selectors import call_selection_candidates

    if call_group is not None and call_group.call_id != call.pk:
        raise ValidationError({"source": _("This group was not formed by this call.")})
    with transaction.atomic():
        if call_group is not None:
            handed = ExchangeGroup.objects.filter(call_group=call_group).exclude(
                pk=group.pk if group else None
            )
            handed = handed.first()
            if handed is not None:
                raise ValidationError(
                    {
                        "source": ValidationError(
                            _("This call group already became the group “%(group)s”.")
                            % {"group": handed.name},
                            code="already_handed",
                        )
                    }
                )
        rows = call_selection_candidates(call=call, call_group=call_group, group=group)
        newcomers = [row for row in rows if row.joins]
        if not newcomers:
            raise ValidationError(
                {
                    "source": ValidationError(
                        _("No one to add: no one is selected there yet.")
                        if not rows
                        else _("Everyone selected there is already in the group."),
                        code="nobody",
                    )
                }
            )
        if group is None:
            fields = dict(group_fields or {})
            start, end = call_period(call)
            fields["name"] = (fields.get("name") or "").strip() or (
                call_group.name if call_group else call.title
            )
            fields["zone"] = fields.get("zone") or (call_group.zone if call_group else None)
            fields["starts_on"] = fields.get("starts_on") or start
            fields["ends_on"] = fields.get("ends_on") or end
            if not fields["starts_on"] or not fields["ends_on"]:
                raise ValidationError(
                    {"starts_on": _("Give the group's period: the call names no first meeting.")}
                )
            group = group_create(**fields)
        changed = []
        if group.call_id is None:
            group.call = call
            changed.append("call")
        if call_group is not None and group.call_group_id is None:
            group.call_group = call_group
            changed.append("call_group")
        if changed:
            group.save(update_fields=changed)
        joined_on = joined_on or max(group.starts_on, timezone.localdate())
        added = []
        for row in newcomers:
            person = row.person or _person_from_application(row.application)
            added.append(
                membership_add(group=group, person=person, joined_on=joined_on, notify=False)
            )
        if notify:
            _send_welcome(group, added, call)
    return group, added


def _send_welcome(group: ExchangeGroup, memberships: list[GroupMembership], call) -> None:
    events = [
        meeting.event
        for meeting in GroupMeeting.objects.filter(group=group, event__starts_at__gt=timezone.now())
        .exclude(event__state=EventState.CANCELLED)
        .select_related("event__venue")
        .order_by("event__starts_at")
    ]
    with translation.override(settings.LANGUAGE_CODE):
        calendar = ics.agenda_calendar(events=events, name=group.name) if events else None
        subject = _("Welcome to the exchange group “%(group)s”") % {"group": group.name}
        lines = "\n".join(
            f"- {timezone.localtime(e.starts_at):%d/%m/%Y %H:%M}"
            + (f", {e.venue.name}" if e.venue else "")
            for e in events
        )
        for membership in memberships:
            body = _(
                "Hello %(name)s,\n\nYou were selected by the call “%(call)s”: you are now a "
                "member of the exchange group “%(group)s”, from %(start)s to %(end)s.\n\n"
                "First read and accept the group's charter (members commit to attend every "
                "meeting):\n%(charter)s\n\nYour group's space (calendar, minutes, members' "
                "contact list):\n%(space)s\n"
            ) % {
                "name": membership.person.first_name,
                "call": call.title,
                "group": group.name,
                "start": group.starts_on.strftime("%d/%m/%Y"),
                "end": group.ends_on.strftime("%d/%m/%Y"),
                "charter": _site_url(f"/groupes/{group.slug}/charte/"),
                "space": _site_url(f"/groupes/{group.slug}/espace/"),
            }
            if events:
                body += (
                    "\n"
                    + _(
                        "The meetings planned (the calendar file attached adds them to your diary):"
                    )
                    + "\n"
                    + lines
                    + "\n"
                )
            message = EmailMessage(subject=subject, body=body, to=[membership.person.email])
            if calendar:
                message.attach(f"{group.slug}.ics", calendar, "text/calendar")
            message.send()


# --- meetings --------------------------------------------------------------------------------


def _check_in_period(group: ExchangeGroup, date: dt.date, key: str = "date") -> None:
    if not (group.starts_on <= date <= group.ends_on):
        raise ValidationError(
            {
                key: _("The meeting must fall within the group's period (%(start)s – %(end)s).")
                % {
                    "start": group.starts_on.strftime("%d/%m/%Y"),
                    "end": group.ends_on.strftime("%d/%m/%Y"),
                }
            },
            code="outside_period",
        )


def _check_times(starts: dt.time, ends: dt.time) -> None:
    if ends <= starts:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})


def _renumber(group: ExchangeGroup) -> None:
    """Meetings are numbered in date order (a date moved may change the order)."""
    meetings = list(GroupMeeting.objects.filter(group=group).order_by("event__starts_at", "pk"))
    changed = []
    for number, meeting in enumerate(meetings, start=1):
        if meeting.number != number:
            meeting.number = number
            changed.append(meeting)
    GroupMeeting.objects.bulk_update(changed, ["number"])


def _meeting_title(group: ExchangeGroup, date: dt.date) -> str:
    return _("%(group)s — meeting of %(date)s") % {
        "group": group.name,
        "date": date.strftime("%d/%m/%Y"),
    }


def _current_members(group: ExchangeGroup, on: dt.date):
    return (
        GroupMembership.objects.filter(current_q(on=on), group=group, role=MemberRole.MEMBER)
        .filter(joined_on__lte=max(on, timezone.localdate()))
        .select_related("person")
    )


def _create_meeting(
    *, group, date, venue, starts_at, ends_at, themes_worked, notify: bool
) -> GroupMeeting:
    with translation.override(settings.LANGUAGE_CODE):
        title = _meeting_title(group, date)
        summary = _("A monthly meeting of the exchange group “%(group)s”.") % {"group": group.name}
    event = Event.objects.create(
        title=title,
        slug=slug_unique(model=Event, text=title, fallback="rencontre"),
        kind=EventKind.GROUP_MEETING,
        state=EventState.PUBLISHED,
        audience=Audience.GROUP_MEMBERS,
        summary=summary,
        venue=venue,
        starts_at=_aware(date, starts_at),
        ends_at=_aware(date, ends_at),
        has_certificate=True,
        has_waiting_list=False,
    )
    EventDay.objects.create(event=event, date=date, starts_at=starts_at, ends_at=ends_at)
    last = GroupMeeting.objects.filter(group=group).aggregate(n=Max("number"))["n"] or 0
    meeting = GroupMeeting.objects.create(
        group=group, event=event, number=last + 1, themes_worked=themes_worked
    )
    for membership in _current_members(group, date):
        registration_invite(event=event, person=membership.person, notify=notify)
    return meeting


def meeting_create(
    *,
    group: ExchangeGroup,
    date: dt.date,
    venue: Venue | None = None,
    starts_at: dt.time = DAY_STARTS,
    ends_at: dt.time = DAY_ENDS,
    themes_worked: str = "",
) -> GroupMeeting:
    """Add one meeting to the group's calendar: an event of kind "exchange-group meeting",
    audience "members of the group", one day, at `venue`.

    Side effects: each current member is registered (confirmed) and gets the events'
    confirmation e-mail with its .ics file. Raises ValidationError (`date` outside the
    group's period, `ends_at` before the start); nothing is saved then.
    """
    _check_in_period(group, date)
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        meeting = _create_meeting(
            group=group,
            date=date,
            venue=venue,
            starts_at=starts_at,
            ends_at=ends_at,
            themes_worked=themes_worked,
            notify=True,
        )
        _renumber(group)
    meeting.refresh_from_db(fields=["number"])
    return meeting


def meetings_plan_year(
    *,
    group: ExchangeGroup,
    first: dt.date,
    venues: list[Venue],
    first_venue: Venue | None = None,
    until: dt.date | None = None,
    starts_at: dt.time = DAY_STARTS,
    ends_at: dt.time = DAY_ENDS,
    notify: bool = True,
) -> list[GroupMeeting]:
    """Create the year's calendar in one step: a meeting a month from `first` to the end of
    the period (or `until`), moving from venue to venue (see `groups.calendar`).

    Side effects: each current member is registered for every meeting and gets one e-mail
    with the whole calendar as an .ics file (unless `notify` is False). Raises
    ValidationError when the first date is outside the period, when no venue is given, or
    when the group already has meetings (they are adjusted one by one then); nothing is
    saved then.
    """
    until = min(until or group.ends_on, group.ends_on)
    _check_in_period(group, first, "first")
    _check_times(starts_at, ends_at)
    if not venues and first_venue is None:
        raise ValidationError({"venues": _("Choose at least one venue.")})
    plan = year_calendar.plan_year(
        first=first,
        until=until,
        venues=[venue.pk for venue in venues],
        first_venue=first_venue.pk if first_venue else None,
        count=MAX_MEETINGS_PER_YEAR,
    )
    by_pk = {venue.pk: venue for venue in [*venues, *([first_venue] if first_venue else [])]}
    with transaction.atomic():
        if GroupMeeting.objects.select_for_update().filter(group=group).exists():
            raise ValidationError(
                _("The group's calendar already has meetings: adjust them one by one."),
                code="calendar_exists",
            )
        meetings = [
            _create_meeting(
                group=group,
                date=item.date,
                venue=by_pk.get(item.venue),
                starts_at=starts_at,
                ends_at=ends_at,
                themes_worked="",
                notify=False,
            )
            for item in plan
        ]
        if notify and meetings:
            _send_year_invitations(group, meetings)
    return meetings


def _send_year_invitations(group: ExchangeGroup, meetings: list[GroupMeeting]) -> None:
    events = [meeting.event for meeting in meetings]
    with translation.override(settings.LANGUAGE_CODE):
        calendar = ics.agenda_calendar(events=events, name=group.name)
        subject = _("The year's meetings of the group “%(group)s”") % {"group": group.name}
        lines = [
            f"- {timezone.localtime(e.starts_at):%d/%m/%Y %H:%M}"
            + (f", {e.venue.name}" if e.venue else "")
            for e in events
        ]
        space = _site_url(f"/groupes/{group.slug}/espace/")
        for membership in _current_members(group, meetings[0].event.starts_at.date()):
            body = _(
                "Hello %(name)s,\n\nHere are the meetings of the exchange group “%(group)s” "
                "(9:30–16:30 unless said otherwise):\n\n%(lines)s\n\nThe calendar file attached "
                "adds them to your diary. Your group's space:\n%(url)s\n"
            ) % {
                "name": membership.person.first_name,
                "group": group.name,
                "lines": "\n".join(lines),
                "url": space,
            }
            message = EmailMessage(subject=subject, body=body, to=[membership.person.email])
            message.attach(f"{group.slug}.ics", calendar, "text/calendar")
            message.send()


def meeting_update(
    *,
    meeting: GroupMeeting,
    date: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    venue: Venue | None,
    themes_worked: str = "",
) -> GroupMeeting:
    """Adjust one meeting (date, hours, venue, themes): its event and its day follow.

    Side effects: the meetings are renumbered in date order; when the date, the hours or the
    venue change, one e-mail to each person registered (the members) with the new date and
    place and the updated .ics file, written to the outbox in this transaction (changing only
    the themes sends nothing). Raises ValidationError (date outside the period, end before
    start, a cancelled meeting); nothing is saved then.
    """
    group = meeting.group
    _check_in_period(group, date)
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=meeting.event_id)
        if event.state == EventState.CANCELLED:
            raise ValidationError(
                _("This meeting is cancelled: add a new one instead."), code="cancelled"
            )
        before = (event.starts_at, event.ends_at, event.venue_id)
        previous_venue = event.venue
        event.starts_at = _aware(date, starts_at)
        event.ends_at = _aware(date, ends_at)
        event.venue = venue
        event.title = _meeting_title(group, date)
        event.save(update_fields=["starts_at", "ends_at", "venue", "title", "updated_at"])
        EventDay.objects.filter(event=event).update(date=date, starts_at=starts_at, ends_at=ends_at)
        meeting.themes_worked = themes_worked
        meeting.save(update_fields=["themes_worked"])
        meeting.event = event
        _renumber(group)
        if before != (event.starts_at, event.ends_at, event.venue_id):
            _send_meeting_notice(meeting, before=(before[0], previous_venue))
    meeting.refresh_from_db(fields=["number"])
    return meeting


def meeting_cancel(*, meeting: GroupMeeting, reason: str = "") -> GroupMeeting:
    """Cancel a meeting still to come: its event is cancelled (kept in the calendar, marked).

    Side effects: one e-mail to each person registered (the members), with `reason` and an
    .ics file that removes it from their diary, written to the outbox in this transaction;
    a second cancellation is refused, so it is sent once. Raises ValidationError (already
    cancelled, already started); nothing is saved then.
    """
    reason = reason.replace("\x00", "").strip()[:1000]
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=meeting.event_id)
        if event.state == EventState.CANCELLED:
            raise ValidationError(_("This meeting is already cancelled."), code="cancelled")
        if event.starts_at <= timezone.now():
            raise ValidationError(
                _("This meeting has started: it can no longer be cancelled."), code="started"
            )
        event.state = EventState.CANCELLED
        event.save(update_fields=["state", "updated_at"])
        meeting.event = event
        _send_meeting_notice(meeting, reason=reason)
    return meeting


def _send_meeting_notice(meeting: GroupMeeting, *, before=None, reason: str = "") -> None:
    """Tell the people registered for a meeting that it moved (`before`: its former start
    and venue) or that it is cancelled."""
    from terreau.events.services.registration import LIVE_STATUSES

    event = meeting.event
    group = meeting.group
    cancelled = event.state == EventState.CANCELLED
    people = list(
        event.registrations.filter(status__in=LIVE_STATUSES)
        .order_by("pk")
        .values_list("first_name", "email")
    )
    if not people:
        return
    with translation.override(settings.LANGUAGE_CODE):
        calendar = ics.agenda_calendar(events=[event], name=group.name)
        start = timezone.localtime(event.starts_at)
        place = event.venue.name if event.venue else _("place to be confirmed")
        if event.venue and event.venue.address:
            place += f", {event.venue.address}"
        values = {
            "group": group.name,
            "date": start.strftime("%d/%m/%Y"),
            "starts": start.strftime("%H:%M"),
            "ends": timezone.localtime(event.ends_at).strftime("%H:%M"),
            "place": place,
            "url": _site_url(meeting.get_absolute_url()),
        }
        if cancelled:
            subject = _("Cancelled: the meeting of %(date)s — %(group)s") % values
            text = (
                _("The meeting of %(date)s of the exchange group “%(group)s” is cancelled.")
                % values
            )
            if reason:
                text += "\n\n" + reason
        else:
            old_start, old_venue = before
            values |= {
                "old_date": timezone.localtime(old_start).strftime("%d/%m/%Y %H:%M"),
                "old_place": old_venue.name if old_venue else _("place to be confirmed"),
            }
            subject = _("Changed: the meeting of %(date)s — %(group)s") % values
            text = (
                _(
                    "The meeting of the exchange group “%(group)s” planned on %(old_date)s "
                    "(%(old_place)s) changes:\n\n%(date)s, %(starts)s–%(ends)s\n%(place)s"
                )
                % values
            )
        for first_name, email in people:
            body = (
                _("Hello %(name)s,") % {"name": first_name}
                + "\n\n"
                + text
                + "\n\n"
                + _("The calendar file attached updates your diary. The meeting:\n%(url)s") % values
                + "\n"
            )
            message = EmailMessage(subject=subject, body=body, to=[email])
            message.attach(f"{event.slug}.ics", calendar, "text/calendar")
            message.send()


def venue_for_organisation(*, organisation) -> Venue:
    """The events' venue at an organisation's address (created the first time)."""
    venue = Venue.objects.filter(name=organisation.name, address=organisation.address).first()
    if venue is None:
        venue = Venue.objects.create(
            name=organisation.name, address=organisation.address, commune=organisation.commune
        )
    return venue


# --- excuses, attendance and the absence alert ----------------------------------------------


def _check_membership_of_meeting(meeting: GroupMeeting, membership: GroupMembership) -> None:
    if membership.group_id != meeting.group_id:
        raise ValidationError(
            {
                "membership": _("%(name)s is not a member of this meeting's group.")
                % {"name": membership.person}
            },
            code="other_group",
        )


def _check_not_cancelled(meeting: GroupMeeting) -> None:
    if meeting.event.state == EventState.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."), code="cancelled")


def excuse_send(*, meeting: GroupMeeting, membership: GroupMembership, reason: str = "") -> Excuse:
    """A member excuses themselves before the meeting (sending again changes the reason).

    Side effects: an e-mail to the group's facilitators. Raises ValidationError when the
    meeting has started, when the member has not accepted the charter, or when the meeting
    is another group's; nothing is saved then.
    """
    _check_membership_of_meeting(meeting, membership)
    _check_not_cancelled(meeting)
    if membership.charter_accepted_at is None:
        raise ValidationError(_("Accept the group's charter first."), code="charter_not_accepted")
    if meeting.event.starts_at <= timezone.now():
        raise ValidationError(
            {"reason": _("The meeting has started: an excuse is sent before it.")},
            code="too_late",
        )
    reason = reason.replace("\x00", "").strip()[:500]
    with transaction.atomic():
        excuse, created = Excuse.objects.update_or_create(
            meeting=meeting, membership=membership, defaults={"reason": reason}
        )
        facilitators = [
            m.person.email
            for m in GroupMembership.objects.filter(
                current_q(), group_id=meeting.group_id, role=MemberRole.FACILITATOR
            ).select_related("person")
            if m.person.email
        ]
        if facilitators:
            with translation.override(settings.LANGUAGE_CODE):
                send_mail(
                    _("Excuse: %(name)s — %(meeting)s")
                    % {"name": membership.person, "meeting": meeting.event.title},
                    _("%(name)s will not come to the meeting of %(date)s.\n\n%(reason)s")
                    % {
                        "name": membership.person,
                        "date": timezone.localtime(meeting.event.starts_at).strftime("%d/%m/%Y"),
                        "reason": reason,
                    },
                    None,
                    facilitators,
                )
    return excuse


def _record(meeting, membership, status, source, by) -> MeetingAttendance:
    attendance, _created = MeetingAttendance.objects.update_or_create(
        meeting=meeting,
        membership=membership,
        defaults={"status": status, "source": source, "recorded_by": by},
    )
    return attendance


def attendance_set(
    *,
    meeting: GroupMeeting,
    membership: GroupMembership,
    status: str,
    by=None,
) -> MeetingAttendance:
    """Enter a member's attendance after the fact (present, excused or absent).

    Side effects: the absence alert (see `absence_alert_check`). Raises ValidationError for
    another group's member, an unknown status, or a meeting that has not started.
    """
    _check_membership_of_meeting(meeting, membership)
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Choose present, excused or absent.")})
    _check_not_cancelled(meeting)
    if meeting.event.starts_at > timezone.now():
        raise ValidationError(
            _("Attendance is recorded once the meeting has started."), code="not_started"
        )
    with transaction.atomic():
        attendance = _record(meeting, membership, status, AttendanceSource.MANUAL, by)
        absence_alert_check(membership=membership)
    return attendance


def attendance_from_checkin(*, meeting: GroupMeeting, by=None) -> dict[str, int]:
    """Take the meeting's attendance from the events' check-in: a member checked in is
    present, one who sent an excuse is excused, the others are absent. What was entered by
    hand is kept. Check-ins of people who are not members of this group (a member of
    another group, a guest) are not counted: `ignored` says how many.

    Side effects: the absence alert for each member now absent twice.
    """
    from .selectors import meeting_attendance_rows

    _check_not_cancelled(meeting)
    if meeting.event.starts_at > timezone.now():
        raise ValidationError(
            _("Attendance is recorded once the meeting has started."), code="not_started"
        )
    rows = meeting_attendance_rows(meeting=meeting)
    counts = {"present": 0, "excused": 0, "absent": 0, "kept": 0}
    with transaction.atomic():
        for row in rows:
            if row.source == AttendanceSource.MANUAL:
                counts["kept"] += 1
                continue
            if row.checked_in:
                status = AttendanceStatus.PRESENT
            elif row.excuse is not None:
                status = AttendanceStatus.EXCUSED
            else:
                status = AttendanceStatus.ABSENT
            _record(meeting, row.membership, status, AttendanceSource.CHECK_IN, by)
            counts[status] += 1
            if status == AttendanceStatus.ABSENT:
                absence_alert_check(membership=row.membership)
    member_people = {row.membership.person_id for row in rows}
    counts["ignored"] = (
        AttendanceRecord.objects.filter(registration__event_id=meeting.event_id)
        .exclude(registration__person_id__in=member_people)
        .values("registration")
        .distinct()
        .count()
    )
    return counts


def absence_alert_check(*, membership: GroupMembership) -> bool:
    """After a second unexcused absence, alert staff and the group's facilitators once (an
    e-mail each, and a mark on the group's pages). Returns whether an alert went out."""
    if membership.absence_alert_at is not None:
        return False
    absences = membership.attendances.filter(status=AttendanceStatus.ABSENT).count()
    if absences < ABSENCES_BEFORE_ALERT:
        return False
    updated = GroupMembership.objects.filter(
        pk=membership.pk, absence_alert_at__isnull=True
    ).update(absence_alert_at=timezone.now())
    if not updated:
        return False  # someone else's request sent it
    membership.refresh_from_db(fields=["absence_alert_at"])
    group = membership.group
    recipients = set(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .values_list("email", flat=True)
    )
    recipients |= {
        m.person.email
        for m in GroupMembership.objects.filter(
            current_q(), group=group, role=MemberRole.FACILITATOR
        ).select_related("person")
        if m.person.email
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Exchange group “%(group)s”: %(name)s missed two meetings") % {
            "group": group.name,
            "name": membership.person,
        }
        body = _(
            "%(name)s has been absent without excuse from %(count)s meetings of the group "
            "“%(group)s”. Members commit to attend every meeting: the facilitator may get in "
            "touch with them.\n\nThe group's space: %(url)s\n"
        ) % {
            "name": membership.person,
            "count": absences,
            "group": group.name,
            "url": _site_url(f"/groupes/{group.slug}/espace/"),
        }
    for email in sorted(recipients):
        send_mail(subject, body, None, [email])
    return True


# --- minutes ---------------------------------------------------------------------------------

MINUTES_FIELDS = ["body", "experiences", "themes_worked", "is_published", "is_public"]


def minutes_snapshot(minutes: Minutes) -> dict:
    return {
        "body": minutes.body,
        "experiences": sorted(i.title for i in minutes.initiatives.all()),
        "themes_worked": minutes.meeting.themes_worked,
        "is_published": minutes.is_published,
        "is_public": minutes.is_public,
    }


def _revise(minutes: Minutes, by) -> MinutesRevision | None:
    """Record the minutes as they are now, when they differ from the last revision."""
    data = minutes_snapshot(minutes)
    last = minutes.revisions.order_by("-number").first()
    if last is not None and last.data == data:
        return None
    return MinutesRevision.objects.create(
        minutes=minutes, number=(last.number + 1) if last else 1, author=by, data=data
    )


def _check_writer(meeting: GroupMeeting, by) -> None:
    if not _may(by, "groups.write_minutes", meeting.group):
        raise ValidationError(
            _("Only the group's facilitators (and staff) write its minutes."),
            code="not_facilitator",
        )


def _initiatives_for(titles: list[str], by, group):
    from terreau.observatory.models import Initiative, PublicationState
    from terreau.observatory.services.revisions import initiative_unique_slug

    found = []
    for title in titles:
        title = title.replace("\x00", "").strip()[:200]
        if not title:
            continue
        initiative = Initiative.objects.filter(title__iexact=title).first()
        if initiative is None:
            # A draft of the observatory: moderators complete and publish it later.
            with translation.override(settings.LANGUAGE_CODE):
                summary = _("Experience presented to the exchange group “%(group)s”.") % {
                    "group": group.name
                }
            initiative = Initiative.objects.create(
                title=title,
                slug=initiative_unique_slug(title),
                summary=summary[:280],
                state=PublicationState.DRAFT,
                created_by=by,
            )
        found.append(initiative)
    return found


def minutes_save(
    *,
    meeting: GroupMeeting,
    body: str,
    by,
    initiatives=(),
    new_experiences: list[str] = (),
    themes_worked: str | None = None,
) -> Minutes:
    """Write or change the minutes of a meeting: text, themes worked, experiences presented
    (observatory initiatives, created as drafts when missing).

    Side effects: a revision when anything changed. Raises ValidationError when `by` is not a
    facilitator of the group nor staff; nothing is saved then.
    """
    _check_writer(meeting, by)
    body = body.replace("\x00", "")
    with transaction.atomic():
        minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
        minutes.body = body
        minutes.updated_by = by
        minutes.full_clean()
        minutes.save()
        chosen = list(initiatives) + _initiatives_for(list(new_experiences), by, meeting.group)
        minutes.initiatives.set(chosen)
        if themes_worked is not None:
            meeting.themes_worked = themes_worked.replace("\x00", "")
            meeting.save(update_fields=["themes_worked"])
        _revise(minutes, by)
    return minutes


def minutes_publish(
    *, minutes: Minutes, by, is_public: bool = False, notify: bool = True
) -> Minutes:
    """Share the minutes with the group (and on its public page when `is_public`).

    Side effects: the first time they are shared, an e-mail to each current member and
    facilitator with the link (not with `notify=False`: the demo's minutes of 2013); a
    revision.
    """
    meeting = minutes.meeting
    _check_writer(meeting, by)
    if not minutes.body.strip():
        raise ValidationError({"body": _("Write the minutes before sharing them.")})
    with transaction.atomic():
        first_time = not minutes.is_published
        minutes.is_published = True
        minutes.is_public = is_public
        minutes.published_at = minutes.published_at or timezone.now()
        minutes.updated_by = by
        minutes.save()
        _revise(minutes, by)
        if first_time and notify:
            _send_minutes(minutes)
    return minutes


def minutes_unpublish(*, minutes: Minutes, by) -> Minutes:
    """Take the minutes back to a draft (members no longer see them). Side effect: a revision."""
    _check_writer(minutes.meeting, by)
    with transaction.atomic():
        minutes.is_published = False
        minutes.is_public = False
        minutes.updated_by = by
        minutes.save()
        _revise(minutes, by)
    return minutes


def _send_minutes(minutes: Minutes) -> None:
    meeting = minutes.meeting
    group = meeting.group
    url = _site_url(f"/groupes/{group.slug}/rencontres/{meeting.pk}/compte-rendu/")
    people = GroupMembership.objects.filter(current_q(), group=group).select_related("person")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Minutes of the meeting of %(date)s — %(group)s") % {
            "date": timezone.localtime(meeting.event.starts_at).strftime("%d/%m/%Y"),
            "group": group.name,
        }
        for membership in people:
            if not membership.person.email:
                continue
            body = _(
                "Hello %(name)s,\n\nThe minutes of the meeting of %(date)s are in the group's "
                "space:\n%(url)s\n"
            ) % {
                "name": membership.person.first_name,
                "date": timezone.localtime(meeting.event.starts_at).strftime("%d/%m/%Y"),
                "url": url,
            }
            send_mail(subject, body, None, [membership.person.email])


def minutes_attachment_add(*, minutes: Minutes, title: str, file, by) -> MinutesAttachment:
    """Attach a file to the minutes (checked by content and size, core.uploads). Raises
    ValidationError (`file`, `title`) when refused; nothing is stored then."""
    _check_writer(minutes.meeting, by)
    attachment = MinutesAttachment(
        minutes=minutes,
        title=title.replace("\x00", "").strip() or getattr(file, "name", "")[:255],
        file=file,
        size=getattr(file, "size", 0) or 0,
        uploaded_by=by,
    )
    attachment.full_clean()
    attachment.save()
    return attachment


def revision_changes(*, revision: MinutesRevision, previous: MinutesRevision | None):
    """What a revision changed from the one before (observatory's diffing)."""
    return diff_records(
        previous.data if previous else {},
        revision.data,
        MINUTES_FIELDS,
        text_fields={"body", "themes_worked"},
        list_fields={"experiences"},
    )


# --- productions -----------------------------------------------------------------------------


def production_save(
    *,
    group: ExchangeGroup,
    title: str,
    kind: str,
    summary: str,
    body: str = "",
    by=None,
    production: Production | None = None,
) -> Production:
    """Draft or change a production in the group's space. Raises ValidationError (field keys).
    A production already in the library is changed there too. No other side effect."""
    from terreau.library.services import resource_update

    production = production or Production(group=group, created_by=by)
    production.title = title.replace("\x00", "").strip()
    production.kind = kind
    production.summary = summary.replace("\x00", "").strip()
    production.body = body.replace("\x00", "")
    production.full_clean()
    with transaction.atomic():
        production.save()
        if production.resource_id:
            resource_update(
                resource=production.resource,
                title=production.title,
                summary=production.summary,
                body=production.body,
            )
    return production


def _group_as_author(group: ExchangeGroup):
    from terreau.directory.models import OrganisationKind
    from terreau.directory.services import organisation_create

    if group.organisation_id:
        return group.organisation
    organisation = organisation_create(
        name=group.name,
        kind=OrganisationKind.CITIZEN_COLLECTIVE,
        description=group.description,
    )
    group.organisation = organisation
    group.save(update_fields=["organisation"])
    return organisation


def production_publish(*, production: Production, by) -> Production:
    """Publish a production to the library as a resource signed by the group.

    Side effects: the group gets its entry in the directory the first time (the author the
    library names). Raises ValidationError when `by` may not publish for the group.
    """
    from terreau.library.models import ResourceKind, ResourceState
    from terreau.library.services import resource_create, resource_publish

    group = production.group
    if not _may(by, "groups.publish_production", group):
        raise ValidationError(
            _("Only the group's facilitators (and staff) publish its productions."),
            code="not_facilitator",
        )
    kinds = {
        ProductionKind.DOCUMENT: ResourceKind.PUBLICATION,
        ProductionKind.SYNTHESIS: ResourceKind.REPORT,
        ProductionKind.FORUM_CONTRIBUTION: ResourceKind.PUBLICATION,
    }
    with transaction.atomic():
        if production.resource_id:
            resource_publish(resource=production.resource)
            return production
        author = _group_as_author(group)
        resource = resource_create(
            title=production.title,
            kind=kinds.get(production.kind, ResourceKind.PUBLICATION),
            summary=production.summary,
            body=production.body,
            state=ResourceState.PUBLISHED,
            published_on=timezone.localdate(),
            organisations=[author],
            themes=list(group.themes.all()),
        )
        production.resource = resource
        production.save(update_fields=["resource", "updated_at"])
    return production


# --- citizens' meetings ----------------------------------------------------------------------


def citizens_meeting_create(
    *,
    group: ExchangeGroup,
    title: str,
    date: dt.date,
    venue: Venue | None = None,
    starts_at: dt.time = dt.time(18, 30),
    ends_at: dt.time = dt.time(21, 0),
    summary: str = "",
    description: str = "",
) -> CitizensMeeting:
    """A public citizens' meeting of the group: an open event of the events module, published
    in the agenda, with its registration. Raises ValidationError (date outside the period,
    end before start). No other side effect."""
    _check_in_period(group, date)
    _check_times(starts_at, ends_at)
    title = title.replace("\x00", "").strip()
    if not title:
        raise ValidationError({"title": _("Give the meeting a title.")})
    with transaction.atomic():
        event = Event(
            title=title[:255],
            slug=slug_unique(model=Event, text=title, fallback="rencontre-citoyenne"),
            kind=EventKind.CITIZENS_MEETING,
            state=EventState.PUBLISHED,
            audience=Audience.OPEN,
            summary=summary[:300],
            description=description,
            venue=venue,
            starts_at=_aware(date, starts_at),
            ends_at=_aware(date, ends_at),
        )
        event.full_clean()
        event.save()
        EventDay.objects.create(event=event, date=date, starts_at=starts_at, ends_at=ends_at)
        return CitizensMeeting.objects.create(group=group, event=event)
