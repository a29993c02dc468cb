"""Build an edition of a worksite's publication from one source: a web edition (an HTML
fragment shown inside the site), a typeset PDF (WeasyPrint) and an EPUB 3, then publish it in
the resource library. Called by the task worker with the edition (`tasks.build_edition`)."""

import logging
import re
import time
import uuid
import xml.dom.minidom
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from terreau.core.dates import date_format
from terreau.core.markdown import render_markdown
from terreau.core.uploads import random_name
from terreau.events.documents.pdf import weasyprint_tools
from terreau.library.models import ResourceKind, ResourceState
from terreau.library.services import (
    resource_attachment_add,
    resource_create,
    resource_publish,
    resource_update,
)

from . import epub, selectors
from .models import Edition
from .typography import french_html

logger = logging.getLogger(__name__)


@dataclass
class Block:
    level: int  # 2 = part of a chapter (Presentation, Report), 3 = a heading within it
    title: str
    html: str = ""


@dataclass
class BookChapter:
    id: str
    title: str
    kind: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)


def _html(markdown_text: str) -> str:
    return mark_safe(french_html(render_markdown(markdown_text)))  # noqa: S308 - sanitised


def _typo(text: str) -> str:
    return french_html(str(text))


def book_build(*, worksite) -> dict:
    """The book: every chapter as headings and sanitised, French-typeset HTML, plus the
    front and back matter. The three formats render this same structure."""
    source = selectors.publication_source(worksite=worksite)
    chapters: list[BookChapter] = []
    for chapter in source["chapters"]:
        case = chapter.case
        book_chapter = BookChapter(
            id=chapter.id,
            title=_typo(chapter.title),
            kind="case",
            subtitle=_typo(
                ", ".join(
                    filter(
                        None,
                        [
                            case.lead_organisation.name,
                            case.workshop
                            and date_format(
                                timezone.localtime(case.workshop.starts_at), "DATE_FORMAT"
                            ),
                        ],
                    )
                )
            ),
        )
        presentation, report = chapter.parts[0][1], chapter.parts[1][1]
        if presentation:
            book_chapter.blocks.append(Block(2, _typo(_("Presentation of the case"))))
            book_chapter.blocks += [Block(3, _typo(h), _html(t)) for h, t in presentation]
        book_chapter.blocks.append(Block(2, _typo(_("Report of the workshop"))))
        book_chapter.blocks += [Block(3, _typo(h), _html(t)) for h, t in report]
        chapters.append(book_chapter)
    if source["syntheses"]:
        chapters.append(
            BookChapter(
                id="syntheses",
                title=_typo(_("The pooling day: syntheses of the exchange groups")),
                kind="syntheses",
                blocks=[
                    Block(
                        3,
                        _typo(s.group_name + (f" — {s.theme.name}" if s.theme else "")),
                        _html(s.body),
                    )
                    for s in source["syntheses"]
                ],
            )
        )
    publication = source["publication"]
    return {
        "publication": publication,
        "worksite": worksite,
        "title": _typo(publication.title),
        "subtitle": _typo(publication.subtitle),
        "chapters": chapters,
        "contributors": [p.display_name for p in source["contributors"]],
        "committee": source["committee"],
        "partners": source["partners"],
        "convener": worksite.convener,
        "credits": _html(publication.credits),
        "licence": publication.licence,
        "period": f"{date_format(worksite.starts_on, 'F Y')} – "
        f"{date_format(worksite.ends_on, 'F Y')}",
    }


def _context(book: dict, edition: Edition, *, medium: str) -> dict:
    return {
        **book,
        "edition": edition,
        "edition_date": date_format(timezone.localdate(), "DATE_FORMAT"),
        "medium": medium,
        "SITE_NAME": settings.SITE_NAME,
        "LANGUAGE_CODE": "fr",
    }


def render_web(book: dict, edition: Edition) -> str:
    return render_to_string("worksites/publication/web.html", _context(book, edition, medium="web"))


def render_pdf(book: dict, edition: Edition) -> tuple[bytes, int]:
    """The typeset PDF and its page count."""
    from weasyprint import CSS, HTML

    url_fetcher, font_config = weasyprint_tools()
    context = _context(book, edition, medium="pdf")
    html = render_to_string("worksites/publication/pdf.html", context)
    css = CSS(
        string=render_to_string("worksites/publication/pdf.css", context),
        font_config=font_config,
        url_fetcher=url_fetcher,
    )
    document = HTML(string=html, base_url=settings.SITE_URL, url_fetcher=url_fetcher).render(
        stylesheets=[css], font_config=font_config
    )
    return document.write_pdf(), len(document.pages)


_VOID = re.compile(r"<(br|hr|img|meta|link|col|wbr)(\s[^<>]*?)?\s*/?>", re.IGNORECASE)


def to_xhtml(html: str) -> str:
    """HTML from our templates and the Markdown sanitiser, written as well-formed XHTML: void
    elements closed, named entities that XML lacks turned into numeric ones."""
    html = _VOID.sub(lambda m: f"<{m.group(1).lower()}{m.group(2) or ''}/>", html)
    return html.replace("&nbsp;", "&#160;")


def render_epub(book: dict, edition: Edition) -> bytes:
    context = _context(book, edition, medium="epub")
    documents = [
        epub.Document("cover.xhtml", _("Cover"), "", in_toc=False, landmark="cover"),
        epub.Document("title.xhtml", _("Title page"), "", in_toc=False, landmark="titlepage"),
    ]
    documents[0].body = render_to_string("worksites/publication/epub_cover.html", context)
    documents[1].body = render_to_string("worksites/publication/epub_title.html", context)
    for index, chapter in enumerate(book["chapters"]):
        documents.append(
            epub.Document(
                f"{chapter.id}.xhtml",
                chapter.title,
                render_to_string(
                    "worksites/publication/chapter.html", {**context, "chapter": chapter}
                ),
                landmark="bodymatter" if index == 0 else "",
            )
        )
    documents.append(
        epub.Document(
            "contributors.xhtml",
            _("Contributors and credits"),
            render_to_string("worksites/publication/back_matter.html", context),
        )
    )
    for document in documents:
        document.body = to_xhtml(document.body)
        # A malformed content document is refused by reading systems: fail the build instead.
        xml.dom.minidom.parseString(
            epub.xhtml_page(title=document.title, body=document.body, language="fr").encode()
        )
    publication = book["publication"]
    return epub.write_epub(
        identifier=edition_identifier(publication.identifier, edition.number),
        title=f"{publication.title} — " + _("edition %(number)s") % {"number": edition.number},
        language="fr",
        modified=timezone.now(),
        documents=documents,
        stylesheet=render_to_string("worksites/publication/epub.css", context),
        creators=[book["convener"].name] if book["convener"] else [],
        publisher=settings.SITE_NAME,
        rights=publication.licence,
        toc_title=_("Contents"),
        date=timezone.localdate().isoformat(),
    )


def edition_identifier(publication_identifier: str, number: int) -> str:
    """The EPUB's `dc:identifier` of one edition: a UUID URN of its own (EPUBCheck wants a
    valid UUID after `urn:uuid:`), derived from the publication's, so that it is stable."""
    try:
        base = uuid.UUID(publication_identifier.removeprefix("urn:uuid:"))
    except ValueError:
        base = uuid.uuid5(uuid.NAMESPACE_URL, publication_identifier)
    return f"urn:uuid:{uuid.uuid5(base, f'edition-{number}')}"


def _progress(edition: Edition, progress: int, step: str) -> None:
    Edition.objects.filter(pk=edition.pk).update(progress=progress, step=step[:200])


def _library_body(edition: Edition, book: dict) -> str:
    worksite = book["worksite"]
    lines = [book["publication"].subtitle or worksite.question, ""]
    for other in edition.publication.editions.filter(status=Edition.Status.READY).order_by(
        "-number"
    ):
        url = settings.SITE_URL + other.get_absolute_url()
        lines.append(
            "- "
            + _("Edition %(number)s (%(date)s)")
            % {
                "number": other.number,
                "date": date_format(timezone.localtime(other.finished_at), "DATE_FORMAT"),
            }
            + f" : [{_('web edition')}]({url}), [PDF]({url}pdf/), [EPUB]({url}epub/)"
        )
    return "\n".join(lines)


def _attach_built_file(*, resource, title: str, data: bytes, name: str, checked: bool) -> None:
    """Attach a file the build made to the library resource. A `checked` file goes through
    the library's upload checks (a PDF: its cover and text are then extracted for search);
    when they refuse it (over the upload limit), or for a type uploads do not take (EPUB), the
    file, which this build wrote and checked itself, is stored as the library's files are
    and attached as a stored file."""
    if checked:
        try:
            resource_attachment_add(resource=resource, title=title, file=ContentFile(data, name))
            return
        except ValidationError:
            logger.info("%s: over the library's upload limit, attached as a stored file", name)
    stored = default_storage.save(
        f"resources/{timezone.now():%Y}/{random_name(name)}", ContentFile(data)
    )
    resource_attachment_add(resource=resource, title=title, file=stored)


def publish_in_library(*, edition: Edition, book: dict, pdf: bytes, epub_bytes: bytes) -> None:
    """Publish (or update) the publication's resource in the library: a permanent page with
    the licence and every edition, the edition's PDF and EPUB attached."""
    publication = edition.publication
    worksite = publication.worksite
    cases = [c.case for c in selectors.publication_source(worksite=worksite)["chapters"]]
    fields = {
        "summary": (publication.subtitle or worksite.question)[:300],
        "body": _library_body(edition, book),
        "licence": publication.licence,
        "external_url": settings.SITE_URL + edition.get_absolute_url(),
        "published_on": timezone.localdate(),
    }
    links = {
        "initiatives": [c.initiative for c in cases],
        "events": [c.workshop for c in cases if c.workshop],
        "organisations": [o for o in [worksite.convener, *book["partners"]] if o],
    }
    if publication.resource is None:
        resource = resource_create(
            title=publication.title[:200], kind=ResourceKind.PUBLICATION, **fields, **links
        )
        publication.resource = resource
        publication.save(update_fields=["resource"])
    else:
        resource = resource_update(resource=publication.resource, **fields, **links)
    stem = f"{worksite.slug}-edition-{edition.number}"
    for data, suffix, checked in ((pdf, "pdf", True), (epub_bytes, "epub", False)):
        _attach_built_file(
            resource=resource,
            title=_("Edition %(number)s (%(format)s)")
            % {"number": edition.number, "format": suffix.upper()},
            data=data,
            name=f"{stem}.{suffix}",
            checked=checked,
        )
    if resource.state != ResourceState.PUBLISHED:
        resource_publish(resource=resource)


def edition_build(*, edition: Edition) -> Edition:
    """Build the three files of an edition, with its progress recorded at each step, and
    publish it. A failure marks the edition failed (the previous ones stay available)."""
    started = time.monotonic()
    edition = Edition.objects.select_related("publication__worksite__convener").get(pk=edition.pk)
    worksite = edition.publication.worksite
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.BUILDING)
    try:
        with translation.override("fr"):
            _progress(edition, 5, _("Gathering the validated reports"))
            book = book_build(worksite=worksite)
            if not any(chapter.kind == "case" for chapter in book["chapters"]):
                raise ValidationError(_("No report is validated yet."))
            _progress(edition, 15, _("Web edition"))
            web = render_web(book, edition)
            _progress(edition, 30, _("Typesetting the PDF"))
            pdf, pages = render_pdf(book, edition)
            _progress(edition, 75, _("EPUB"))
            epub_bytes = render_epub(book, edition)
            _progress(edition, 90, _("Publishing in the library"))
            stem = f"{worksite.slug}-edition-{edition.number}"
            with transaction.atomic():
                edition.html_file.save(f"{stem}.html", ContentFile(web.encode()), save=False)
                edition.pdf_file.save(f"{stem}.pdf", ContentFile(pdf), save=False)
                edition.epub_file.save(f"{stem}.epub", ContentFile(epub_bytes), save=False)
                edition.pdf_pages = pages
                edition.status = Edition.Status.READY
                edition.progress = 100
                edition.step = ""
                edition.finished_at = timezone.now()
                edition.save()
                publish_in_library(edition=edition, book=book, pdf=pdf, epub_bytes=epub_bytes)
    except Exception as error:
        logger.exception("Edition %s failed", edition.pk)
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        Edition.objects.filter(pk=edition.pk).update(
            status=Edition.Status.FAILED, step=message[:200], finished_at=timezone.now()
        )
        if settings.DEBUG and not isinstance(error, ValidationError):
            raise
    logger.info("Edition %s built in %.1f s", edition.pk, time.monotonic() - started)
    edition.refresh_from_db()
    return edition


def edition_url(edition: Edition, kind: str = "") -> str:
    name = {
        "": "worksites:edition",
        "pdf": "worksites:edition_pdf",
        "epub": "worksites:edition_epub",
    }[kind]
    return reverse(
        name, kwargs={"slug": edition.publication.worksite.slug, "number": edition.number}
    )
