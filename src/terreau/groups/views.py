"""Pages of the exchange groups: the public list and page, the private space, meetings,
attendance, minutes, productions and the staff overview. Views parse, check permissions
(rules) and call one service or selector."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terreau.core import uploads
from terreau.core.csv import csv_response
from terreau.core.forms import apply_service_errors
from terreau.core.markdown import render_markdown
from terreau.directory.selectors import person_for_email
from terreau.events.models import EventState

from . import selectors, services
from .forms import (
    AttachmentForm,
    AttendanceForm,
    CalendarForm,
    CallSelectionForm,
    CharterForm,
    CitizensMeetingForm,
    ExcuseForm,
    GroupForm,
    MeetingCancelForm,
    MeetingForm,
    MemberAddForm,
    MinutesForm,
    ProductionForm,
    PublishForm,
)
from .models import GroupMembership


def _deny(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def group_view(perm: str, *, needs_charter: bool = False):
    """Load the group named in the URL and check `perm` on it. With `needs_charter`, a member
    who has not accepted the charter is sent to it first."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, slug, *args, **kwargs):
            group = selectors.group_by_slug(slug=slug)
            if group is None:
                raise Http404
            if not request.user.has_perm(perm, group):
                return _deny(request)
            membership = selectors.membership_of(user=request.user, group=group)
            if perm in MEMBER_ONLY and membership is None:
                # A superuser holds every permission, but only a member excuses themselves
                # or accepts the charter.
                raise PermissionDenied
            if (
                needs_charter
                and membership is not None
                and not membership.is_facilitator
                and membership.charter_accepted_at is None
            ):
                messages.info(request, _("Accept the group's charter to enter its space."))
                return redirect("groups:charter", slug=group.slug)
            request.group_membership = membership
            return view(request, group, *args, **kwargs)

        return wrapped

    return decorator


def _data(request):
    """The form's data on a POST, even an empty one (an unticked box sends nothing)."""
    return request.POST if request.method == "POST" else None


def _meeting(group, pk):
    meeting = selectors.meeting_for_group(group=group, pk=pk)
    if meeting is None:
        raise Http404
    return meeting


#: Actions of one's own membership: no membership, no action (whatever the permissions).
MEMBER_ONLY = {"groups.send_excuse", "groups.accept_charter"}


def _perms(request, group) -> dict:
    user = request.user
    member = selectors.membership_of(user=user, group=group) is not None
    return {
        name: user.has_perm(f"groups.{name}", group)
        and (member or f"groups.{name}" not in MEMBER_ONLY)
        for name in (
            "view_space",
            "change_group",
            "manage_members",
            "plan_meetings",
            "record_attendance",
            "write_minutes",
            "send_excuse",
            "draft_production",
            "publish_production",
        )
    }


# --- public ----------------------------------------------------------------------------------


@require_GET
def group_list(request):
    return render(
        request,
        "groups/group_list.html",
        {
            "groups": list(selectors.group_list()),
            "can_overview": request.user.has_perm("groups.view_overview"),
            "can_add": request.user.has_perm("groups.add_group"),
        },
    )


@require_GET
@group_view("groups.view_group")
def group_detail(request, group):
    """The public page: what the group is, and what it chose to publish."""
    return render(
        request,
        "groups/group_detail.html",
        {"page": selectors.group_public_page(group=group), "group": group}
        | {"perms_group": _perms(request, group)},
    )


@require_http_methods(["GET", "POST"])
def group_add(request):
    if not request.user.has_perm("groups.add_group"):
        return _deny(request)
    form = GroupForm(_data(request))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in services.GROUP_FIELDS}
        try:
            group = services.group_create(**data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Group created."))
            return redirect("groups:space", slug=group.slug)
    return render(
        request,
        "groups/group_form.html",
        {"group": None, "form": form, "heading": _("Create a group")},
    )


@require_http_methods(["GET", "POST"])
@group_view("groups.change_group")
def group_edit(request, group):
    form = GroupForm(_data(request), instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(
                group=selectors.group_by_slug(slug=group.slug), fields=form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Group changed."))
            return redirect("groups:space", slug=group.slug)
    return render(
        request,
        "groups/group_form.html",
        {"group": group, "form": form, "heading": _("What the group is and shows")},
    )


# --- the private space -----------------------------------------------------------------------


@require_GET
@group_view("groups.view_space", needs_charter=True)
def group_space(request, group):
    space = selectors.group_space(group=group, user=request.user)
    return render(
        request,
        "groups/group_space.html",
        {"group": group, "space": space, "perms_group": _perms(request, group)},
    )


@require_http_methods(["GET", "POST"])
@group_view("groups.accept_charter")
def charter(request, group):
    membership = request.group_membership
    form = CharterForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.charter_accept(membership=membership, accepted=form.cleaned_data["accepted"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            selectors.forget_memberships(request.user)
            messages.success(request, _("Welcome to the group's space."))
            return redirect("groups:space", slug=group.slug)
    return render(
        request,
        "groups/charter.html",
        {"group": group, "membership": membership, "form": form},
    )


@require_http_methods(["GET", "POST"])
@group_view("groups.manage_members")
def member_add(request, group):
    form = MemberAddForm(_data(request))
    if request.method == "POST" and form.is_valid():
        person = person_for_email(form.cleaned_data["email"])
        if person is None:
            form.add_error("email", _("No one in the directory has this e-mail."))
        else:
            try:
                services.membership_add(
                    group=group,
                    person=person,
                    role=form.cleaned_data["role"],
                    joined_on=form.cleaned_data["joined_on"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "person" in error.error_dict:
                    form.add_error("email", error.error_dict["person"])
                else:
                    apply_service_errors(form, error)
            else:
                messages.success(request, _("%(name)s joined the group.") % {"name": person})
                return redirect("groups:space", slug=group.slug)
    return render(
        request,
        "groups/member_add.html",
        {"group": group, "form": form, "heading": _("Add a member")},
    )


@require_POST
@group_view("groups.manage_members")
def member_end(request, group, pk):
    membership = GroupMembership.objects.filter(group=group, pk=pk).select_related("person")
    membership = membership.first()
    if membership is None:
        raise Http404
    try:
        services.membership_end(membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s left the group.") % {"name": membership.person})
    return redirect("groups:space", slug=group.slug)


def _from_call(request, group=None):
    """Members from a call's selection, in one step with a preview: the first submission
    shows who joins (and who is already in), the second ("confirm") creates or fills."""
    form = CallSelectionForm(
        _data(request), sources=selectors.call_selection_sources(), for_group=group
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        call, call_group = selectors.call_selection_source(form.cleaned_data["source"])
        if call is None:
            form.add_error("source", _("Choose a call or one of its groups."))
        elif "confirm" in request.POST:
            try:
                group, added = services.members_from_call_selection(
                    call=call,
                    call_group=call_group,
                    group=group,
                    group_fields=form.group_fields(),
                    joined_on=form.cleaned_data["joined_on"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(count)s members joined the group; each got a welcome e-mail.")
                    % {"count": len(added)},
                )
                return redirect("groups:space", slug=group.slug)
        if call is not None and not form.errors:
            start, end = services.call_period(call)
            rows = selectors.call_selection_candidates(
                call=call, call_group=call_group, group=group
            )
            data = form.cleaned_data
            preview = {
                "rows": rows,
                "joining": sum(1 for row in rows if row.joins),
                "name": data.get("name") or (call_group.name if call_group else call.title),
                "zone": data.get("zone") or (call_group.zone if call_group else None),
                "starts_on": data.get("starts_on") or start,
                "ends_on": data.get("ends_on") or end,
            }
            preview["ready"] = preview["joining"] and (
                group is not None or (preview["starts_on"] and preview["ends_on"])
            )
    return render(
        request,
        "groups/from_call.html",
        {
            "group": group,
            "form": form,
            "preview": preview,
            "heading": _("Members from a call's selection")
            if group
            else _("Create a group from a call's selection"),
        },
    )


@require_http_methods(["GET", "POST"])
def group_from_call(request):
    if not request.user.has_perm("groups.add_group"):
        return _deny(request)
    return _from_call(request)


@require_http_methods(["GET", "POST"])
@group_view("groups.manage_members")
def members_from_call(request, group):
    return _from_call(request, group)


# --- meetings --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@group_view("groups.plan_meetings")
def calendar_plan(request, group):
    """The year's calendar in one step: monthly, moving from venue to venue."""
    organisations, venues = selectors.venue_candidates(group=group)
    form = CalendarForm(
        _data(request),
        organisations=organisations,
        venues=venues,
        initial={"first": group.starts_on},
    )
    has_meetings = group.meetings.exists()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [
            services.venue_for_organisation(organisation=o) for o in data["organisations"]
        ] + list(data["venues"])
        try:
            meetings = services.meetings_plan_year(
                group=group,
                first=data["first"],
                until=data["until"],
                venues=chosen,
                first_venue=data["first_venue"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(count)s meetings planned.") % {"count": len(meetings)})
            return redirect("groups:space", slug=group.slug)
    return render(
        request,
        "groups/calendar_form.html",
        {
            "group": group,
            "form": form,
            "has_meetings": has_meetings,
            "heading": _("Create the year's calendar"),
        },
    )


@require_http_methods(["GET", "POST"])
@group_view("groups.plan_meetings")
def meeting_add(request, group):
    form = MeetingForm(_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                group=group,
                date=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                venue=data["venue"],
                themes_worked=data["themes_worked"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Meeting added."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "groups/meeting_form.html",
        {"group": group, "form": form, "heading": _("Add a meeting")},
    )


@require_http_methods(["GET", "POST"])
@group_view("groups.plan_meetings")
def meeting_edit(request, group, pk):
    meeting = _meeting(group, pk)
    event = meeting.event
    start = timezone.localtime(event.starts_at)
    initial = {
        "date": start.date(),
        "starts_at": start.time(),
        "ends_at": timezone.localtime(event.ends_at).time(),
        "venue": event.venue,
        "themes_worked": meeting.themes_worked,
    }
    form = MeetingForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_update(
                meeting=meeting,
                date=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                venue=data["venue"],
                themes_worked=data["themes_worked"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Meeting changed."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "groups/meeting_form.html",
        {"group": group, "form": form, "meeting": meeting, "heading": _("Adjust the meeting")},
    )


@require_POST
@group_view("groups.plan_meetings")
def meeting_cancel(request, group, pk):
    meeting = _meeting(group, pk)
    form = MeetingCancelForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Meeting cancelled: the members are told by e-mail."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(meeting.get_absolute_url())


@require_GET
@group_view("groups.view_space", needs_charter=True)
def meeting_detail(request, group, pk):
    meeting = _meeting(group, pk)
    membership = request.group_membership
    perms_group = _perms(request, group)
    rows = (
        selectors.meeting_attendance_rows(meeting=meeting)
        if perms_group["record_attendance"]
        else []
    )
    excuse = None
    if membership is not None:
        excuse = meeting.excuses.filter(membership=membership).first()
    return render(
        request,
        "groups/meeting_detail.html",
        {
            "group": group,
            "meeting": meeting,
            "event": meeting.event,
            "minutes": selectors.minutes_for_meeting(meeting=meeting),
            "excuse": excuse,
            "excuse_form": ExcuseForm(initial={"reason": excuse.reason if excuse else ""}),
            "attendance_form": AttendanceForm(rows=rows) if rows else None,
            "has_started": meeting.event.starts_at <= timezone.now(),
            "is_cancelled": meeting.event.state == EventState.CANCELLED,
            "cancel_form": MeetingCancelForm(),
            "perms_group": perms_group,
        },
    )


@require_POST
@group_view("groups.send_excuse")
def excuse(request, group, pk):
    meeting = _meeting(group, pk)
    form = ExcuseForm(request.POST)
    if form.is_valid():
        try:
            services.excuse_send(
                meeting=meeting,
                membership=request.group_membership,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your excuse was sent to the facilitators."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(meeting.get_absolute_url())


@require_POST
@group_view("groups.record_attendance")
def attendance(request, group, pk):
    """Attendance from the events' check-in, or entered by hand after the meeting."""
    meeting = _meeting(group, pk)
    try:
        if request.POST.get("action") == "from_checkin":
            counts = services.attendance_from_checkin(meeting=meeting, by=request.user)
            messages.success(
                request,
                _(
                    "Attendance taken from the check-in: %(present)s present, %(excused)s "
                    "excused, %(absent)s absent (%(kept)s entered by hand kept)."
                )
                % counts,
            )
        else:
            rows = selectors.meeting_attendance_rows(meeting=meeting)
            form = AttendanceForm(request.POST, rows=rows)
            if not form.is_valid():
                raise ValidationError(_("Choose present, excused or absent."))
            with_status = [
                (row, form.cleaned_data[f"m{row.membership.pk}"])
                for row in rows
                if form.cleaned_data[f"m{row.membership.pk}"]
            ]
            for row, status in with_status:
                if status != row.status:
                    services.attendance_set(
                        meeting=meeting, membership=row.membership, status=status, by=request.user
                    )
            messages.success(request, _("Attendance saved."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(meeting.get_absolute_url() + "#attendance")


# --- minutes ---------------------------------------------------------------------------------


def _minutes_visible(request, group, minutes) -> bool:
    if minutes is None:
        return False
    if request.user.has_perm("groups.write_minutes", group):
        return True
    if minutes.is_public and minutes.is_published:
        return True
    return minutes.is_published and request.user.has_perm("groups.view_space", group)


@require_GET
@group_view("groups.view_group")
def minutes_detail(request, group, pk):
    """The minutes: the group reads them once shared, everyone once the group publishes them."""
    meeting = _meeting(group, pk)
    minutes = selectors.minutes_for_meeting(meeting=meeting)
    if not _minutes_visible(request, group, minutes):
        if minutes is None or request.user.has_perm("groups.view_space", group):
            raise Http404  # not written yet, or not shared with the group yet
        return _deny(request)
    membership = selectors.membership_of(user=request.user, group=group)
    if (
        membership is not None
        and not membership.is_facilitator
        and membership.charter_accepted_at is None
        and not minutes.is_public
    ):
        return redirect("groups:charter", slug=group.slug)
    return render(
        request,
        "groups/minutes_detail.html",
        {
            "group": group,
            "meeting": meeting,
            "minutes": minutes,
            "publish_form": PublishForm(initial={"is_public": minutes.is_public}),
            "attachment_form": AttachmentForm(),
            "perms_group": _perms(request, group),
        },
    )


@require_http_methods(["GET", "POST"])
@group_view("groups.write_minutes")
def minutes_edit(request, group, pk):
    """Write the minutes, with a preview of the Markdown before saving."""
    meeting = _meeting(group, pk)
    minutes = selectors.minutes_for_meeting(meeting=meeting)
    initial = {"themes_worked": meeting.themes_worked}
    if minutes is not None:
        initial |= {
            "body": minutes.body,
            "experiences": "\n".join(i.title for i in minutes.initiatives.all()),
        }
    form = MinutesForm(_data(request), initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        else:
            try:
                services.minutes_save(
                    meeting=meeting,
                    body=form.cleaned_data["body"],
                    themes_worked=form.cleaned_data["themes_worked"],
                    new_experiences=form.experience_titles(),
                    by=request.user,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Minutes saved."))
                return redirect("groups:minutes", slug=group.slug, pk=meeting.pk)
    return render(
        request,
        "groups/minutes_form.html",
        {"group": group, "meeting": meeting, "form": form, "preview": preview},
    )


@require_POST
@group_view("groups.write_minutes")
def minutes_publish(request, group, pk):
    meeting = _meeting(group, pk)
    minutes = selectors.minutes_for_meeting(meeting=meeting)
    if minutes is None:
        raise Http404
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        if request.POST.get("action") == "unpublish":
            services.minutes_unpublish(minutes=minutes, by=request.user)
            messages.success(request, _("The minutes are a draft again."))
        else:
            services.minutes_publish(
                minutes=minutes,
                by=request.user,
                is_public=form.cleaned_data.get("is_public", False),
            )
            messages.success(request, _("The minutes are shared with the group."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("groups:minutes", slug=group.slug, pk=meeting.pk)


@require_POST
@group_view("groups.write_minutes")
def minutes_attachment(request, group, pk):
    meeting = _meeting(group, pk)
    minutes = selectors.minutes_for_meeting(meeting=meeting)
    if minutes is None:
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.minutes_attachment_add(
                minutes=minutes,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("File attached."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("groups:minutes", slug=group.slug, pk=meeting.pk)


@require_GET
@group_view("groups.view_group")
def minutes_attachment_download(request, group, pk):
    """A file of the minutes, for those who may read the minutes (files are private to the
    group unless the group published its minutes)."""
    attachment = selectors.attachment_for_group(group=group, pk=pk)
    if attachment is None:
        raise Http404
    if not _minutes_visible(request, group, attachment.minutes):
        if request.user.has_perm("groups.view_space", group):
            raise Http404
        return _deny(request)
    return uploads.protected_file_response(attachment.file, as_attachment=True)


@require_GET
@group_view("groups.write_minutes")
def minutes_revisions(request, group, pk):
    meeting = _meeting(group, pk)
    minutes = selectors.minutes_for_meeting(meeting=meeting)
    if minutes is None:
        raise Http404
    revisions = selectors.minutes_revisions(minutes=minutes)
    history = [
        (
            revision,
            services.revision_changes(
                revision=revision,
                previous=revisions[index + 1] if index + 1 < len(revisions) else None,
            ),
        )
        for index, revision in enumerate(revisions)
    ]
    return render(
        request,
        "groups/minutes_revisions.html",
        {"group": group, "meeting": meeting, "minutes": minutes, "history": history},
    )


# --- productions -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@group_view("groups.draft_production", needs_charter=True)
def production_edit(request, group, pk=None):
    production = None
    if pk is not None:
        production = selectors.production_for_group(group=group, pk=pk)
        if production is None:
            raise Http404
    form = ProductionForm(_data(request), instance=production)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            production = services.production_save(
                group=group,
                production=production,
                by=request.user,
                title=data["title"],
                kind=data["kind"],
                summary=data["summary"],
                body=data["body"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Production saved."))
            return redirect("groups:production_edit", slug=group.slug, pk=production.pk)
    return render(
        request,
        "groups/production_form.html",
        {
            "group": group,
            "form": form,
            "production": production,
            "perms_group": _perms(request, group),
            "heading": production.title if production else _("Draft a production"),
        },
    )


@require_POST
@group_view("groups.publish_production")
def production_publish(request, group, pk):
    production = selectors.production_for_group(group=group, pk=pk)
    if production is None:
        raise Http404
    try:
        services.production_publish(production=production, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Published in the library."))
    return redirect("groups:production_edit", slug=group.slug, pk=production.pk)


# --- citizens' meetings ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@group_view("groups.plan_meetings")
def citizens_meeting_add(request, group):
    form = CitizensMeetingForm(_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.citizens_meeting_create(group=group, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Citizens' meeting added to the agenda."))
            return redirect(meeting.event.get_absolute_url())
    return render(
        request,
        "groups/citizens_meeting_form.html",
        {"group": group, "form": form, "heading": _("Add a citizens' meeting")},
    )


# --- staff overview ----------------------------------------------------------------------------


def _overview_allowed(request):
    if not request.user.has_perm("groups.view_overview"):
        return _deny(request)
    return None


@require_GET
def overview(request):
    denied = _overview_allowed(request)
    if denied:
        return denied
    return render(request, "groups/overview.html", {"groups": selectors.groups_overview()})


@require_GET
def overview_csv(request):
    denied = _overview_allowed(request)
    if denied:
        return denied
    header = [
        _("Group"),
        _("Zone"),
        _("Period start"),
        _("Period end"),
        _("Members"),
        _("Meetings held"),
        _("Meetings planned"),
        _("Attendance rate (%)"),
        _("Minutes missing"),
        _("Absence alerts"),
    ]
    rows = (
        [
            g["name"],
            g["zone"],
            g["starts_on"].isoformat(),
            g["ends_on"].isoformat(),
            g["member_count"],
            g["held"],
            g["planned"],
            "" if g["rate"] is None else g["rate"],
            g["minutes_missing"],
            g["alerts"],
        ]
        for g in selectors.groups_overview()
    )
    return csv_response("groupes-echanges.csv", header, rows)
