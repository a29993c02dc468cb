# ruff: noqa: E501 - inline XML documents
"""Attachments: text and cover extracted by the worker in a child process with limits; hostile
files refused at upload (core.uploads) or failed at extraction without harming the worker."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from terreau.library import demo_files
from terreau.library.models import Extraction
from terreau.library.selectors import resource_list
from terreau.library.services import resource_attachment_add

from .factories import ResourceFactory

pytestmark = pytest.mark.django_db


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def add(django_capture_on_commit_callbacks):
    """Attach a file as staff do; the queued extraction task runs (immediate backend)."""

    def attach(resource, title, file):
        with django_capture_on_commit_callbacks(execute=True):
            return resource_attachment_add(resource=resource, title=title, file=file)

    return attach


def test_a_pdf_gives_its_text_and_cover_and_becomes_searchable(add):
    resource = ResourceFactory(title="Invitation")
    pdf = demo_files.pdf_from_html("<p>Soirée en assemblée populaire à Etouvie</p>", title="x")
    attachment = add(resource, "Invitation", upload("invitation.pdf", pdf))
    attachment.refresh_from_db()
    assert attachment.extraction == Extraction.DONE  # the immediate task backend ran it
    assert "Etouvie" in attachment.text and attachment.thumbnail
    assert attachment.content_type == "application/pdf" and attachment.size == len(pdf)
    assert list(resource_list(query="etouvie ASSEMBLEE")) == [resource]


def test_docx_and_odt_text_is_extracted(add):
    resource = ResourceFactory()
    attachment = add(
        resource,
        "Bulletin",
        upload("bulletin.docx", demo_files.docx("Bulletin", ["Nom : Prénom :"])),
    )
    attachment.refresh_from_db()
    assert attachment.extraction == Extraction.DONE and "Prénom" in attachment.text
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            "<office:document-content xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0' "
            "xmlns:text='urn:oasis:names:tc:opendocument:xmlns:text:1.0'><office:body><office:text>"
            "<text:p>Compte rendu de la soirée</text:p></office:text></office:body></office:document-content>",
        )
        archive.writestr(
            "META-INF/manifest.xml",
            "<manifest:manifest xmlns:manifest='urn:oasis:names:tc:opendocument:xmlns:manifest:1.0'>"
            "<manifest:file-entry manifest:full-path='/' manifest:media-type='application/vnd.oasis.opendocument.text'/>"
            "</manifest:manifest>",
        )
    odt = add(resource, "CR", upload("cr.odt", buffer.getvalue()))
    odt.refresh_from_db()
    assert odt.extraction == Extraction.DONE and "Compte rendu" in odt.text


def test_a_docx_zip_bomb_is_refused_before_it_reaches_the_worker(add):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", "<w:document xmlns:w='x'>" + " " * 200_000_000 + "</w:document>"
        )
    resource = ResourceFactory()
    # Refused at upload (its expanded size is bounded), so it never reaches the worker.
    with pytest.raises(ValidationError):
        add(resource, "Bombe", upload("bombe.docx", buffer.getvalue()))
    assert not resource.attachments.exists()


def test_a_pdf_that_does_not_parse_is_refused(add):
    resource = ResourceFactory()
    # Refused at upload: a PDF must parse.
    with pytest.raises(ValidationError):
        add(resource, "Cassé", upload("casse.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100))
    assert not resource.attachments.exists()


def test_an_image_has_no_text_to_extract(add):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    attachment = add(ResourceFactory(), "Affiche", upload("affiche.png", buffer.getvalue()))
    attachment.refresh_from_db()
    assert attachment.extraction == Extraction.NONE and attachment.content_type == "image/png"


@pytest.mark.parametrize(
    "name,content",
    [
        ("script.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("rapport.pdf", b"MZ\x90\x00 not a pdf"),
        ("document.docx", b"PK\x03\x04 not a zip"),
        ("notes.txt", b"hello"),
    ],
)
def test_hostile_or_mislabelled_uploads_are_refused_and_nothing_is_stored(name, content, add):
    resource = ResourceFactory()
    with pytest.raises(ValidationError) as error:
        add(resource, "x", upload(name, content))
    assert "file" in error.value.message_dict
    assert not resource.attachments.exists()


def test_a_png_renamed_pdf_and_a_huge_image_are_refused(add):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    resource = ResourceFactory()
    with pytest.raises(ValidationError):
        add(resource, "x", upload("x.pdf", buffer.getvalue()))
    big = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(big, "PNG")
    with pytest.raises(ValidationError):
        add(resource, "x", upload("big.png", big.getvalue()))
    assert not resource.attachments.exists()


def test_text_is_extracted_from_a_storage_without_local_paths(add, monkeypatch):
    """On S3-like storage a file has no path: the worker extracts from a local copy."""
    from django.db.models.fields.files import FieldFile

    def no_path(self):
        raise NotImplementedError("This backend doesn't support absolute paths.")

    monkeypatch.setattr(FieldFile, "path", property(no_path))
    resource = ResourceFactory()
    attachment = add(
        resource,
        "Bulletin",
        upload("bulletin.docx", demo_files.docx("Bulletin", ["Nom : Prénom :"])),
    )
    attachment.refresh_from_db()
    assert attachment.extraction == Extraction.DONE and "Prénom" in attachment.text


def docx_file(tmp_path, name="bulletin.docx", words="Nom : Prénom :"):
    path = tmp_path / name
    path.write_bytes(demo_files.docx("Bulletin", [words]))
    return str(path)


@pytest.fixture
def children():
    from terreau.library import extraction

    extraction.close_children()
    yield extraction
    extraction.close_children()


def idle_pids(extraction) -> list[int]:
    return [child.process.pid for child in extraction._idle]


def test_one_child_extracts_document_after_document(tmp_path, children):
    first = children.extract(docx_file(tmp_path, "un.docx", "Premier"), cover=False)
    pids = idle_pids(children)
    second = children.extract(docx_file(tmp_path, "deux.docx", "Second"), cover=False)
    assert "Premier" in first.text and "Second" in second.text
    assert len(pids) == 1 and idle_pids(children) == pids


def test_a_document_past_its_time_kills_its_child_and_the_next_gets_a_new_one(
    tmp_path, children, settings
):
    path = docx_file(tmp_path)
    children.extract(path, cover=False)
    [old] = children._idle
    settings.LIBRARY_EXTRACTION_TIMEOUT = 0
    assert children.extract(path, cover=False).error == "timeout"
    assert old.process.poll() is not None and children._idle == []  # killed, not kept
    settings.LIBRARY_EXTRACTION_TIMEOUT = 30
    assert "Prénom" in children.extract(path, cover=False).text
    assert idle_pids(children) != [old.process.pid]


def test_a_child_out_of_memory_fails_the_document_and_the_next_gets_a_new_one(
    tmp_path, children, settings
):
    path = docx_file(tmp_path)
    settings.LIBRARY_EXTRACTION_MEMORY_BYTES = 16 * 2**20  # not even enough to start Python
    failed = children.extract(path, cover=False)
    assert failed.error and not failed.text and children._idle == []
    settings.LIBRARY_EXTRACTION_MEMORY_BYTES = 768 * 2**20
    assert "Prénom" in children.extract(path, cover=False).text
