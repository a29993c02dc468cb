"""Accent- and case-insensitive text search that behaves the same on SQLite and PostgreSQL.

Searchable models keep a `search_text` column holding `normalise(...)` of their searchable
fields; a query is normalised the same way and each of its words must occur in that column
(`search_text__contains`), which is a plain LIKE on both databases. No Django import here.
"""

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_NON_WORD = re.compile(r"[\W_]+")
MAX_WORDS = 8


def normalise(*parts: str | None) -> str:
    """Lower-case, unaccented words separated by single spaces ("Lens-Liévin" -> "lens lievin")."""
    text = " ".join(part for part in parts if part).lower().translate(_LIGATURES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_NON_WORD.sub(" ", text).split())


def search_words(query: str | None) -> list[str]:
    """The distinct words of a query, normalised, at most MAX_WORDS of them."""
    words: list[str] = []
    for word in normalise(query).split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]
