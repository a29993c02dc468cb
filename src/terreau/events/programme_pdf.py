"""The printable programme of an event, as PDF (WeasyPrint)."""

from django.template.loader import render_to_string

from .models import Event
from .pdf import weasyprint_tools


def programme_pdf(*, event: Event, days, request=None) -> bytes:
    """Render the programme (days are selectors' ProgrammeDay) to an A4 PDF."""
    from weasyprint import HTML  # slow to import: only when a PDF is drawn

    url_fetcher, font_config = weasyprint_tools()
    html = render_to_string(
        "events/programme/programme_pdf.html", {"event": event, "days": days}, request=request
    )
    return HTML(string=html, url_fetcher=url_fetcher).write_pdf(font_config=font_config)
