"""Checks on uploaded outputs: size under TERREAU_UPLOAD_MAX_BYTES, a real PDF or image."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PHOTO = "photo"
DOCUMENT = "document"
IMAGE_FORMATS = {"JPEG": ("jpg", "jpeg"), "PNG": ("png",), "WEBP": ("webp",)}
DOCUMENT_EXTENSIONS = ("pdf",)


def upload_kind(upload) -> str:
    """Return "photo" or "document" for an accepted file; raise ValidationError otherwise.

    The content is read, not trusted from the name or the browser's content type: a PDF starts
    with %PDF-, an image must open with Pillow as JPEG, PNG or WebP.
    """
    limit = settings.TERREAU_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        if extension not in DOCUMENT_EXTENSIONS:
            raise ValidationError(_("A PDF file must end in .pdf."), code="extension")
        return DOCUMENT
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        image_format = None
    finally:
        upload.seek(0)
    if image_format in IMAGE_FORMATS:
        if extension not in IMAGE_FORMATS[image_format]:
            raise ValidationError(
                _("The file's name does not match its content (%(format)s).")
                % {"format": image_format},
                code="extension",
            )
        return PHOTO
    raise ValidationError(
        _("Only PDF documents and JPEG, PNG or WebP images are accepted."), code="file_type"
    )
