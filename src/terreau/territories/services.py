"""Writes of the territories app: loading a region's geography, saving named zones.

    territories_load(payload=fixture.read("32"))   # idempotent bulk load of a region
    zone_save(slug="est", name="Est", communes=[...])

Staff edit zones in the Django admin; these services serve the loaders (commands, demo data).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Commune, Department, Epci, Region, Zone
from .text import normalize

COMMUNE_COLUMNS = ("name", "department_id", "epci_id", "postal_codes", "population", "latitude",
                   "longitude", "search_name")  # fmt: skip


@dataclass
class LoadResult:
    region: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    stale: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = []
        for model in ("departments", "epcis", "communes"):
            parts.append(
                f"{model}: {self.created.get(model, 0)} created, {self.updated.get(model, 0)} "
                f"updated, {self.unchanged.get(model, 0)} unchanged"
            )
        text = f"Region {self.region}: " + "; ".join(parts) + "."
        if self.stale:
            text += f" {len(self.stale)} communes of the database are no longer in the fixture."
        return text


def _upsert(model, rows: dict, columns: tuple[str, ...], result: LoadResult, key: str) -> None:
    """Create missing rows and update changed ones; rows maps primary key → column values."""
    existing = {
        values[0]: values[1:]
        for values in model.objects.filter(pk__in=list(rows)).values_list("pk", *columns)
    }
    new = [model(pk=pk, **dict(zip(columns, values, strict=True))) for pk, values in rows.items()
           if pk not in existing]  # fmt: skip
    changed = [
        model(pk=pk, **dict(zip(columns, values, strict=True)))
        for pk, values in rows.items()
        if pk in existing and tuple(existing[pk]) != tuple(values)
    ]
    model.objects.bulk_create(new, batch_size=500)
    model.objects.bulk_update(changed, list(columns), batch_size=500)
    result.created[key] = len(new)
    result.updated[key] = len(changed)
    result.unchanged[key] = len(rows) - len(new) - len(changed)


def territories_load(*, payload: dict) -> LoadResult:
    """Create or update a region, its départements (with outlines), EPCI and communes from a
    fixture payload (`terreau.territories.fixture.read`). Idempotent: a second run writes nothing.

    Communes that are in the database but no longer in the fixture (merged since) are kept, as
    other records may point to them, and reported in `LoadResult.stale`. Zones are not touched.
    Side effects: none besides the rows.
    """
    fields = payload["commune_fields"]
    index = {name: fields.index(name) for name in fields}
    region_code = payload["region"]["code"]
    result = LoadResult(region=region_code)
    departments = {item["code"] for item in payload["departments"]}
    epcis = {item["siren"] for item in payload["epcis"]}
    for values in payload["communes"]:
        if values[index["department"]] not in departments:
            raise ValidationError({"communes": f"{values[0]}: unknown département."})
        if values[index["epci"]] is not None and values[index["epci"]] not in epcis:
            raise ValidationError({"communes": f"{values[0]}: unknown EPCI."})
    with transaction.atomic():
        region, created = Region.objects.get_or_create(
            code=region_code, defaults={"name": payload["region"]["name"]}
        )
        if not created and region.name != payload["region"]["name"]:
            region.name = payload["region"]["name"]
            region.save(update_fields=["name"])
        _upsert(
            Department,
            {
                item["code"]: (item["name"], region_code, item.get("outline"))
                for item in payload["departments"]
            },
            ("name", "region_id", "outline"),
            result,
            "departments",
        )
        _upsert(
            Epci,
            {item["siren"]: (item["name"], item["kind"]) for item in payload["epcis"]},
            ("name", "kind"),
            result,
            "epcis",
        )
        rows = {}
        for values in payload["communes"]:
            rows[values[index["insee"]]] = (
                values[index["name"]],
                values[index["department"]],
                values[index["epci"]],
                values[index["postal_codes"]] or "",
                values[index["population"]],
                values[index["latitude"]],
                values[index["longitude"]],
                normalize(values[index["name"]]),
            )
        _upsert(Commune, rows, COMMUNE_COLUMNS, result, "communes")
        result.stale = sorted(
            Commune.objects.filter(department_id__in=departments)
            .exclude(insee__in=list(rows))
            .values_list("insee", flat=True)
        )
    return result


def zone_save(
    *,
    slug: str,
    name: str,
    description: str = "",
    departments=(),
    communes=(),
) -> Zone:
    """Create or update the zone with this slug and set its départements and communes.
    Side effects: none besides the rows."""
    with transaction.atomic():
        zone = Zone.objects.filter(slug=slug).first() or Zone(slug=slug)
        zone.name = name
        zone.description = description
        zone.full_clean()
        zone.save()
        zone.departments.set(departments)
        zone.communes.set(communes)
    return zone
