"""PDF documents rendered with WeasyPrint from templates: badges, sign-in sheets, certificates.

Every document extends `events/pdf/base.html` and gets the shared print stylesheet
`events/pdf/base.css` (A4, DejaVu fonts — Debian's fonts-dejavu-core, installed by
`make chromium` — with page numbers in the footer). A document may add its own stylesheet.
"""

import threading

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

# What WeasyPrint builds for every document unless it is given one, kept per thread between
# documents (Pango's font maps are not thread-safe): the URL fetcher, whose construction loads
# the system's TLS certificates (~0.1 s, three times a document), and the font configuration,
# whose construction loads the fonts again (a quarter of a certificate's time). Our stylesheets
# declare no @font-face, so nothing in it belongs to one document.
_per_thread = threading.local()


def weasyprint_tools():
    """(URL fetcher, font configuration) of this thread.

    Our documents are self-contained (system fonts, no images): the fetcher refuses every URL
    but `data:`, so drawing a PDF never reaches the network, whatever text registrants typed.
    """
    tools = getattr(_per_thread, "tools", None)
    if tools is None:
        from weasyprint import URLFetcher
        from weasyprint.text.fonts import FontConfiguration

        tools = _per_thread.tools = (
            URLFetcher(allowed_protocols={"data"}, timeout=2),
            FontConfiguration(),
        )
    return tools


def render_pdf(
    template_name: str, context: dict, *, stylesheets: tuple[str, ...] = (), request=None
) -> bytes:
    """Render a template to PDF bytes; `stylesheets` are template names of CSS files."""
    # WeasyPrint takes over a second to import: load it when a PDF is drawn, not at start-up.
    from weasyprint import CSS, HTML

    url_fetcher, font_config = weasyprint_tools()
    # Documents drawn by the task worker have no request, hence no context processors.
    context = {"SITE_NAME": settings.SITE_NAME, **context}
    html = render_to_string(template_name, context, request=request)
    sheets = [
        CSS(
            string=render_to_string(name, context),
            font_config=font_config,
            url_fetcher=url_fetcher,
        )
        for name in ("events/pdf/base.css", *stylesheets)
    ]
    base_url = request.build_absolute_uri("/") if request else settings.SITE_URL
    return HTML(string=html, base_url=base_url, url_fetcher=url_fetcher).write_pdf(
        stylesheets=sheets, font_config=font_config
    )


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    stem = slugify(filename.removesuffix(".pdf")) or "document"
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{stem}.pdf"'
    return response
