"""Checks on uploaded files, by content: what a file claims to be, it must be, all through.

Shared by the apps that take files from people (the observatory's contributions, the library's
attachments, the events' outputs, which take PDF documents only). The API, kept stable:

- `validate_upload(upload, *, documents=DOCUMENT_EXTENSIONS) -> "image" | "document"`: raises
  a ValidationError (codes `file_size`, `file_type`, `image_pixels`) unless the file is
  - an image (JPEG, PNG, WebP) that decodes entirely within `TERREAU_UPLOAD_MAX_PIXELS`;
  - a PDF that pypdf parses, with at least one page and no encryption;
  - a DOCX or ODT whose zip is bounded (`ZIP_MAX_ENTRIES` entries,
    `TERREAU_UPLOAD_MAX_EXPANDED_BYTES` once expanded), whose XML parts parse without a DTD
    (defusedxml) and whose declared content types match the document (a zip holding the two
    expected names with HTML inside is refused);
  and its extension matches what it is.
- `clean_upload(upload, *, documents=...) -> (kind, File)`: the same checks, then the file to
  store: images re-encoded (what follows the picture — HTML, a script — and the metadata are
  dropped; the EXIF orientation is applied), every file under an unguessable name
  (`random_name`) that keeps only its extension.
- `validate_new_upload(value)`: the model-field validator (`validators=[validate_new_upload]`):
  checks a file that has just been uploaded and swaps it for `clean_upload`'s file.
- `zip_is_bounded(archive)`, `xml_is_safe(stream)`: the zip and XML checks, for other readers
  of office files (the observatory's XLSX import).
- `random_name(name) -> str`: 32 hex characters and the lower-cased extension.
- `protected_file_response(field_file, *, download_name="")`: serves a stored file from a view
  that has checked the permission (X-Accel-Redirect to nginx when
  `TERREAU_MEDIA_ACCEL_REDIRECT` is set, else streamed by Django); for files that must not be
  reachable under /media/ (contributions awaiting moderation).

The size limit is the TERREAU_UPLOAD_MAX_BYTES setting.
"""

import io
import mimetypes
import secrets
import threading
import warnings
import zipfile
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}
DOCUMENT_EXTENSIONS = frozenset({".pdf", ".docx", ".odt"})
PDF_ONLY = frozenset({".pdf"})
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
ODF_OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
ODF_MANIFEST_NS = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
ZIP_MAX_ENTRIES = 2_000
_STRICT_DECODING = threading.Lock()
IMAGE = "image"
DOCUMENT = "document"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def random_name(name: str) -> str:
    """An unguessable file name that keeps only the (lower-cased) extension of `name`."""
    extension = _extension(name)
    if not extension[1:].isalnum() or len(extension) > 6:
        extension = ""
    return secrets.token_hex(16) + extension


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


# --- documents ---------------------------------------------------------------------------


def _root_tag(data: bytes) -> str | None:
    """The tag of an XML part's root element, or None when it is not XML or declares a DTD
    (defusedxml: no entity expansion, no external reference)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    try:
        for _event, element in iterparse(io.BytesIO(data), events=("start",), forbid_dtd=True):
            return element.tag
    except (DefusedXmlException, ParseError, ValueError, UnicodeError):
        return None
    return None


def xml_is_safe(stream) -> bool:
    """Whether an XML stream is well-formed up to its root element and declares no DTD (a
    DTD is where entity bombs and external references live); reads no further than the root."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    try:
        for _event, _element in iterparse(stream, events=("start",), forbid_dtd=True):
            return True
    except (DefusedXmlException, ParseError, ValueError, UnicodeError):
        return False
    return False


def _xml_parse(data: bytes):
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        return fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ParseError, ValueError, UnicodeError):
        return None


def zip_is_bounded(archive: zipfile.ZipFile) -> bool:
    """Whether a zip's entries are few enough and expand to a bounded size (the declared sizes
    bound what zipfile decompresses: a lying entry fails its CRC check)."""
    entries = archive.infolist()
    limit = _setting("TERREAU_UPLOAD_MAX_EXPANDED_BYTES", 50 * 1024 * 1024)
    return len(entries) <= ZIP_MAX_ENTRIES and sum(entry.file_size for entry in entries) <= limit


def _docx_is_consistent(archive: zipfile.ZipFile) -> bool:
    types = _xml_parse(archive.read("[Content_Types].xml"))
    if types is None or types.tag != f"{CONTENT_TYPES_NS}Types":
        return False
    declared = {
        element.get("PartName", "").lstrip("/"): element.get("ContentType", "")
        for element in types.iter(f"{CONTENT_TYPES_NS}Override")
    }
    main = next((name for name, kind in declared.items() if kind == DOCX_MAIN), None)
    if main is None or main not in archive.namelist():
        return False
    return _root_tag(archive.read(main)) == f"{WORD_NS}document"


def _odt_is_consistent(archive: zipfile.ZipFile) -> bool:
    if archive.read("mimetype").strip() != ODT_MIMETYPE:
        return False
    names = set(archive.namelist())
    if not {"content.xml", "META-INF/manifest.xml"} <= names:
        return False
    manifest = _xml_parse(archive.read("META-INF/manifest.xml"))
    if manifest is None or manifest.tag != f"{ODF_MANIFEST_NS}manifest":
        return False
    root_entry = [
        entry
        for entry in manifest.iter(f"{ODF_MANIFEST_NS}file-entry")
        if entry.get(f"{ODF_MANIFEST_NS}full-path") == "/"
    ]
    if not root_entry or root_entry[0].get(f"{ODF_MANIFEST_NS}media-type") != ODT_MIMETYPE.decode():
        return False
    return _root_tag(archive.read("content.xml")) == f"{ODF_OFFICE_NS}document-content"


def _pdf_is_readable(upload) -> bool:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            return False
        return len(reader.pages) >= 1 and reader.pages[0].mediabox.width > 0
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, OSError, RecursionError):
        return False
    finally:
        upload.seek(0)


def _document_kind(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return ".pdf" if _pdf_is_readable(upload) else None
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            if not zip_is_bounded(archive):
                return None
            names = set(archive.namelist())
            if "mimetype" in names:
                return ".odt" if _odt_is_consistent(archive) else None
            if "[Content_Types].xml" in names:
                return ".docx" if _docx_is_consistent(archive) else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError, EOFError):
        return None
    finally:
        upload.seek(0)
    return None


# --- images ------------------------------------------------------------------------------


def _max_pixels() -> int:
    return _setting("TERREAU_UPLOAD_MAX_PIXELS", 40_000_000)


def _open_image(upload):
    """The decoded image, or None; raises ValidationError when it has too many pixels."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():  # our own limit, below Pillow's, decides
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload)
        width, height = image.size
        if width * height > _max_pixels():
            raise ValidationError(
                _("This image is too large (%(width)s × %(height)s pixels); the limit is %(limit)s "
                  "megapixels.")
                % {"width": width, "height": height, "limit": _max_pixels() // 1_000_000},
                code="image_pixels",
            )  # fmt: skip
        if image.format not in IMAGE_FORMATS:
            return None
        # Decode it all: a truncated or corrupt picture fails here. WeasyPrint turns Pillow's
        # LOAD_TRUNCATED_IMAGES on for the whole process when imported; uploads keep it off.
        with _STRICT_DECODING:
            lenient = ImageFile.LOAD_TRUNCATED_IMAGES
            ImageFile.LOAD_TRUNCATED_IMAGES = False
            try:
                image.load()
            finally:
                ImageFile.LOAD_TRUNCATED_IMAGES = lenient
        return image
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)


def _reencoded(image) -> bytes:
    image_format = image.format
    picture = ImageOps.exif_transpose(image)
    if image_format == "JPEG" and picture.mode not in {"RGB", "L", "CMYK"}:
        picture = picture.convert("RGB")
    elif image_format in {"PNG", "WEBP"} and picture.mode not in {"RGB", "RGBA", "L", "LA", "P"}:
        picture = picture.convert("RGBA")
    buffer = io.BytesIO()
    options = {"quality": 90} if image_format in {"JPEG", "WEBP"} else {}
    picture.save(buffer, image_format, **options)
    return buffer.getvalue()


# --- the API -----------------------------------------------------------------------------


def _check_size(upload) -> None:
    limit = settings.TERREAU_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_size",
        )


def _checked(upload, documents):
    """(kind, decoded image or None)."""
    _check_size(upload)
    extension = _extension(upload.name or "")
    image = _open_image(upload)
    if image is not None:
        if extension not in IMAGE_FORMATS[image.format]:
            _refuse(documents)
        return IMAGE, image
    if extension in documents and _document_kind(upload) == extension:
        return DOCUMENT, None
    _refuse(documents)


def validate_upload(upload, *, documents=DOCUMENT_EXTENSIONS) -> str:
    """Return "image" or "document", or raise ValidationError with a French-ready message.

    The content decides, not the name: a PDF renamed .png is refused, and so is a PNG renamed
    .pdf (the extension must match what the file is). `documents`: the document types taken
    (DOCUMENT_EXTENSIONS, or PDF_ONLY).
    """
    kind, _image = _checked(upload, documents)
    return kind


def clean_upload(upload, *, documents=DOCUMENT_EXTENSIONS) -> tuple[str, ContentFile]:
    """Check an upload and return (kind, the file to store): images re-encoded, every file
    under an unguessable name."""
    kind, image = _checked(upload, documents)
    name = random_name(upload.name or "")
    if image is not None:
        return kind, ContentFile(_reencoded(image), name=name)
    upload.seek(0)
    content = ContentFile(upload.read(), name=name)
    upload.seek(0)
    return kind, content


def validate_new_upload(value) -> None:
    """Model-field validator: check a file that has just been uploaded, and store the checked
    copy (re-encoded image, unguessable name) instead of what was sent.

    A file already in storage was checked when it came in; it is not read again each time the
    object is saved (and a missing file on disk does not block editing the other fields).
    """
    if not value or getattr(value, "_committed", True):
        return
    _kind, cleaned = clean_upload(value.file)
    value.file = cleaned
    value.name = cleaned.name


def protected_file_response(
    field_file,
    *,
    download_name: str = "",
    content_type: str | None = None,
    as_attachment: bool | None = None,
) -> HttpResponse:
    """Serve a stored file from a view that has checked who may see it (404 when the file is
    missing from the storage).

    With TERREAU_MEDIA_ACCEL_REDIRECT (e.g. "/media-protected/"), nginx sends the file from an
    `internal` location (deploy/nginx.conf) and no application server is held by a download;
    otherwise Django streams it. Either way the answer is private and never cached by a shared
    cache. `download_name` names the file (an attachment unless `as_attachment=False`).
    """
    if as_attachment is None:
        as_attachment = bool(download_name)
    content_type = (
        content_type or mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    )
    prefix = getattr(settings, "TERREAU_MEDIA_ACCEL_REDIRECT", "")
    if prefix:
        if not field_file.name or not field_file.storage.exists(field_file.name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        # Percent-encoded (nginx decodes it): a kept original name may hold spaces or accents,
        # which a header cannot carry as they are.
        response["X-Accel-Redirect"] = quote(prefix.rstrip("/") + "/" + field_file.name)
        if download_name or as_attachment:
            response["Content-Disposition"] = content_disposition_header(
                as_attachment, download_name or field_file.name.rsplit("/", 1)[-1]
            )
    else:
        try:
            handle = field_file.open("rb")
        except (FileNotFoundError, ValueError):  # gone from the storage, or no file at all
            raise Http404 from None
        response = FileResponse(
            handle,
            content_type=content_type,
            as_attachment=as_attachment,
            filename=download_name or None,
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # A sandboxed document runs nothing; browsers' PDF viewers refuse to open in one, so a PDF
    # shown in the page gets the rest of the policy only (its viewer runs no page script).
    shown_pdf = content_type == "application/pdf" and not as_attachment
    response["Content-Security-Policy"] = "default-src 'none'" + ("" if shown_pdf else "; sandbox")
    return response
