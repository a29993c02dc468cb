"""The pure modules: French typography, passage anchoring, three-way merge, EPUB writing."""

import datetime as dt
import io
import xml.dom.minidom
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from terreau.worksites import anchoring, epub, merge
from terreau.worksites.typography import NBSP, NNBSP, french_html, french_text


def test_spaces_before_high_punctuation_become_non_breaking():
    assert french_text("Quoi ? Oui ! Non ; voici : tout") == (
        f"Quoi{NNBSP}? Oui{NNBSP}! Non{NNBSP}; voici{NBSP}: tout"
    )


def test_missing_space_is_added_before_punctuation_and_inside_guillemets():
    assert french_text("Vraiment?") == f"Vraiment{NNBSP}?"
    assert french_text("«oui»") == f"«{NBSP}oui{NBSP}»"
    assert french_text("« oui »") == f"«{NBSP}oui{NBSP}»"


def test_times_urls_and_entities_are_left_alone():
    html = '<p>À 19:00 sur <a href="https://x.fr/?q=1">https://x.fr/?q=1</a> &amp; après</p>'
    assert french_html(html) == html


def test_code_is_left_alone_and_tags_untouched():
    html = "<p>Titre : <code>a : b ?</code> fin ?</p>"
    assert french_html(html) == f"<p>Titre{NBSP}: <code>a : b ?</code> fin{NNBSP}?</p>"


@given(st.text(alphabet="ab «»;:!? <>&/", max_size=40))
def test_typography_never_loses_a_visible_character(text):
    def visible(value):
        return value.replace(" ", "").replace(NBSP, "").replace(NNBSP, "")

    assert visible(french_text(text)) == visible(text)


def test_a_passage_is_found_where_it_moved():
    text = "Intro ajoutée. Une parole collective se construit."
    anchor = anchoring.locate(text, "parole collective", start=4)
    assert text[anchor.start : anchor.end] == "parole collective"


def test_the_nearest_occurrence_wins_and_a_gone_passage_is_none():
    text = "oui non oui non oui"
    assert anchoring.locate(text, "oui", start=9).start == 8
    assert anchoring.locate(text, "peut-être", start=0) is None


def test_merge_keeps_both_sides_when_they_change_different_lines():
    result = merge.merge3("a\nb\nc\nd", "a\nB\nc\nd", "a\nb\nc\nD")
    assert result.text == "a\nB\nc\nD"
    assert result.is_clean


def test_merge_marks_a_passage_changed_on_both_sides():
    result = merge.merge3("a\nb\nc", "a\nX\nc", "a\nY\nc", theirs_label="eux", yours_label="vous")
    assert result.conflicts == 1
    assert result.text.splitlines() == [
        "a",
        "<<<<<<< eux",
        "X",
        "=======",
        "Y",
        ">>>>>>> vous",
        "c",
    ]
    assert merge.has_markers(result.text)


def test_merge_of_identical_edits_is_clean():
    result = merge.merge3("a\nb", "a\nZ", "a\nZ")
    assert result.text == "a\nZ" and result.is_clean


@given(
    st.lists(st.sampled_from("abcde"), max_size=6),
    st.lists(st.sampled_from("abcxy"), max_size=6),
)
def test_merging_with_an_unchanged_side_gives_the_other(base, other):
    base_text, other_text = "\n".join(base), "\n".join(other)
    assert merge.merge3(base_text, base_text, other_text).text == other_text
    assert merge.merge3(base_text, other_text, base_text).text == other_text


def test_epub_container_rules():
    data = epub.write_epub(
        identifier="urn:uuid:1",
        title="Titre & co",
        language="fr",
        modified=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        documents=[
            epub.Document("c1.xhtml", "Chapitre 1", "<p>Un<br/>deux</p>", landmark="bodymatter")
        ],
        stylesheet="body{}",
        creators=["Espace"],
        rights="CC BY-SA",
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/epub+zip"
    assert not first.extra
    opf = xml.dom.minidom.parseString(archive.read("EPUB/package.opf"))
    package = opf.documentElement
    assert package.getAttribute("unique-identifier") == "pub-id"
    assert opf.getElementsByTagName("dc:identifier")[0].getAttribute("id") == "pub-id"
    modified = [
        m
        for m in opf.getElementsByTagName("meta")
        if m.getAttribute("property") == "dcterms:modified"
    ]
    assert modified[0].firstChild.data == "2026-01-02T03:04:05Z"
    nav_items = [
        i for i in opf.getElementsByTagName("item") if i.getAttribute("properties") == "nav"
    ]
    assert nav_items[0].getAttribute("href") == "nav.xhtml"
    for name in archive.namelist():
        if name.endswith((".xhtml", ".opf", ".xml")):
            xml.dom.minidom.parseString(archive.read(name))
