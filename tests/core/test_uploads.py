"""Uploads are checked by content, not by name, and against the size limit."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from terreau.core.uploads import validate_upload


def image_bytes(fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, fmt)
    return buffer.getvalue()


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
ODT = zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("photo.png", image_bytes("PNG"), "image"),
        ("photo.JPG", image_bytes("JPEG"), "image"),
        ("photo.webp", image_bytes("WEBP"), "image"),
        ("compte-rendu.pdf", b"%PDF-1.7\n...", "document"),
        ("note.docx", DOCX, "document"),
        ("note.odt", ODT, "document"),
    ],
)
def test_accepted_files(name, content, kind):
    assert validate_upload(SimpleUploadedFile(name, content)) == kind


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
    ],
)
def test_refused_files_get_a_clear_message(name, content):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content))
    assert error.value.code == "file_type"
    assert "PDF, DOCX" in error.value.messages[0]


def test_files_over_the_limit_are_refused(settings):
    settings.TERREAU_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("gros.pdf", b"%PDF-" + b"0" * 2000))
    assert error.value.code == "file_size"
    assert "1000" in error.value.messages[0] or "Ko" in error.value.messages[0]
