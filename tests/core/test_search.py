"""Accent- and case-insensitive search text, the same on every database."""

from terreau.core.search import normalise, search_words


def test_normalise_removes_accents_case_and_punctuation():
    assert normalise("Communauté d'Agglomération Lens-Liévin") == (
        "communaute d agglomeration lens lievin"
    )


def test_normalise_spells_out_ligatures():
    assert normalise("ŒUVRE Cœur") == "oeuvre coeur"


def test_normalise_joins_parts_and_skips_empty_ones():
    assert normalise("Rémi", None, "", "LEFEBVRE") == "remi lefebvre"


def test_search_words_are_distinct_and_capped():
    assert search_words("Étouvie etouvie  AMIENS") == ["etouvie", "amiens"]
    assert len(search_words(" ".join(f"w{n}" for n in range(20)))) == 8
    assert search_words("  ... ") == []
