"""Text and cover of documents, run as a child process with time and memory limits, so that a
hostile file (a zip bomb, a PDF that loops) costs a child its life and never the worker. No
Django here.

`python -m terreau.library.extract_child --serve`: the worker's reused child (extraction.py),
one JSON request a line on stdin ({"path", "cover_path", "cpu_seconds"}), one JSON answer a line
on stdout: {"text": ..., "cover": true|false} or {"error": ...}. Before each document its CPU
limit is set to what it has used plus that document's allowance.
`python -m terreau.library.extract_child PATH COVER_PATH`: one document, one answer.
"""

import json
import os
import re
import resource
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


def extract_one(path: str, cover_path: str) -> dict:
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
            return {"error": "not a document"}
    except Exception as error:  # noqa: BLE001 - any failure (MemoryError too) is a refusal
        return {"error": f"{type(error).__name__}: {error}"[:300]}
    return {"text": re.sub(r"[ \t\x00]+", " ", text)[:MAX_TEXT], "cover": cover}


def serve() -> int:
    # The answers go to a private copy of stdout; what a library prints goes to stderr.
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    for line in sys.stdin:
        request = json.loads(line)
        used = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
        allowance = int(used) + 1 + int(request["cpu_seconds"])
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        if hard != resource.RLIM_INFINITY:
            allowance = min(allowance, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (allowance, hard))  # SIGXCPU past it: dead
        answers.write(json.dumps(extract_one(request["path"], request["cover_path"])) + "\n")
        answers.flush()
    return 0


def main(argv: list[str]) -> int:
    if argv[1:2] == ["--serve"]:
        return serve()
    print(json.dumps(extract_one(argv[1], argv[2])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
