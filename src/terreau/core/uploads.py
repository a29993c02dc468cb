"""Checks on uploaded files: images verified by Pillow, documents by their magic bytes.

Shared by the apps that take files from people (the observatory's contributions, the library's
attachments, the events' outputs, which take PDF documents only); the size limit is the
TERREAU_UPLOAD_MAX_BYTES setting.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}
DOCUMENT_EXTENSIONS = frozenset({".pdf", ".docx", ".odt"})
PDF_ONLY = frozenset({".pdf"})
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
IMAGE = "image"
DOCUMENT = "document"


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def _refuse(documents=DOCUMENT_EXTENSIONS):
    if documents == PDF_ONLY:
        message = _(
            "This file type is not accepted. Send an image (JPEG, PNG or WebP) or a PDF document."
        )
    else:
        message = _(
            "This file type is not accepted. Send an image (JPEG, PNG or WebP) "
            "or a document (PDF, DOCX or ODT)."
        )
    raise ValidationError(message, code="file_type")


def _document_kind(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return ".odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return ".docx"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    return None


def _image_format(upload) -> str | None:
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return image_format if image_format in IMAGE_FORMATS else None


def validate_upload(upload, *, documents=DOCUMENT_EXTENSIONS) -> str:
    """Return "image" or "document", or raise ValidationError with a French-ready message.

    The content decides, not the name: a PDF renamed .png is refused, and so is a PNG renamed
    .pdf (the extension must match what the file is). `documents`: the document types taken
    (DOCUMENT_EXTENSIONS, or PDF_ONLY).
    """
    limit = settings.TERREAU_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_size",
        )
    extension = _extension(upload.name)
    image_format = _image_format(upload)
    if image_format:
        if extension not in IMAGE_FORMATS[image_format]:
            _refuse(documents)
        return IMAGE
    if extension in documents and _document_kind(upload) == extension:
        return DOCUMENT
    _refuse(documents)


def validate_new_upload(value) -> None:
    """Model-field validator: check a file that has just been uploaded.

    A file already in storage was checked when it came in; it is not read again each time the
    object is saved (and a missing file on disk does not block editing the other fields).
    """
    if not value or getattr(value, "_committed", True):
        return
    validate_upload(value)
