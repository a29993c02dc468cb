"""The Sortition Foundation's CSV formats and the select_panel command."""

import csv
import random

import pytest
from django.core.management import CommandError

from terreau.calls.management.commands.select_panel import Command
from terreau.calls.selection import Infeasible, Quota, draw
from terreau.calls.sortition_csv import (
    FormatError,
    read_pool,
    read_quotas,
    select_panel_files,
)

QUOTAS = "feature,value,min,max\ngender,female,2,3\ngender,male,2,3\nage,young,1,2\nage,old,1,4\n"


def pool_csv(size=14, seed=1):
    rng = random.Random(seed)
    lines = ["nationbuilder_id,first_name,gender,age"]
    for i in range(size):
        lines.append(
            f"{100 + i},Name{i},{rng.choice(['female', 'Male'])},{rng.choice(['young', 'old'])}"
        )
    return "\n".join(lines) + "\n"


def test_quota_formats():
    new = read_quotas(QUOTAS)
    assert new[0] == Quota("gender", "female", 2, 3)
    old = read_quotas("category,feature,min,max\ngender,female,2,3\n")
    assert old == [Quota("gender", "female", 2, 3)]
    older = read_quotas("category,name,min,max,min_flex,max_flex\ngender,female,2,3,0,5\n")
    assert older == [Quota("gender", "female", 2, 3)]
    semicolons = read_quotas("\ufefffeature;value;min;max\nzone;east;1;2\n")
    assert semicolons == [Quota("zone", "east", 1, 2)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("feature,value,min\ngender,female,2\n", "missing column"),
        ("feature,value,min,max\ngender,female,two,3\n", "row 2: min must be a whole number"),
        ("feature,value,min,max\ngender,female,4,3\n", "row 2: min must be between"),
        ("feature,value,min,max\ngender,,1,3\n", "row 2"),
        ("feature,value,min,max\ng,f,1,3\ng,f,1,2\n", "row 3: g = f appears twice"),
        ("feature,value,min,max\n", "no quota"),
    ],
)
def test_bad_quota_files(text, message):
    with pytest.raises(FormatError, match=message):
        read_quotas(text)


def test_pool_reading():
    quotas = read_quotas(QUOTAS)
    candidates = read_pool(pool_csv(), quotas)
    assert len(candidates) == 14
    assert candidates[0].id == "100"
    assert {c.features["gender"] for c in candidates} == {"female", "male"}  # case folded
    with pytest.raises(FormatError, match="no column for the feature 'age'"):
        read_pool("id,gender\n1,female\n", quotas)
    with pytest.raises(FormatError, match="appears twice"):
        read_pool("id,gender,age\n1,female,old\n1,male,old\n", quotas)
    no_ids = read_pool("gender,age\nfemale,old\nmale,young\n", quotas)
    assert [c.id for c in no_ids] == ["1", "2"]


def read(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def test_select_panel_files_writes_the_three_outputs(tmp_path):
    (tmp_path / "pool.csv").write_text(pool_csv())
    (tmp_path / "quotas.csv").write_text(QUOTAS)
    out = tmp_path / "out"
    selection = select_panel_files(
        tmp_path / "pool.csv", tmp_path / "quotas.csv", 5, "leximin", 42, out
    )
    probabilities = read(out / "probabilities.csv")
    assert sum(float(r["probability"]) for r in probabilities) == pytest.approx(5)
    panels = read(out / "panels.csv")
    assert sum(float(r["probability"]) for r in panels) == pytest.approx(1)
    panel = read(out / "panel.csv")
    chosen = [r["id"] for r in panel if r["status"] == "selected"]
    assert chosen == selection.panel and len(chosen) == 5
    assert len(panel) == 14
    # Anyone can re-run the draw from panels.csv and the seed.
    from terreau.calls.selection import Lottery

    published = Lottery(
        panels=[(frozenset(r["members"].split()), float(r["probability"])) for r in panels],
        marginals={},
    )
    assert draw(published, 42) == frozenset(chosen)


def test_merit_without_a_lottery(tmp_path):
    (tmp_path / "pool.csv").write_text(pool_csv())
    (tmp_path / "quotas.csv").write_text(QUOTAS)
    select_panel_files(tmp_path / "pool.csv", tmp_path / "quotas.csv", 5, "merit", None, tmp_path)
    assert (tmp_path / "panel.csv").exists() and not (tmp_path / "panels.csv").exists()


def test_infeasible_files_raise_the_explanation(tmp_path):
    (tmp_path / "pool.csv").write_text(pool_csv())
    (tmp_path / "quotas.csv").write_text("feature,value,min,max\ngender,female,9,9\n")
    with pytest.raises(Infeasible):
        select_panel_files(
            tmp_path / "pool.csv", tmp_path / "quotas.csv", 5, "leximin", 1, tmp_path
        )


def test_the_command(tmp_path, capsys):
    (tmp_path / "pool.csv").write_text(pool_csv())
    (tmp_path / "quotas.csv").write_text(QUOTAS)
    command = Command()
    parser = command.create_parser("terreau", "select_panel")
    argv = [
        "--pool",
        str(tmp_path / "pool.csv"),
        "--quotas",
        str(tmp_path / "quotas.csv"),
        "--seats",
        "5",
        "--method",
        "maximin",
        "--seed",
        "7",
        "--out",
        str(tmp_path / "o"),
    ]
    options = vars(parser.parse_args(argv))
    command.execute(**options)
    assert "Seed 7" in capsys.readouterr().out
    assert (tmp_path / "o" / "panels.csv").exists()
    (tmp_path / "quotas.csv").write_text("feature,value,min,max\ngender,female,9,9\n")
    with pytest.raises(CommandError, match="cannot be met"):
        command.execute(**options)
    (tmp_path / "quotas.csv").write_text("feature,value,min\n")
    with pytest.raises(CommandError, match="missing column"):
        command.execute(**options)
