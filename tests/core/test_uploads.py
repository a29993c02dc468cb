"""Uploads are judged by content, all through: images decode within a pixel limit and are
re-encoded, PDFs parse, DOCX/ODT zips are bounded and agree with themselves; names are
unguessable; the size limit holds."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from terreau.core.uploads import clean_upload, random_name, validate_new_upload, validate_upload
from tests.files import (
    DOCX_CONTENT_TYPES,
    docx_bytes,
    image_bytes,
    odt_bytes,
    pdf_bytes,
    zip_bytes,
)

DOCX = docx_bytes()
ODT = odt_bytes()
NOISE = image_bytes("PNG", (64, 64), noise=True)
HTML = "<html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("photo.png", image_bytes("PNG"), "image"),
        ("photo.JPG", image_bytes("JPEG"), "image"),
        ("photo.webp", image_bytes("WEBP"), "image"),
        ("compte-rendu.pdf", pdf_bytes(), "document"),
        ("note.docx", DOCX, "document"),
        ("note.odt", ODT, "document"),
    ],
)
def test_accepted_files(name, content, kind):
    assert validate_upload(SimpleUploadedFile(name, content)) == kind


def docx_bomb() -> bytes:
    """204 KB that expand to 200 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        archive.writestr("word/document.xml", b"<w:document/>" + b" " * (200 * 1024 * 1024))
    return buffer.getvalue()


def docx_with_dtd() -> bytes:
    document = (
        '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    )
    return docx_bytes(document)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.pdf", b"<script>alert(1)</script>"),
        ("photo.png", b"%PDF-1.4 a pdf renamed"),
        ("document.pdf", image_bytes("PNG")),
        ("page.html", b"<html></html>"),
        ("image.gif", b"GIF89a\x01\x00\x01\x00"),
        ("note.docx", ODT),
        ("note.odt", b"PK\x03\x04 not really a zip"),
        ("vide.pdf", b""),
        # %PDF- followed by HTML: the head says PDF, the body does not parse.
        ("faux.pdf", b"%PDF-1.7\n" + HTML.encode()),
        ("faux.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"),
        # A zip with the two expected names and HTML inside.
        ("faux.docx", zip_bytes({"[Content_Types].xml": HTML, "word/document.xml": HTML})),
        ("faux.docx", docx_bytes(HTML)),
        (
            "faux.odt",
            zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": HTML}),
        ),
        ("dtd.docx", docx_with_dtd()),
        ("many.docx", docx_bytes(**{f"media/{n}.xml": "" for n in range(2_100)})),
        ("truncated.png", NOISE[: len(NOISE) // 2]),
    ],
)
def test_refused_files_get_a_clear_message(name, content):
    import weasyprint  # noqa: F401  (it makes Pillow lenient with truncated images)

    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content))
    assert error.value.code == "file_type"
    assert "PDF, DOCX" in error.value.messages[0]


def test_a_docx_zip_bomb_is_refused_without_being_expanded(settings):
    bomb = docx_bomb()
    assert len(bomb) < 300 * 1024
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("bombe.docx", bomb))
    assert error.value.code == "file_type"


def test_an_image_over_the_pixel_limit_is_refused_before_decoding(settings):
    settings.TERREAU_UPLOAD_MAX_PIXELS = 1_000_000
    big = image_bytes("PNG", (1200, 1200))
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("grand.png", big))
    assert error.value.code == "image_pixels"


def test_a_144_megapixel_png_is_refused_by_default():
    # A 12000 × 12000 PNG header with an empty body: refused on its size, never decoded.
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 12_000, 12_000, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("immense.png", png))
    assert error.value.code == "image_pixels"


def test_an_image_with_html_appended_is_stored_re_encoded_without_it():
    png = image_bytes("PNG", (8, 8)) + HTML.encode()
    kind, stored = clean_upload(SimpleUploadedFile("photo.png", png))
    assert kind == "image"
    content = stored.read()
    assert b"<script>" not in content
    assert Image.open(io.BytesIO(content)).size == (8, 8)


def test_stored_names_are_unguessable_and_keep_only_the_extension():
    _kind, stored = clean_upload(SimpleUploadedFile("Compte rendu de Mme Durand.PDF", pdf_bytes()))
    assert "Durand" not in stored.name
    assert stored.name.endswith(".pdf") and len(stored.name) == 36
    assert random_name("x.pdf") != random_name("x.pdf")
    assert random_name("a.tar.gz").endswith(".gz")
    assert len(random_name("../../etc/passwd")) == 32


def test_the_model_validator_swaps_the_upload_for_its_checked_copy(tmp_path):
    from django.db.models.fields.files import FieldFile, FileField

    field = FileField(upload_to="x/")
    value = FieldFile(None, field, "photo.png")
    value.file = SimpleUploadedFile("photo.png", image_bytes("PNG") + HTML.encode())
    value._committed = False
    validate_new_upload(value)
    assert value.name != "photo.png" and value.name.endswith(".png")
    assert b"<script>" not in value.file.read()


def test_files_over_the_limit_are_refused(settings):
    settings.TERREAU_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("gros.pdf", b"%PDF-" + b"0" * 2000))
    assert error.value.code == "file_size"
    assert "1000" in error.value.messages[0] or "Ko" in error.value.messages[0]
