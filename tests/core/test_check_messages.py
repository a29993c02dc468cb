"""The catalogue tool: English is the identity; stale or fuzzy strings are caught and mended."""

from terreau.core.check_messages import compile_catalogue, fill_english, problems

STALE_ENGLISH = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#, fuzzy
#| msgid "Registered on %(date)s"
msgid "Registered at %(time)s"
msgstr "Registered on %(date)s"

msgid "Programme"
msgstr ""
"""


def _catalogue(tmp_path, text):
    path = tmp_path / "en" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_stale_english_string_is_reported(tmp_path):
    path = _catalogue(tmp_path, STALE_ENGLISH.replace("#, fuzzy\n", ""))
    compile_catalogue(path)
    assert any("English differs from the source string" in line for line in problems(path))


def test_filling_english_replaces_fuzzy_guesses_instead_of_keeping_them(tmp_path):
    path = _catalogue(tmp_path, STALE_ENGLISH)
    fill_english(path)
    compile_catalogue(path)
    text = path.read_text(encoding="utf-8")
    assert 'msgstr "Registered at %(time)s"' in text
    assert "fuzzy" not in text
    assert 'msgstr "Programme"' in text
    assert problems(path) == []
