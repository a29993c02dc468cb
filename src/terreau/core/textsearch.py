"""French text normalisation for full-text search: accents, case, stop words, stems, excerpts.

Pure Python (no Django). The SQLite search index stores `index_text(...)` of each document in an
FTS5 table and queries it with `fts5_query(query_terms(...))`; PostgreSQL does the same work in
its `french_unaccent` text search configuration (unaccent, then the Snowball French stemmer), so
both databases find "participative" for "participatif" and "élus" for "elus". The stemmer is the
Snowball French algorithm (the `snowballstemmer` package), the one PostgreSQL's `french_stem` uses.
"""

import html
import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

# Words made of letters and digits ("_" is not a word character here).
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
# A query keeps its first words only: a 10,000-character query stays cheap on both databases.
MAX_QUERY_TERMS = 24
# Ligatures that Unicode decomposition keeps (PostgreSQL's unaccent rules expand them too).
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})

# PostgreSQL's french.stop list (the Snowball French stop words), without accents.
STOP_WORDS = frozenset(
    [
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "ils",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "c",
        "d",
        "j",
        "l",
        "a",
        "m",
        "n",
        "s",
        "t",
        "y",
        "ete",
        "etee",
        "etees",
        "etes",
        "etant",
        "etante",
        "etants",
        "etantes",
        "suis",
        "es",
        "est",
        "sommes",
        "etes",
        "sont",
        "serai",
        "seras",
        "sera",
        "serons",
        "serez",
        "seront",
        "serais",
        "serait",
        "serions",
        "seriez",
        "seraient",
        "etais",
        "etait",
        "etions",
        "etiez",
        "etaient",
        "fus",
        "fut",
        "fumes",
        "futes",
        "furent",
        "sois",
        "soit",
        "soyons",
        "soyez",
        "soient",
        "fusse",
        "fusses",
        "fut",
        "fussions",
        "fussiez",
        "fussent",
        "ayant",
        "ayante",
        "ayantes",
        "ayants",
        "eu",
        "eue",
        "eues",
        "eus",
        "ai",
        "as",
        "avons",
        "avez",
        "ont",
        "aurai",
        "auras",
        "aura",
        "aurons",
        "aurez",
        "auront",
        "aurais",
        "aurait",
        "aurions",
        "auriez",
        "auraient",
        "avais",
        "avait",
        "avions",
        "aviez",
        "avaient",
        "eut",
        "eumes",
        "eutes",
        "eurent",
        "aie",
        "aies",
        "ait",
        "ayons",
        "ayez",
        "aient",
        "eusse",
        "eusses",
        "eut",
        "eussions",
        "eussiez",
        "eussent",
    ]
)

_local = threading.local()


def unaccent(text: str) -> str:
    """Remove diacritics ("élus" → "elus") and expand ligatures ("œuvre" → "oeuvre")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The words of a text, lower-cased and without accents."""
    return WORD_RE.findall(unaccent(text or "").lower())


def _stemmer():
    # Snowball stemmer objects keep state between calls: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return stemmer


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The French stem of a lower-cased, unaccented word ("participative" → "particip")."""
    return _stemmer().stemWord(word)


def index_text(text: str | None) -> str:
    """A document as the search index stores it: its stems, separated by spaces."""
    return " ".join(stem(word) for word in words(text or "") if word not in STOP_WORDS)


def query_words(query: str | None) -> list[str]:
    """The searchable words of a query (no stop words, no duplicates, MAX_QUERY_TERMS at most)."""
    found: list[str] = []
    for word in words((query or "")[:2000]):
        if word not in STOP_WORDS and word not in found:
            found.append(word)
        if len(found) == MAX_QUERY_TERMS:
            break
    return found


def query_terms(query: str | None) -> list[str]:
    """The stems a document must all contain to match the query."""
    terms: list[str] = []
    for word in query_words(query):
        term = stem(word)
        if term not in terms:
            terms.append(term)
    return terms


def fts5_query(terms: list[str]) -> str:
    """An SQLite FTS5 query requiring every term. Each term is quoted, so no input can be read
    as FTS5 syntax (terms hold letters and digits only)."""
    return " ".join(f'"{term}"' for term in terms)


def highlight(text: str | None, terms: list[str], *, length: int = 260) -> str:
    """An HTML-escaped excerpt of `text` around the first matching word, matches in <mark>.

    Empty when no word of the text matches one of the stems.
    """
    text = text or ""
    wanted = set(terms)
    matches = [
        match for match in WORD_RE.finditer(text) if stem(unaccent(match.group()).lower()) in wanted
    ]
    if not matches:
        return ""
    first = matches[0].start()
    start = max(0, first - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > matches[0].end() else end
    parts = ["…" if start else ""]
    position = start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        parts.append(html.escape(text[position : match.start()]))
        parts.append(f"<mark>{html.escape(match.group())}</mark>")
        position = match.end()
    parts.append(html.escape(text[position:end]))
    parts.append("…" if end < len(text) else "")
    return "".join(parts)


_MARKDOWN_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_#`~|]+|^\s*>+", re.MULTILINE)


def strip_markdown(text: str | None) -> str:
    """A cheap plain-text view of Markdown for excerpts (links keep their text)."""
    return re.sub(r"\s+", " ", _MARKDOWN_RE.sub(lambda m: m.group(1) or " ", text or "")).strip()
