"""Place names normalised for searching."""

import pytest

from terreau.territories.text import normalize


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Liévin", "lievin"),
        ("Sailly-lez-Lannoy", "sailly lez lannoy"),
        ("St-Omer", "saint omer"),
        ("L'Orée de Mormal", "l oree de mormal"),
        ("Œuilly", "oeuilly"),
        ("  ÉTOUVIE  ", "etouvie"),
        ("", ""),
    ],
)
def test_names_lose_accents_case_and_punctuation(name, expected):
    assert normalize(name) == expected
