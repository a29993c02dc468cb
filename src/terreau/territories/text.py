"""Text normalisation for searching place names: no accents, no case, no punctuation.

Pure Python, no Django import: "Liévin" → "lievin", "Sailly-lez-Lannoy" → "sailly lez lannoy",
"St-Omer" → "saint omer", "L'Orée de Mormal" → "l oree de mormal", "Œuilly" → "oeuilly".
"""

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—'’`_.,/]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    words = [word for word in _SEPARATORS.split(text) if word]
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)
