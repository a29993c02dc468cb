"""User-written Markdown: sanitised HTML, the same for a text however often it is rendered."""

from terreau.core import markdown


def test_scripts_and_unsafe_links_are_removed():
    html = markdown.render_markdown(
        "Bonjour <script>alert(1)</script> [lien](javascript:alert(1)) *toi*"
    )
    assert "<script" not in html
    assert "javascript:" not in html
    assert "<em>toi</em>" in html


def test_one_text_does_not_leak_into_the_next():
    first = markdown.render_markdown("Une note[^1].\n\n[^1]: La note de bas de page.")
    second = markdown.render_markdown("Un autre texte.")
    assert "La note de bas de page" in first
    assert second == "<p>Un autre texte.</p>"


def test_the_same_text_gives_the_same_html_cached_or_not():
    text = "## Titre\n\n- un\n- deux\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    assert markdown.render_markdown(text) == markdown.render_markdown(text)
    assert markdown.render_markdown(text) == markdown._to_safe_html(text)
    long_text = "mot " * (markdown.CACHED_LENGTH // 4 + 10)
    assert markdown.render_markdown(long_text).startswith("<p>mot mot")


def test_plain_text_of_markdown():
    assert markdown.markdown_to_text("**Gras** et [lien](https://irev.fr)") == "Gras et lien"
    assert markdown.markdown_to_text("") == ""
