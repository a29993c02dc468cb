"""Write an EPUB 3 with the standard library's zipfile, following EPUBCheck's rules for the
container, the package metadata and the navigation document. Pure module: fed XHTML
strings, no Django import."""

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


@dataclass
class Document:
    """A content document: file name (in EPUB/), title for the table of contents, XHTML body
    (inner HTML of <body>), and whether it is listed in the table of contents."""

    name: str
    title: str
    body: str
    in_toc: bool = True
    landmark: str = ""  # epub:type of a landmark (cover, bodymatter…)


def xhtml_page(*, title: str, body: str, language: str, stylesheet: str = "style.css") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'xml:lang="{language}" lang="{language}">\n'
        f'<head><meta charset="UTF-8"/><title>{escape(title)}</title>'
        f'<link rel="stylesheet" type="text/css" href="{stylesheet}"/></head>\n'
        f"<body>{body}</body>\n</html>\n"
    )


def nav_document(*, title: str, documents: list[Document], language: str, toc_title: str) -> str:
    items = "\n".join(
        f'<li><a href="{d.name}">{escape(d.title)}</a></li>' for d in documents if d.in_toc
    )
    landmarks = "\n".join(
        f'<li><a epub:type="{d.landmark}" href="{d.name}">{escape(d.title)}</a></li>'
        for d in documents
        if d.landmark
    )
    body = (
        f'<nav epub:type="toc" id="toc"><h1>{escape(toc_title)}</h1><ol>\n{items}\n</ol></nav>\n'
        + (
            f'<nav epub:type="landmarks" hidden="hidden"><ol>\n{landmarks}\n</ol></nav>'
            if landmarks
            else ""
        )
    )
    return xhtml_page(title=title, body=body, language=language)


def package_document(
    *,
    identifier: str,
    title: str,
    language: str,
    modified: dt.datetime,
    creators: list[str],
    publisher: str,
    rights: str,
    documents: list[Document],
    date: str = "",
) -> str:
    stamp = modified.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = [
        f'<dc:identifier id="pub-id">{escape(identifier)}</dc:identifier>',
        f"<dc:title>{escape(title)}</dc:title>",
        f"<dc:language>{escape(language)}</dc:language>",
        f'<meta property="dcterms:modified">{stamp}</meta>',
    ]
    meta += [f"<dc:creator>{escape(name)}</dc:creator>" for name in creators]
    if publisher:
        meta.append(f"<dc:publisher>{escape(publisher)}</dc:publisher>")
    if rights:
        meta.append(f"<dc:rights>{escape(rights)}</dc:rights>")
    if date:
        meta.append(f"<dc:date>{escape(date)}</dc:date>")
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ] + [
        f'<item id="doc-{index}" href={quoteattr(d.name)} media-type="application/xhtml+xml"/>'
        for index, d in enumerate(documents)
    ]
    spine = [f'<itemref idref="doc-{index}"/>' for index, _d in enumerate(documents)]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        f'unique-identifier="pub-id" xml:lang="{language}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n  '
        + "\n  ".join(meta)
        + "\n</metadata>\n<manifest>\n  "
        + "\n  ".join(manifest)
        + "\n</manifest>\n<spine>\n  "
        + "\n  ".join(spine)
        + "\n</spine>\n</package>\n"
    )


def write_epub(
    *,
    identifier: str,
    title: str,
    language: str,
    modified: dt.datetime,
    documents: list[Document],
    stylesheet: str,
    creators: list[str] = (),
    publisher: str = "",
    rights: str = "",
    toc_title: str = "Contents",
    date: str = "",
) -> bytes:
    """The EPUB file's bytes: `mimetype` first and stored, then the container, the package
    document, the navigation document, the stylesheet and the content documents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED
        )

        def add(name: str, text: str) -> None:
            archive.writestr(name, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)

        add("META-INF/container.xml", CONTAINER)
        add(
            "EPUB/package.opf",
            package_document(
                identifier=identifier,
                title=title,
                language=language,
                modified=modified,
                creators=list(creators),
                publisher=publisher,
                rights=rights,
                documents=documents,
                date=date,
            ),
        )
        add(
            "EPUB/nav.xhtml",
            nav_document(title=title, documents=documents, language=language, toc_title=toc_title),
        )
        add("EPUB/style.css", stylesheet)
        for document in documents:
            add(
                f"EPUB/{document.name}",
                xhtml_page(title=document.title, body=document.body, language=language),
            )
    return buffer.getvalue()
