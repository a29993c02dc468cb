# ruff: noqa: E501 - XML namespaces and content types are long single tokens
"""The seeds' attachments rebuilt as real files for the demo: the 2015 worksite's invitation
(PDF) and registration form (DOCX), the Liévin day's programme (PDF), the 2013 call (PDF) and
its application form (DOCX). Texts are the seeds' own; PDFs drawn with WeasyPrint, DOCX
written as the few XML parts a word processor needs."""

import io
import zipfile
from xml.sax.saxutils import escape

from terreau.core.markdown import render_markdown

PDF_CSS = """
@page { size: A4; margin: 2cm; @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #1f2a1f; }
h1 { font-size: 18pt; color: #1f4d2b; margin: 0 0 .4cm; }
h2 { font-size: 13pt; color: #1f4d2b; margin: .5cm 0 .2cm; }
.kicker { font-size: 9pt; text-transform: uppercase; letter-spacing: .05em; color: #4a5a4a; }
"""

WORKSITE_INVITATION = """
<p class="kicker">Espace de coopération entre acteurs et chercheurs en démocratie participative</p>
<h1>Invitation — Chantier coopératif 2015-2016</h1>
<p><strong>« Initiatives citoyennes permettant de favoriser l'implication de tous dans le débat
public »</strong>, d'octobre 2015 à janvier 2016.</p>
<p>Trois initiatives citoyennes ont été choisies pour favoriser les échanges. Au cours de trois
soirées, elles seront présentées et discutées en croisant les regards des participants : élus et
agents territoriaux, militants associatifs et citoyens, universitaires. Un compte-rendu sera
coproduit et retourné à chacun ; une journée de mutualisation conclura le chantier.</p>
<h2>Les trois soirées, de 19h à 21h30</h2>
<ul>
<li><strong>Mardi 13 octobre</strong> : « l'expression en assemblée populaire », expérience portée
par le centre socio-culturel du quartier Etouvie à Amiens.</li>
<li><strong>Jeudi 5 novembre</strong> : « les habitants dans le projet urbain », expérience portée
par le collectif BW friches du quartier de Fives à Lille.</li>
<li><strong>Mardi 1er décembre</strong> : « comment développer le pouvoir d'agir ? », expérience
portée par l'Association des centres sociaux de la région de Valenciennes.</li>
</ul>
<h2>S'inscrire</h2>
<p>Retournez le bulletin d'inscription joint. Une présentation plus complète des expériences et
des modalités d'organisation des trois ateliers sera envoyée aux personnes inscrites.</p>
"""

WORKSITE_FORM = (
    "Bulletin d'inscription au chantier coopératif",
    [
        "Chantier coopératif « Initiatives citoyennes permettant de favoriser l'implication de "
        "tous dans le débat public » (octobre 2015 – janvier 2016)",
        "Nom : ………………………………   Prénom : ………………………………",
        "Structure : ………………………………   Fonction : ………………………………",
        "Adresse e-mail : ………………………………   Téléphone : ………………………………",
        "Je participerai aux soirées (de 19h à 21h30) :",
        "☐ mardi 13 octobre — l'expression en assemblée populaire (Etouvie, Amiens)",
        "☐ jeudi 5 novembre — les habitants dans le projet urbain (Fives, Lille)",
        "☐ mardi 1er décembre — comment développer le pouvoir d'agir ? (Valenciennois)",
        "☐ à la journée de mutualisation qui conclura le chantier",
    ],
)

CALL_FORM = (
    "Formulaire de candidature — groupes d'échanges de pratiques de démocratie participative",
    [
        "Conseil régional Nord-Pas de Calais — à retourner avant le 29 mars.",
        "La structure",
        "Nom et type de la structure (collectivité locale, association…) : ………………………………",
        "La structure autorise le candidat à participer au groupe sur son temps de travail et à "
        "y être assidu : ☐ oui",
        "Le candidat",
        "Nom, prénom, fonction : ………………………………",
        "L'expérience ou la pratique que vous portez : ………………………………",
        "Pourquoi souhaitez-vous vous inscrire dans un travail collectif d'analyse comparée des "
        "pratiques ? ………………………………",
        "La pratique",
        "Objet traité, public visé, modalités d'animation : ………………………………",
        "Groupe souhaité : ☐ Est  ☐ Ouest",
    ],
)


def pdf_from_html(body: str, *, title: str) -> bytes:
    from weasyprint import CSS, HTML

    from terreau.events.documents.pdf import weasyprint_tools

    url_fetcher, font_config = weasyprint_tools()
    html = f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{escape(title)}</title></head><body>{body}</body></html>'
    return HTML(string=html, url_fetcher=url_fetcher).write_pdf(
        stylesheets=[CSS(string=PDF_CSS, font_config=font_config)], font_config=font_config
    )


def pdf_from_markdown(text: str, *, title: str) -> bytes:
    return pdf_from_html(f"<h1>{escape(title)}</h1>{render_markdown(text)}", title=title)


def docx(title: str, paragraphs: list[str]) -> bytes:
    """A minimal Word document: a title and paragraphs."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def paragraph(text: str, *, bold: bool = False) -> str:
        run_props = "<w:rPr><w:b/><w:sz w:val='32'/></w:rPr>" if bold else ""
        return f"<w:p><w:r>{run_props}<w:t xml:space='preserve'>{escape(text)}</w:t></w:r></w:p>"

    body = paragraph(title, bold=True) + "".join(paragraph(text) for text in paragraphs)
    parts = {
        "[Content_Types].xml": (
            "<?xml version='1.0' encoding='UTF-8'?>"
            "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'>"
            "<Default Extension='rels' ContentType='application/vnd.openxmlformats-package.relationships+xml'/>"
            "<Default Extension='xml' ContentType='application/xml'/>"
            "<Override PartName='/word/document.xml' ContentType='application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'/>"
            "</Types>"
        ),
        "_rels/.rels": (
            "<?xml version='1.0' encoding='UTF-8'?>"
            "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
            "<Relationship Id='rId1' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument' Target='word/document.xml'/>"
            "</Relationships>"
        ),
        "word/document.xml": (
            f"<?xml version='1.0' encoding='UTF-8'?><w:document xmlns:w='{ns}'><w:body>"
            f"{body}</w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()
