"""The printed documents of an event for staff (badges, sign-in sheets): what each one holds,
its file name, and whether it is drawn during the request or in the background.

WeasyPrint draws about ten A4 pages a second on one core (bench/pdf_documents.py): badges for
1,000 people take some ten seconds, too long for a web request (gunicorn answers 500 after 30 s,
and a busy server is slower). Above `SYNCHRONOUS_MAX_REGISTRANTS` the documents are prepared by
a background task (`EventDocument`, `services.onsite.event_document_request`).
"""

from django.utils.translation import gettext as _

from terreau.events.models import Event, EventDocument
from terreau.events.selectors import onsite as selectors

from .pdf import render_pdf

# 100 badges draw in about 1.5 s of CPU, a 100-line sheet in about 1 s.
SYNCHRONOUS_MAX_REGISTRANTS = 100


def is_drawn_in_background(*, event: Event) -> bool:
    """Whether the event's badges and sign-in sheets are too large to draw during a request."""
    return selectors.event_confirmed_count(event=event) > SYNCHRONOUS_MAX_REGISTRANTS


def badges_render(*, event: Event) -> bytes:
    sheets = selectors.event_badge_sheets(event=event)
    return render_pdf(
        "events/pdf/badges.html",
        {"event": event, "sheets": sheets, "pdf_title": _("Badges — %s") % event.title},
        stylesheets=("events/pdf/badges.css",),
    )


def badges_filename(*, event: Event) -> str:
    return f"badges-{event.slug}"


def sign_in_sheet_render(
    *, event: Event, half_days: list[selectors.HalfDay], half: str | None = None
) -> bytes:
    """The sign-in sheet of a day (a signature column per half-day), or of one half-day."""
    organisers, partners, place = selectors.event_people(event=event)
    registrations = selectors.event_confirmed_registrations(event=event)
    when = half_days[0].label if half else half_days[0].day_label
    context = {
        "event": event,
        "when": when,
        "half_days": half_days,
        "registrations": registrations,
        "blank_lines": range(len(registrations) + 1, len(registrations) + 6),
        "organisers": organisers,
        "partners": partners,
        "place": place,
        "pdf_title": _("Sign-in sheet — %(event)s — %(when)s")
        % {"event": event.title, "when": when},
    }
    return render_pdf(
        "events/pdf/sign_in_sheet.html", context, stylesheets=("events/pdf/sign_in_sheet.css",)
    )


def sign_in_sheet_filename(
    *, event: Event, half_days: list[selectors.HalfDay], half: str | None = None
) -> str:
    suffix = f"-{half}" if half else ""
    return f"emargement-{event.slug}-{half_days[0].day.date}{suffix}"


def event_document_label(*, document: EventDocument) -> str:
    """What a prepared document is, as staff read it: "Badges", "Sign-in sheet — Tuesday …"."""
    if document.kind == EventDocument.Kind.BADGES:
        return str(EventDocument.Kind.BADGES.label)
    half_days = selectors.event_sign_in_sheet_half_days(
        event=document.event, day=document.day_id, half=document.half or None
    )
    if not half_days:
        return str(EventDocument.Kind.SIGN_IN_SHEET.label)
    when = half_days[0].label if document.half else half_days[0].day_label
    return f"{EventDocument.Kind.SIGN_IN_SHEET.label} — {when}"


def event_document_render(*, document: EventDocument) -> tuple[bytes, str]:
    """Draw a prepared document from the event's current data: (PDF bytes, file name stem)."""
    event = document.event
    if document.kind == EventDocument.Kind.BADGES:
        return badges_render(event=event), badges_filename(event=event)
    half_days = selectors.event_sign_in_sheet_half_days(
        event=event, day=document.day_id, half=document.half or None
    )
    if not half_days:
        raise ValueError(f"Day {document.day_id} {document.half!r} is not in {event.slug}")
    return (
        sign_in_sheet_render(event=event, half_days=half_days, half=document.half),
        sign_in_sheet_filename(event=event, half_days=half_days, half=document.half),
    )
