"""The printable programme of an event, as PDF (WeasyPrint)."""

from django.utils.translation import gettext as _

from ..models import Event
from .pdf import render_pdf


def programme_pdf(*, event: Event, days, request=None) -> bytes:
    """Render the programme (days are selectors' ProgrammeDay) to an A4 PDF."""
    return render_pdf(
        "events/pdf/programme.html",
        {"event": event, "days": days, "pdf_title": _("Programme — %s") % event.title},
        stylesheets=("events/pdf/programme.css",),
        request=request,
    )
