"""The printed documents of an event, drawn from its data: badges and sign-in sheets."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from terreau.events.models import Event
from terreau.events.pdf import render_pdf
from terreau.events.selectors import onsite as selectors


def badges_render(*, event: Event) -> bytes:
    sheets = selectors.event_badge_sheets(event=event)
    return render_pdf(
        "events/pdf/badges.html",
        {"event": event, "sheets": sheets, "pdf_title": _("Badges — %s") % event.title},
        stylesheets=("events/pdf/badges.css",),
    )


def sign_in_sheet_render(*, event: Event, day: int, half: str | None = None) -> bytes:
    half_days = [item for item in selectors.event_half_days(event=event) if item.day.pk == day]
    if half is not None:
        half_days = [item for item in half_days if item.half == half]
    if not half_days:
        raise ObjectDoesNotExist(_("No such day or half-day in this event."))
    organisers, partners, place = selectors.event_people(event=event)
    registrations = selectors.event_confirmed_registrations(event=event)
    when = half_days[0].label if half is not None else half_days[0].day_label
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
