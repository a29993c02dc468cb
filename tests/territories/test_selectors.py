"""Reads other apps rely on: commune search and resolution, zones, outlines."""

import pytest

from terreau.territories import selectors
from terreau.territories.models import Commune
from terreau.territories.services import zone_save

from .factories import CommuneFactory, DepartmentFactory


def names(communes):
    return [commune.name for commune in communes]


@pytest.mark.parametrize("query", ["lievin", "LIÉVIN", "Liévin", " liev", "Liévin (62)"])
def test_searching_ignores_accents_and_case_and_puts_the_best_match_first(tiny_region, query):
    assert names(selectors.commune_search(query))[0] == "Liévin"


def test_searching_finds_names_containing_the_words_after_better_matches(tiny_region):
    assert names(selectors.commune_search("lievin")) == ["Liévin", "Merck-Saint-Liévin"]
    assert names(selectors.commune_search("lez lannoy")) == ["Sailly-lez-Lannoy"]
    assert names(selectors.commune_search("sailly-lez-lannoy")) == ["Sailly-lez-Lannoy"]


def test_searching_by_code_matches_the_start_of_insee_and_postal_codes(tiny_region):
    assert names(selectors.commune_search("62510")) == ["Liévin"]
    assert names(selectors.commune_search("625")) == ["Liévin", "Merck-Saint-Liévin"]
    assert names(selectors.commune_search("59777")) == ["Lille"]  # a secondary postal code
    assert names(selectors.commune_search("593")) == ["Lille", "Sailly-lez-Lannoy"]


def test_searching_nothing_or_unknown_gives_nothing_and_the_limit_is_respected(tiny_region):
    assert selectors.commune_search("") == []
    assert selectors.commune_search("  ") == []
    assert selectors.commune_search("'--") == []
    assert selectors.commune_search("zzz") == []
    assert len(selectors.commune_search("l", limit=1)) == 1
    assert len(selectors.commune_search("l", limit=0)) == 1


@pytest.mark.parametrize(
    "text", ["62510", "Liévin (62)", "lievin (62)", "Liévin (62510)", "Liévin", "62800", "LIEVIN"]
)
def test_resolving_a_typed_value_finds_the_one_commune(tiny_region, text):
    commune, error = selectors.commune_resolve(text)
    assert (commune.insee, error) == ("62510", None)


def test_resolving_reports_unknown_and_ambiguous_values(tiny_region):
    CommuneFactory(insee="59999", name="Liévin", department=DepartmentFactory(code="59"))
    assert selectors.commune_resolve("")[1] is None
    assert selectors.commune_resolve("Paris")[1] == "invalid"
    assert selectors.commune_resolve("Liévin (80)")[1] == "invalid"
    assert selectors.commune_resolve("99999")[1] == "invalid"
    assert selectors.commune_resolve("Liévin")[1] == "ambiguous"
    assert selectors.commune_resolve("Liévin (59)")[0].insee == "59999"


def test_a_zone_holds_its_communes_and_the_communes_of_its_departements(tiny_region):
    zone = zone_save(slug="mix", name="Mix", departments=["59"], communes=["62510", "59350"])
    assert sorted(selectors.zone_commune_queryset(zone).values_list("insee", flat=True)) == [
        "59350", "59522", "62510"
    ]  # fmt: skip
    listed = selectors.zone_detail("mix")
    # Lille is listed and in Nord: counted once.
    assert listed.listed_count + listed.department_commune_count == 3
    assert listed.listed_population + listed.department_population == 238246 + 1923 + 30063
    assert selectors.commune_zones(Commune.objects.get(insee="59522")) == [zone]


def test_departements_are_listed_with_their_number_of_communes_and_population(tiny_region):
    nord, pas_de_calais = selectors.department_list("32")
    assert (nord.code, nord.commune_count, nord.population) == ("59", 2, 240169)
    assert (pas_de_calais.commune_count, pas_de_calais.population) == (2, 30699)


def test_commune_lists_filter_by_departement_zone_and_query(tiny_region):
    nord = selectors.department_detail("59")
    assert names(selectors.commune_list(department=nord)) == ["Lille", "Sailly-lez-Lannoy"]
    assert names(selectors.commune_list(query="LIEVIN")) == ["Liévin", "Merck-Saint-Liévin"]
    assert names(selectors.commune_list(query="62560")) == ["Merck-Saint-Liévin"]
    zone = zone_save(slug="z", name="Z", communes=["62510"])
    assert names(selectors.commune_list(zone=zone)) == ["Liévin"]


def test_outlines_are_a_geojson_feature_collection(tiny_region):
    collection = selectors.department_outlines_geojson()
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in collection["features"]] == ["59", "62"]
    assert collection["features"][0]["properties"]["url"] == "/territoires/departements/59/"
    only = selectors.department_outlines_geojson(["62"])
    assert [f["properties"]["name"] for f in only["features"]] == ["Pas-de-Calais"]


def test_an_svg_map_highlights_the_departement_and_places_the_commune(tiny_region):
    departments = list(selectors.department_list())
    svg = selectors.department_map(departments, highlight="62", point=(2.7729, 50.4243))
    assert [(s["code"], s["current"]) for s in svg["shapes"]] == [("59", False), ("62", True)]
    assert 0 < svg["x"] < svg["width"] and 0 < svg["y"] < svg["height"]


def test_other_apps_add_sections_to_the_commune_page(tiny_region, monkeypatch):
    class Module:
        @staticmethod
        def section(commune):
            return {"key": "orgs", "title": f"Organisations in {commune.name}", "items": []}

    class Silent:
        @staticmethod
        def section(commune):
            return None

    monkeypatch.setattr(selectors, "app_modules", lambda name: [Module, Silent])
    sections = selectors.commune_sections(Commune.objects.get(insee="62510"))
    assert [s["title"] for s in sections] == ["Organisations in Liévin"]
