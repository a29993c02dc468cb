"""The readable diff (pure module)."""

from terreau.observatory.completeness import CORE_FIELDS, completeness_of
from terreau.observatory.diffing import diff_records, text_segments


def test_text_is_compared_word_by_word():
    segments = text_segments("Les habitants prennent la parole", "Les jeunes prennent la parole")
    assert ("delete", "habitants") in segments
    assert ("insert", "jeunes") in segments
    rebuilt_old = "".join(text for op, text in segments if op != "insert")
    rebuilt_new = "".join(text for op, text in segments if op != "delete")
    assert rebuilt_old == "Les habitants prennent la parole"
    assert rebuilt_new == "Les jeunes prennent la parole"


def test_lists_report_added_and_removed_items_and_values_old_and_new():
    changes = diff_records(
        {"themes": ["Jeunesse", "Numérique"], "scale": "Commune", "title": "A", "x": ""},
        {"themes": ["Numérique", "Friches"], "scale": "Région", "title": "A", "x": None},
        ["title", "scale", "themes", "x"],
        text_fields={"title"},
        list_fields={"themes"},
    )
    assert [change.name for change in changes] == ["scale", "themes"]
    scale, themes = changes
    assert (scale.kind, scale.old, scale.new) == ("value", "Commune", "Région")
    assert (themes.added, themes.removed) == (["Friches"], ["Jeunesse"])


def test_completeness_grows_with_the_core_fields():
    assert completeness_of({"title": "T"}) == "stub"
    half = dict.fromkeys(CORE_FIELDS[: len(CORE_FIELDS) // 2], "x")
    assert completeness_of(half) == "partial"
    full = {name: "x" for name in CORE_FIELDS if name != "commune_or_department"}
    assert completeness_of({**full, "department": "59"}) == "complete"


def test_related_initiatives_rank_by_shared_items_then_place_then_recency():
    from terreau.observatory.related import rank_related

    counts = [(1, "59", 1), (2, "62", 2), (3, "59", 1), (1, "59", 1), (4, "62", 1)]
    # 1: two shared + same département = 3; 2: 2; 3: 1 + 1 = 2 (newer id than 2); 4: 1.
    assert rank_related(counts, department_id="59", limit=3) == [1, 3, 2]
    assert rank_related(counts, department_id=None, limit=10) == [2, 1, 4, 3]
