"""The publication: built in the background from validated reports, read back — the PDF's
outline, table of contents, chapter titles and running headers (pypdf), the EPUB's package
and navigation documents — and published in the library with its editions kept."""

import io
import xml.dom.minidom
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from terreau.library.models import ResourceState
from terreau.worksites import services
from terreau.worksites.models import Edition, ReportStatus
from terreau.worksites.typography import NNBSP

from .factories import case_create, world_create

pytestmark = pytest.mark.django_db


def _validate(report):
    services.report_set_status(report=report, status=ReportStatus.IN_REVIEW)
    services.report_set_status(report=report, status=ReportStatus.VALIDATED)


@pytest.fixture
def built(django_capture_on_commit_callbacks):
    world = world_create()
    second = case_create(world.worksite, title="Comment développer le pouvoir d'agir ?")
    services.section_save(
        section=second.report.sections.first(),
        body="Des habitants : « acteurs » ! <script>alert(1)</script>\n\n![x](https://t.example/p.png)",
        base_version=0,
    )
    case_create(world.worksite, title="Cas non validé")
    long_text = (
        world.section.body
        + "\n\n"
        + "\n\n".join(
            f"Paragraphe {n} : une parole collective se construit dans la durée, avec des "
            "habitants, des élus et des professionnels qui se mettent en retrait." * 3
            for n in range(25)
        )
    )
    services.section_save(section=world.section, body=long_text, base_version=world.section.version)
    _validate(world.report)
    _validate(second.report)
    services.synthesis_save(worksite=world.worksite, group_name="Groupe 1", body="Deux pistes.")
    outsider = world.worksite.participants.create(
        person=world.outsider.person, consents_to_listing=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        edition = services.edition_request(worksite=world.worksite, by=world.committee)
    edition.refresh_from_db()
    world.edition, world.second, world.refuser = edition, second, outsider
    return world


def _outline(reader, items=None, depth=0, out=None):
    out = [] if out is None else out
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            _outline(reader, item, depth + 1, out)
        else:
            out.append((depth, item.title, reader.get_destination_page_number(item)))
    return out


def test_the_edition_is_built_with_its_three_files(built):
    edition = built.edition
    assert edition.status == Edition.Status.READY and edition.progress == 100
    assert edition.html_file and edition.pdf_file and edition.epub_file
    assert edition.pdf_pages > 4


def test_the_pdf_has_bookmarks_toc_chapter_titles_and_running_headers(built):
    reader = PdfReader(built.edition.pdf_file.path)
    outline = _outline(reader)
    chapters = [(title, page) for depth, title, page in outline if depth == 0]
    titles = [title for title, _page in chapters]
    assert titles[0] == "L'expression en assemblée populaire"
    assert titles[1] == f"Comment développer le pouvoir d'agir{NNBSP}?"
    assert "Cas non validé" not in titles
    assert len(titles) == 4  # two cases, the syntheses, the contributors
    toc = reader.pages[2].extract_text()
    for title in titles:
        assert title.split()[0] in toc
    # The table of contents links to each chapter (named destinations on the chapter's page).
    targets = {a.get_object().get("/Dest") for a in reader.pages[2].get("/Annots", [])}
    assert {"chapitre-1", "chapitre-2", "syntheses", "contributors"} <= targets
    destinations = reader.named_destinations
    assert reader.get_destination_page_number(destinations["chapitre-2"]) == chapters[1][1]
    # Every page of a chapter carries its title in the running header, and its page number.
    bounds = [page for _title, page in chapters] + [len(reader.pages)]
    for index, (title, first) in enumerate(chapters):
        for number in range(first, bounds[index + 1]):
            lines = reader.pages[number].extract_text().splitlines()
            assert title.replace("\xa0", " ") in " ".join(lines).replace("\xa0", " "), number
            assert lines[-1].strip() == str(number + 1)
    assert any(bounds[i + 1] - bounds[i] > 1 for i in range(len(chapters)))
    cover = reader.pages[0].extract_text()
    assert "Edition 1" in cover or "Édition 1" in cover
    assert reader.metadata.title == built.worksite.publication.title


def test_the_pdf_keeps_no_script_nor_remote_image_and_sets_french_spacing(built):
    reader = PdfReader(built.edition.pdf_file.path)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "alert(1)" not in text and "t.example" not in text
    assert "Des habitants\u00a0: «\u00a0acteurs\u00a0»\u202f!" in text


def test_contributors_are_listed_only_with_their_consent(built):
    reader = PdfReader(built.edition.pdf_file.path)
    text = "".join(page.extract_text() for page in reader.pages)
    assert built.participant.person.display_name in text
    assert built.outsider.person.display_name not in text


def test_the_epub_has_its_metadata_and_navigation_document(built):
    archive = zipfile.ZipFile(built.edition.epub_file.path)
    assert archive.namelist()[0] == "mimetype"
    assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    container = xml.dom.minidom.parseString(archive.read("META-INF/container.xml"))
    opf_path = container.getElementsByTagName("rootfile")[0].getAttribute("full-path")
    opf = xml.dom.minidom.parseString(archive.read(opf_path))
    for tag in ("dc:identifier", "dc:title", "dc:language"):
        assert opf.getElementsByTagName(tag)[0].firstChild.data.strip()
    assert opf.getElementsByTagName("dc:language")[0].firstChild.data == "fr"
    assert any(
        m.getAttribute("property") == "dcterms:modified" for m in opf.getElementsByTagName("meta")
    )
    items = {i.getAttribute("id"): i for i in opf.getElementsByTagName("item")}
    nav_href = next(
        i.getAttribute("href") for i in items.values() if i.getAttribute("properties") == "nav"
    )
    spine = [ref.getAttribute("idref") for ref in opf.getElementsByTagName("itemref")]
    assert all(idref in items for idref in spine)
    nav = xml.dom.minidom.parseString(archive.read(f"EPUB/{nav_href}"))
    tocs = [n for n in nav.getElementsByTagName("nav") if n.getAttribute("epub:type") == "toc"]
    assert len(tocs) == 1
    links = [(a.getAttribute("href"), a.firstChild.data) for a in tocs[0].getElementsByTagName("a")]
    assert links[0][1] == "L'expression en assemblée populaire"
    assert links[1][1] == f"Comment développer le pouvoir d'agir{NNBSP}?"
    manifest_hrefs = {i.getAttribute("href") for i in items.values()}
    for href, title in links:
        assert href in manifest_hrefs
        chapter = xml.dom.minidom.parseString(archive.read(f"EPUB/{href}"))
        headings = [h.firstChild.data for h in chapter.getElementsByTagName("h2")]
        assert headings[0] == title
    for name in archive.namelist():
        if name.endswith(".xhtml"):
            body = archive.read(name).decode()
            assert "<script" not in body and "<img" not in body


def test_the_stored_epub_shows_its_size_and_type_like_an_uploaded_file(built):
    from django.template.defaultfilters import filesizeformat

    resource = built.worksite.publication.__class__.objects.get(
        pk=built.worksite.publication.pk
    ).resource
    epub = resource.attachments.get(title__endswith="(EPUB)")
    assert epub.size == built.edition.epub_file.size > 0
    assert epub.content_type == "application/epub+zip"
    page = Client().get(resource.get_absolute_url()).text
    for attachment in resource.attachments.all():
        assert attachment.size > 0
        label = f"({attachment.type_label}, {filesizeformat(attachment.size)})"
        assert label.replace("\xa0", "&nbsp;") in page or label in page, label


def test_the_edition_is_published_in_the_library_and_the_previous_one_is_kept(
    built, django_capture_on_commit_callbacks
):
    resource = built.worksite.publication.__class__.objects.get(
        pk=built.worksite.publication.pk
    ).resource
    assert resource.state == ResourceState.PUBLISHED and resource.licence
    assert sorted(a.extension for a in resource.attachments.all()) == ["EPUB", "PDF"]
    page = Client().get(resource.get_absolute_url())
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        second = services.edition_request(worksite=built.worksite)
    second.refresh_from_db()
    assert second.number == 2 and second.is_ready
    resource.refresh_from_db()
    assert sorted(a.title for a in resource.attachments.all()) == [
        "Édition 1 (EPUB)",
        "Édition 1 (PDF)",
        "Édition 2 (EPUB)",
        "Édition 2 (PDF)",
    ]
    assert "/publication/1/" in resource.body and "/publication/2/" in resource.body
    for number in (1, 2):
        for name in ("edition", "edition_pdf", "edition_epub"):
            url = reverse(
                f"worksites:{name}", kwargs={"slug": built.worksite.slug, "number": number}
            )
            assert Client().get(url).status_code == 200, (name, number)
    old = Client().get(
        reverse("worksites:edition", kwargs={"slug": built.worksite.slug, "number": 1})
    )
    assert "/publication/2/" in old.content.decode()


def test_withdrawn_consent_leaves_the_next_edition(built, django_capture_on_commit_callbacks):
    participant = built.worksite.participants.get(person__user=built.participant)
    services.participant_set_consent(participant=participant, consents=False)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.edition_request(worksite=built.worksite)
    second.refresh_from_db()
    text = "".join(p.extract_text() for p in PdfReader(second.pdf_file.path).pages)
    assert built.participant.person.display_name not in text


def test_the_progress_fragment_reports_the_step(built):
    Edition.objects.create(
        publication=built.worksite.publication, number=9, progress=40, step="PDF"
    )
    client = Client()
    client.force_login(built.committee)
    response = client.get(
        reverse("worksites:edition_progress", kwargs={"slug": built.worksite.slug, "number": 9})
    )
    body = response.content.decode()
    assert 'value="40"' in body and "hx-trigger" in body


def test_pdf_bytes_parse(built):
    with built.edition.pdf_file.open("rb") as handle:
        assert PdfReader(io.BytesIO(handle.read())).pages
