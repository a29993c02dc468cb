"""Text and cover of one document, run as a child process with time and memory limits
(`python -m terreau.library.extract_child PATH COVER_PATH`), so that a hostile file (a zip
bomb, a PDF that loops) costs a child its life and never the worker. No Django here.

Prints one JSON object: {"text": ..., "cover": true|false} or {"error": ...}.
"""

import json
import re
import sys
import zipfile
from xml.etree import ElementTree

MAX_TEXT = 1_000_000  # characters kept
MAX_PAGES = 300
MAX_XML_BYTES = 30 * 1024 * 1024  # uncompressed size of the one XML part read
MAX_RATIO = 200  # compressed → uncompressed


def _xml_text(archive: zipfile.ZipFile, name: str) -> str:
    info = archive.getinfo(name)
    if info.file_size > MAX_XML_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise ValueError("archive part too large (zip bomb?)")
    with archive.open(info) as handle:
        data = handle.read(MAX_XML_BYTES + 1)
    if len(data) > MAX_XML_BYTES:
        raise ValueError("archive part too large")
    if b"<!DOCTYPE" in data[:2000] or b"<!ENTITY" in data:
        raise ValueError("XML entities are not accepted")
    root = ElementTree.fromstring(data)
    paragraphs = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in {"p", "h"}:  # w:p (DOCX), text:p / text:h (ODT)
            paragraphs.append("".join(element.itertext()))
    return "\n".join(paragraph for paragraph in paragraphs if paragraph.strip())


def docx_text(path: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return _xml_text(archive, "word/document.xml")


def odt_text(path: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return _xml_text(archive, "content.xml")


def pdf_text(path: str) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    parts, length = [], 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
        if length > MAX_TEXT:
            break
    return "\n".join(parts)


def pdf_cover(path: str, cover_path: str, width: int = 480) -> bool:
    try:
        import pypdfium2
    except ImportError:
        return False
    document = pypdfium2.PdfDocument(path)
    try:
        if len(document) == 0:
            return False
        page = document[0]
        page_width = page.get_width() or 1
        image = page.render(scale=min(2.0, width / page_width)).to_pil()
        image.thumbnail((width, width * 2))
        image.convert("RGB").save(cover_path, "PNG", optimize=True)
        return True
    finally:
        document.close()


def main(argv: list[str]) -> int:
    path, cover_path = argv[1], argv[2]
    kind = path.rsplit(".", 1)[-1].lower()
    try:
        if kind == "pdf":
            text = pdf_text(path)
            cover = pdf_cover(path, cover_path) if cover_path else False
        elif kind == "docx":
            text, cover = docx_text(path), False
        elif kind == "odt":
            text, cover = odt_text(path), False
        else:
            print(json.dumps({"error": "not a document"}))
            return 0
    except Exception as error:  # noqa: BLE001 - any failure is a refusal, reported
        print(json.dumps({"error": f"{type(error).__name__}: {error}"[:300]}))
        return 0
    text = re.sub(r"[ \t\x00]+", " ", text)[:MAX_TEXT]
    print(json.dumps({"text": text, "cover": cover}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
