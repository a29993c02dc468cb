"""Views of the day of the event and after: check-in, walk-ins, badges and sign-in sheets,
attendance, certificates, report-backs and the event's archive."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terreau.core import uploads
from terreau.core.forms import apply_service_errors
from terreau.core.pagecache import personal_page
from terreau.core.throttle import throttled
from terreau.events.documents import onsite as documents
from terreau.events.documents.pdf import pdf_response
from terreau.events.forms.onsite import EventFileForm, WalkInForm, WorkshopReportForm
from terreau.events.models import Event, EventDocument, EventFile, Session
from terreau.events.selectors import onsite as selectors
from terreau.events.selectors.registration import (
    registration_from_checkin_code,
    registration_from_signed_token,
)
from terreau.events.services import onsite as services

from .common import event_or_404


def event_permission(perm: str):
    """Load the event named in the URL and check `perm` on it: anonymous visitors go to the
    log-in page, signed-in people without the permission get a 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, slug, *args, **kwargs):
            event = get_object_or_404(Event.objects.select_related("venue__commune"), slug=slug)
            if not request.user.has_perm(perm, event):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, event, *args, **kwargs)

        return wrapped

    return decorator


def _half_day_from(request, event, data=None):
    data = data if data is not None else request.GET
    half_days = selectors.event_half_days(event=event)
    if not half_days:
        raise Http404(_("This event has no days yet."))
    chosen = None
    if data.get("half_day") and "-" in data.get("half_day"):
        day, _sep, half = data["half_day"].partition("-")
        data = {"day": day, "half": half}
    if data.get("day") and data.get("half"):
        chosen = next(
            (
                item
                for item in half_days
                if str(item.day.pk) == data.get("day") and item.half == data.get("half")
            ),
            None,
        )
    return chosen or selectors.event_current_half_day(event=event, half_days=half_days), half_days


def _checkin_url(event, half_day, query: str = "") -> str:
    params = {"day": half_day.day.pk, "half": half_day.half}
    if query:
        params["q"] = query
    return f"{reverse('events:checkin', kwargs={'slug': event.slug})}?{urlencode(params)}"


# --- the day of the event ------------------------------------------------------------------


@require_GET
@event_permission("events.check_in_registrants")
def onsite_dashboard(request, event):
    """Staff's page for the day and after: printed documents, check-in, attendance, outputs."""
    context = {
        "event": event,
        "day_groups": selectors.event_half_days_by_day(event=event),
        "workshops": list(selectors.event_workshops(event=event)),
        "has_started": selectors.event_has_started(event=event),
        "recipients": selectors.event_certificate_recipients(event=event).count(),
        "outputs": selectors.event_outputs(event=event),
        "file_form": EventFileForm(),
    }
    return render(request, "events/onsite/dashboard.html", context)


@require_GET
@event_permission("events.check_in_registrants")
def checkin(request, event):
    """The check-in page for a phone: search as you type, one tap to mark present."""
    half_day, half_days = _half_day_from(request, event)
    # PostgreSQL text cannot hold NUL characters: drop them rather than fail.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    rows, total = selectors.checkin_list(
        event=event, day=half_day.day, half=half_day.half, query=query
    )
    context = {
        "event": event,
        "half_day": half_day,
        "half_days": half_days,
        "query": query,
        "rows": rows,
        "total": total,
        "shown": len(rows),
        "counts": selectors.checkin_counts(event=event, day=half_day.day, half=half_day.half),
    }
    if request.htmx:
        return render(request, "events/onsite/checkin_results.html", context | {"oob": True})
    return render(request, "events/onsite/checkin.html", context)


@require_GET
@event_permission("events.check_in_registrants")
def checkin_counts(request, event):
    """The present / expected counter, refreshed now and then by every staff phone."""
    half_day, _half_days = _half_day_from(request, event)
    counts = selectors.checkin_counts(event=event, day=half_day.day, half=half_day.half)
    return render(
        request,
        "events/onsite/checkin_counts.html",
        {"event": event, "half_day": half_day, "counts": counts},
    )


@require_POST
@event_permission("events.check_in_registrants")
def checkin_toggle(request, event, pk):
    """One tap: mark a registrant present for the half-day, or take it back."""
    registration = get_object_or_404(event.registrations, pk=pk)
    half_day, _half_days = _half_day_from(request, event, request.POST)
    action = request.POST.get("action")
    try:
        if action == "present":
            services.attendance_check_in(
                registration=registration, day=half_day.day, half=half_day.half, by=request.user
            )
        elif action == "undo":
            services.attendance_undo(
                registration=registration, day=half_day.day, half=half_day.half, by=request.user
            )
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        if request.htmx:
            row = selectors.checkin_row(
                registration=registration, day=half_day.day, half=half_day.half
            )
            return render(
                request,
                "events/onsite/checkin_row.html",
                {
                    "event": event,
                    "half_day": half_day,
                    "registration": row,
                    "query": request.POST.get("q", ""),
                    "error": " ".join(error.messages),
                },
            )
        messages.error(request, " ".join(error.messages))
        return redirect(_checkin_url(event, half_day, request.POST.get("q", "")))
    if not request.htmx:
        return redirect(_checkin_url(event, half_day, request.POST.get("q", "")))
    context = {
        "event": event,
        "half_day": half_day,
        "registration": selectors.checkin_row(
            registration=registration, day=half_day.day, half=half_day.half
        ),
        "counts": selectors.checkin_counts(event=event, day=half_day.day, half=half_day.half),
        # The row's form keeps the search, so that its no-script fallback returns to it.
        "query": request.POST.get("q", ""),
        "oob": True,
    }
    return render(request, "events/onsite/checkin_toggled.html", context)


@require_POST
@event_permission("events.check_in_registrants")
def checkin_scan(request, event):
    """A scanned code (the phone's camera, or a handheld scanner that types it): its holder is
    checked in through the same service as a tap on their row."""
    half_day, _half_days = _half_day_from(request, event, request.POST)
    registration = registration_from_checkin_code(event, request.POST.get("code", ""))
    ok = False
    if registration is None:
        text = _("This code is not a registration of this event.")
    else:
        try:
            services.attendance_check_in(
                registration=registration, day=half_day.day, half=half_day.half, by=request.user
            )
        except ValidationError as error:
            text = f"{registration.full_name}: {' '.join(error.messages)}"
        else:
            ok = True
            text = _("%(name)s is checked in.") % {"name": registration.full_name}
    if not request.htmx:
        (messages.success if ok else messages.error)(request, text)
        return redirect(_checkin_url(event, half_day))
    context = {
        "event": event,
        "half_day": half_day,
        "scan": {"ok": ok, "text": text},
        "counts": selectors.checkin_counts(event=event, day=half_day.day, half=half_day.half),
        "oob": True,
    }
    return render(request, "events/onsite/checkin_scanned.html", context)


@require_http_methods(["GET", "POST"])
@event_permission("events.register_walk_ins")
def walk_in(request, event):
    """On-site registration of someone who turns up: confirmed and checked in at once."""
    half_day, half_days = _half_day_from(request, event, request.POST or request.GET)
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create_walk_in(
                event=event,
                day=half_day.day,
                half=half_day.half,
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered and marked present.") % {"name": registration.full_name},
            )
            return redirect(_checkin_url(event, half_day, registration.last_name))
    context = {
        "event": event,
        "half_day": half_day,
        "form": form,
        "counts": selectors.checkin_counts(event=event, day=half_day.day, half=half_day.half),
    }
    return render(
        request, "events/onsite/walk_in.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@event_permission("events.print_badges")
def badges_pdf(request, event):
    """The badges: drawn at once for a small event; for a large one, a page to prepare them in
    the background (GET) and the request to do so (POST)."""
    return _printed_document(
        request,
        event,
        kind=EventDocument.Kind.BADGES,
        draw=lambda: documents.badges_render(event=event),
        filename=documents.badges_filename(event=event),
    )


@require_http_methods(["GET", "POST"])
@event_permission("events.print_sign_in_sheets")
def sign_in_sheet_pdf(request, event, day, half=None):
    """The sign-in sheet of a day (a signature column per half-day) or of one half-day."""
    half_days = selectors.event_sign_in_sheet_half_days(event=event, day=day, half=half)
    if not half_days:
        raise Http404(_("No such day or half-day in this event."))
    return _printed_document(
        request,
        event,
        kind=EventDocument.Kind.SIGN_IN_SHEET,
        day=half_days[0].day,
        half=half or "",
        draw=lambda: documents.sign_in_sheet_render(event=event, half_days=half_days, half=half),
        filename=documents.sign_in_sheet_filename(event=event, half_days=half_days, half=half),
    )


def _printed_document(request, event, *, kind, draw, filename, day=None, half=""):
    if request.method == "POST":
        try:
            document = services.event_document_request(
                event=event, kind=kind, day=day, half=half, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("events:onsite", slug=event.slug)
        return redirect("events:document", slug=event.slug, pk=document.pk)
    if not documents.is_drawn_in_background(event=event):
        return pdf_response(draw(), filename)
    latest = selectors.event_document_latest(
        event=event, kind=kind, day=day.pk if day else None, half=half
    )
    wanted = EventDocument(event=event, kind=kind, day=day, half=half)
    context = {
        "event": event,
        "document": latest,
        "label": documents.event_document_label(document=wanted),
        "source_url": _document_source_url(wanted),
        "registrants": selectors.event_confirmed_count(event=event),
    }
    return render(request, "events/onsite/document_prepare.html", context)


def _document_source_url(document: EventDocument) -> str:
    """The page where this document is asked for (and drawn at once for a small event)."""
    slug = document.event.slug
    if document.kind == EventDocument.Kind.BADGES:
        return reverse("events:badges_pdf", args=[slug])
    if document.half:
        return reverse("events:sign_in_sheet_half", args=[slug, document.day_id, document.half])
    return reverse("events:sign_in_sheet", args=[slug, document.day_id])


def _event_document(request, slug, pk) -> EventDocument:
    document = get_object_or_404(
        EventDocument.objects.select_related("event", "day"), pk=pk, event__slug=slug
    )
    if not request.user.has_perm("events.download_event_document", document):
        raise PermissionDenied
    return document


@require_GET
@login_required
def document_status(request, slug, pk):
    """Where a document prepared in the background stands; htmx asks again while it is drawn."""
    document = _event_document(request, slug, pk)
    context = {
        "event": document.event,
        "document": document,
        "label": documents.event_document_label(document=document),
        "source_url": _document_source_url(document),
    }
    if request.htmx:
        return render(request, "events/onsite/document_status.html#state", context)
    return render(request, "events/onsite/document_status.html", context)


@require_GET
@login_required
def document_download(request, slug, pk):
    """The file of a prepared document, to those who may print it at its event."""
    document = _event_document(request, slug, pk)
    if not document.is_ready or not document.file:
        raise Http404(_("This document is not ready."))
    return uploads.protected_file_response(
        document.file, download_name=document.filename, content_type="application/pdf"
    )


# --- after the event -----------------------------------------------------------------------


@require_POST
@event_permission("events.close_attendance")
def attendance_close(request, event):
    try:
        counts = services.event_attendance_close(event=event, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Attendance closed: %(attended)s attended, %(no_show)s no-shows.") % counts,
        )
    return redirect("events:onsite", slug=event.slug)


@require_POST
@event_permission("events.send_certificates")
def certificates_send(request, event):
    try:
        count = services.event_certificates_send(event=event, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(count)s certificates are being sent by e-mail.") % {"count": count}
        )
    return redirect("events:onsite", slug=event.slug)


@require_GET
@personal_page
@throttled("pdf")
def certificate_download(request, slug, signed_token):
    """A participant's own certificate, through the personal link of their registration."""
    registration = registration_from_signed_token(signed_token)
    if registration is None or registration.event.slug != slug:
        raise Http404(_("This link is not valid."))
    if not selectors.registration_is_certificate_eligible(registration=registration):
        return render(
            request,
            "events/onsite/certificate_unavailable.html",
            {"event": registration.event, "registration": registration},
            status=403,
        )
    content = services.certificate_render(registration=registration)
    return pdf_response(
        content, services.certificate_filename(registration=registration), inline=False
    )


def _workshop(event, pk) -> Session:
    return get_object_or_404(
        Session.objects.select_related("slot__day", "room"), pk=pk, slot__day__event=event
    )


@require_http_methods(["GET", "POST"])
def workshop_report(request, slug, pk):
    """Write a workshop's report-back (staff, or the session's facilitators and reporters)."""
    event = get_object_or_404(Event, slug=slug)
    session = _workshop(event, pk)
    if not request.user.has_perm("events.write_workshop_report", session):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    report = getattr(session, "report", None)
    initial = (
        {
            "recommendations": report.recommendations,
            "notes": report.notes,
            "is_published": report.is_published,
        }
        if report
        else {}
    )
    form = WorkshopReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_report_save(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The report-back is saved."))
            return redirect("events:workshop_report", slug=event.slug, pk=session.pk)
    context = {
        "event": event,
        "session": session,
        "report": report,
        "form": form,
        "file_form": EventFileForm(),
        "files": list(session.files.all()),
        "can_manage": request.user.has_perm("events.check_in_registrants", event),
    }
    return render(
        request, "events/onsite/workshop_report.html", context, status=400 if form.errors else 200
    )


@require_POST
def event_file_upload(request, slug, pk=None):
    """Add a photo or document to the event, or to a workshop's report-back (pk)."""
    event = get_object_or_404(Event, slug=slug)
    session = _workshop(event, pk) if pk is not None else None
    allowed = (
        request.user.has_perm("events.write_workshop_report", session)
        if session
        else request.user.has_perm("events.manage_event_files", event)
    )
    if not allowed:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    form = EventFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.event_file_add(
                event=event,
                session=session,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                alt_text=form.cleaned_data["alt_text"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
    back = (
        reverse("events:workshop_report", kwargs={"slug": event.slug, "pk": session.pk})
        if session
        else reverse("events:onsite", kwargs={"slug": event.slug})
    )
    if form.errors:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    else:
        messages.success(request, _("The file is added."))
    return redirect(back)


@require_POST
def event_file_delete(request, slug, pk):
    event = get_object_or_404(Event, slug=slug)
    item = get_object_or_404(EventFile.objects.select_related("session"), pk=pk, event=event)
    allowed = (
        request.user.has_perm("events.write_workshop_report", item.session)
        if item.session
        else request.user.has_perm("events.manage_event_files", event)
    )
    if not allowed:
        raise PermissionDenied
    services.event_file_delete(item=item, by=request.user)
    messages.success(request, _("The file is removed."))
    if item.session_id:
        return redirect("events:workshop_report", slug=event.slug, pk=item.session_id)
    return redirect("events:onsite", slug=event.slug)


@require_GET
def event_archive(request, slug):
    """The event's outputs: published report-backs, photos and documents (public)."""
    event = event_or_404(request, slug)
    context = {
        "event": event,
        "outputs": selectors.event_outputs(event=event),
        "has_ended": selectors.event_has_ended(event=event),
        "can_manage": request.user.has_perm("events.check_in_registrants", event),
        "my_workshops": selectors.event_workshops_reportable_by(event=event, user=request.user),
    }
    return render(request, "events/onsite/archive.html", context)
