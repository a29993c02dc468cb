"""Loading a region's geography and saving zones."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from terreau.territories import fixture
from terreau.territories.models import Commune, Department, Epci, Region, Zone
from terreau.territories.services import territories_load, zone_save


def test_loading_creates_the_region_departements_epci_and_communes(db, tiny_payload):
    result = territories_load(payload=tiny_payload)
    assert result.created == {"departments": 2, "epcis": 2, "communes": 4}
    assert Region.objects.get().name == "Hauts-de-France"
    lievin = Commune.objects.select_related("epci", "department").get(insee="62510")
    assert (lievin.name, lievin.search_name, lievin.department.name) == (
        "Liévin", "lievin", "Pas-de-Calais"
    )  # fmt: skip
    assert lievin.epci.kind == Epci.Kind.AGGLOMERATION
    assert (lievin.population, lievin.latitude, lievin.longitude) == (30063, 50.4243, 2.7729)
    assert Commune.objects.get(insee="62569").epci is None
    assert Department.objects.get(code="59").outline["type"] == "MultiPolygon"


def test_loading_twice_writes_nothing_the_second_time(db, tiny_payload):
    territories_load(payload=tiny_payload)
    with CaptureQueriesContext(connection) as queries:
        result = territories_load(payload=tiny_payload)
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert result.created == {"departments": 0, "epcis": 0, "communes": 0}
    assert result.updated == {"departments": 0, "epcis": 0, "communes": 0}
    assert result.unchanged == {"departments": 2, "epcis": 2, "communes": 4}
    assert Commune.objects.count() == 4


def test_loading_a_new_fixture_updates_changed_rows_and_reports_vanished_communes(db, tiny_payload):
    territories_load(payload=tiny_payload)
    tiny_payload["communes"][2][5] = 31000  # Liévin's new population
    del tiny_payload["communes"][3]
    result = territories_load(payload=tiny_payload)
    assert result.updated["communes"] == 1 and result.unchanged["communes"] == 2
    assert Commune.objects.get(insee="62510").population == 31000
    assert result.stale == ["62569"]
    assert Commune.objects.filter(insee="62569").exists()  # kept: others may point to it
    assert "1 communes of the database are no longer in the fixture" in result.summary()


def test_a_commune_of_an_unknown_departement_is_refused_and_nothing_is_saved(db, tiny_payload):
    tiny_payload["communes"][0][2] = "60"
    with pytest.raises(ValidationError):
        territories_load(payload=tiny_payload)
    assert not Commune.objects.exists() and not Region.objects.exists()


def test_the_whole_region_loads_with_the_command(db):
    # Timing is measured in bench/territories_load.py, not asserted here.
    call_command("load_territories", region=["32"], stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Commune.objects.count() == 3782
    assert Department.objects.count() == 5
    assert Commune.objects.get(insee="59522").name == "Sailly-lez-Lannoy"


def test_an_unknown_region_gives_a_command_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No fixture for region 11"):
        call_command("load_territories", region=["11"])


def test_saving_a_zone_creates_then_updates_it(tiny_region):
    zone = zone_save(slug="est", name="Est", communes=["59350", "59522"])
    assert sorted(zone.communes.values_list("insee", flat=True)) == ["59350", "59522"]
    zone = zone_save(slug="est", name="Est du Nord", departments=["59"], communes=[])
    assert Zone.objects.get().name == "Est du Nord"
    assert list(zone.departments.values_list("code", flat=True)) == ["59"]
    assert not zone.communes.exists()


def test_a_zone_without_a_name_is_refused(tiny_region):
    with pytest.raises(ValidationError) as error:
        zone_save(slug="vide", name="")
    assert "name" in error.value.message_dict


def test_the_shipped_fixture_matches_the_region_read_by_the_loader():
    payload = fixture.read("32")
    assert payload["commune_fields"] == fixture.COMMUNE_FIELDS


def test_a_region_built_elsewhere_loads_from_its_directory(db, tmp_path, tiny_payload):
    collection = {"type": "FeatureCollection", "features": []}
    tiny_payload["region"] = {"code": "99", "name": "Test"}
    fixture.write(tiny_payload, collection, tmp_path)
    call_command("load_territories", directory=tmp_path, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Region.objects.get().code == "99"
    assert Commune.objects.count() == 4
