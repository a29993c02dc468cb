"""Small real files for upload tests: a PDF that parses, a DOCX and an ODT whose parts agree."""

import io
import zipfile

from PIL import Image


def pdf_bytes(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(fmt: str = "PNG", size=(4, 4), noise: bool = False) -> bytes:
    buffer = io.BytesIO()
    image = (
        Image.effect_noise(size, 64).convert("RGB") if noise else Image.new("RGB", size, "green")
    )
    image.save(buffer, fmt)
    return buffer.getvalue()


def zip_bytes(entries: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Compte rendu</w:t></w:r></w:p></w:body></w:document>"
)
ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'
)


def docx_bytes(document: str = DOCX_DOCUMENT, **extra) -> bytes:
    return zip_bytes(
        {"[Content_Types].xml": DOCX_CONTENT_TYPES, "word/document.xml": document, **extra}
    )


def odt_bytes(content: str = ODT_CONTENT) -> bytes:
    return zip_bytes(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "META-INF/manifest.xml": ODT_MANIFEST,
            "content.xml": content,
        }
    )
