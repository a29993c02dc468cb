"""Fixtures of the territories tests: a tiny fixture payload shaped like the shipped one."""

import copy

import pytest

TINY_PAYLOAD = {
    "format": 1,
    "sources": {},
    "region": {"code": "32", "name": "Hauts-de-France"},
    "departments": [
        {"code": "59", "name": "Nord", "outline": {"type": "MultiPolygon", "coordinates": [
            [[[2.5, 50.0], [3.5, 50.0], [3.5, 51.0], [2.5, 51.0], [2.5, 50.0]]]]}},
        {"code": "62", "name": "Pas-de-Calais", "outline": {"type": "MultiPolygon", "coordinates": [
            [[[1.5, 50.0], [2.5, 50.0], [2.5, 51.0], [1.5, 51.0], [1.5, 50.0]]]]}},
    ],
    "epcis": [
        {"siren": "200093201", "name": "Métropole Européenne de Lille", "kind": "MET"},
        {"siren": "246200364", "name": "CA de Lens - Liévin", "kind": "CA"},
    ],
    "commune_fields": ["insee", "name", "department", "epci", "postal_codes", "population",
                       "latitude", "longitude"],
    "communes": [
        ["59350", "Lille", "59", "200093201", "59000,59160,59260,59777,59800", 238246, 50.632,
         3.0468],
        ["59522", "Sailly-lez-Lannoy", "59", "200093201", "59390", 1923, 50.6457, 3.2275],
        ["62510", "Liévin", "62", "246200364", "62800", 30063, 50.4243, 2.7729],
        ["62569", "Merck-Saint-Liévin", "62", None, "62560", 636, 50.6298, 2.1098],
    ],
}  # fmt: skip


@pytest.fixture
def tiny_payload():
    return copy.deepcopy(TINY_PAYLOAD)


@pytest.fixture
def tiny_region(db, tiny_payload):
    from terreau.territories.services import territories_load

    territories_load(payload=tiny_payload)
    return tiny_payload
