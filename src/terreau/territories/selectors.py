"""Reads of the territories app, for its pages and for other apps.

Other apps use:

- `commune_search(query, limit=10)`: communes whose name contains the query, accent-, case- and
  punctuation-insensitive ("lievin" finds Liévin, "st omer" finds Saint-Omer), or whose INSEE or
  postal code starts with it ("6251", "62800"); exact names first, then names starting with the
  query, then larger communes. Also accepts the labels it produces, "Liévin (62)".
- `commune_resolve(text)`: the one commune that a typed value designates (INSEE code, "Name (dept)",
  "Name (INSEE)", a name or postal code that only one commune has), or an error code
  ("invalid" / "ambiguous"). `territories.forms.CommuneChoiceField` is built on it.
- `department_outlines_geojson(codes=None)`: a GeoJSON FeatureCollection of the départements'
  simplified outlines (properties: code, name, url), served at `territories:outlines`.
- `zone_commune_queryset(zone)`: every commune of a zone (listed communes and communes of its
  listed départements), for filtering other apps' records by zone.
- `commune_sections(commune)`: the commune page's sections contributed by other apps; an app
  adds one by defining `<app>/commune_page.py` with `section(commune) -> dict | None`
  (keys: key, title, items — objects with get_absolute_url —, url, count, empty).
"""

import re

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from terreau.core.app_modules import app_modules

from . import geometry
from .models import Commune, Department, Zone
from .text import normalize

MAX_SEARCH_RESULTS = 50
INSEE_PATTERN = re.compile(r"^(\d[\dAB]|97)\d{3}$", re.IGNORECASE)
LABEL_PATTERN = re.compile(r"^(?P<name>.+?)\s*\((?P<code>[0-9][0-9AB]\d{0,3})\)$", re.IGNORECASE)


def _communes() -> QuerySet[Commune]:
    # The département's outline is heavy JSON that lists never show.
    return Commune.objects.select_related("department").defer("department__outline")


def commune_search(query: str, limit: int = 10) -> list[Commune]:
    """Communes matching a typed query (see the module docstring), best matches first."""
    # PostgreSQL text cannot hold NUL characters: drop them rather than fail.
    query = (query or "").replace("\x00", "").strip()
    limit = max(1, min(int(limit), MAX_SEARCH_RESULTS))
    if not query:
        return []
    communes = _communes()
    label = LABEL_PATTERN.match(query)
    if label:
        code = label["code"].upper()
        communes = communes.filter(Q(department_id=code) if len(code) <= 3 else Q(insee=code))
        query = label["name"]
    compact = query.replace(" ", "")
    if compact.isdigit() or INSEE_PATTERN.match(compact):
        compact = compact.upper()
        return list(
            communes.filter(
                Q(insee__startswith=compact)
                | Q(postal_codes__startswith=compact)
                | Q(postal_codes__contains="," + compact)
            )
            .annotate(
                rank=Case(
                    When(insee=compact, then=Value(0)),
                    When(insee__startswith=compact, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", Coalesce("population", 0).desc(), "name")[:limit]
        )
    words = normalize(query)
    if not words:
        return []
    return list(
        communes.filter(search_name__contains=words)
        .annotate(
            rank=Case(
                When(search_name=words, then=Value(0)),
                When(search_name__startswith=words, then=Value(1)),
                When(search_name__contains=" " + words, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", Coalesce("population", 0).desc(), "name")[:limit]
    )


def commune_resolve(text: str) -> tuple[Commune | None, str | None]:
    """(commune, None) when the text designates exactly one commune, else (None, error code):
    "invalid" when none does, "ambiguous" when several do. Empty text gives (None, None)."""
    text = (text or "").replace("\x00", "").strip()
    if not text:
        return None, None
    communes = _communes()
    compact = text.replace(" ", "").upper()
    if INSEE_PATTERN.match(compact):
        commune = communes.filter(insee=compact).first()
        if commune:
            return commune, None
    candidates: list[Commune]
    label = LABEL_PATTERN.match(text)
    if label:
        code = label["code"].upper()
        if len(code) == 5:
            candidates = list(communes.filter(insee=code))
            if not candidates:
                candidates = list(
                    communes.filter(search_name=normalize(label["name"])).filter(
                        Q(postal_codes__startswith=code) | Q(postal_codes__contains="," + code)
                    )
                )
        else:
            candidates = list(
                communes.filter(department_id=code, search_name=normalize(label["name"]))
            )
    elif compact.isdigit() and len(compact) == 5:
        candidates = list(
            communes.filter(
                Q(postal_codes__startswith=compact) | Q(postal_codes__contains="," + compact)
            )
        )
    else:
        candidates = list(communes.filter(search_name=normalize(text))[:2])
    if len(candidates) == 1:
        return candidates[0], None
    return None, ("ambiguous" if candidates else "invalid")


def department_list(region_code: str | None = None) -> QuerySet[Department]:
    """Départements with their number of communes and population, by region then code."""
    departments = Department.objects.select_related("region").annotate(
        commune_count=Count("communes"), population=Sum("communes__population")
    )
    if region_code:
        departments = departments.filter(region_id=region_code)
    return departments.order_by("region__name", "code")


def department_detail(code: str) -> Department | None:
    return department_list().filter(code=code).first()


def zone_commune_queryset(zone: Zone) -> QuerySet[Commune]:
    """The communes of a zone: those it lists and those of the départements it lists."""
    listed = Zone.communes.through.objects.filter(zone=zone).values("commune_id")
    departments = Zone.departments.through.objects.filter(zone=zone).values("department_id")
    return Commune.objects.filter(Q(insee__in=listed) | Q(department_id__in=departments))


def zone_list() -> QuerySet[Zone]:
    """Zones with their départements prefetched, their number of communes and population
    (listed communes plus the communes of listed départements, each counted once)."""
    through = Zone.communes.through
    department_through = Zone.departments.through
    in_listed_department = department_through.objects.filter(
        zone_id=OuterRef("zone_id"), department_id=OuterRef("commune__department_id")
    )
    listed = (
        through.objects.filter(zone_id=OuterRef("pk"))
        .exclude(Exists(in_listed_department))
        .order_by()
        .values("zone_id")
    )
    by_department = (
        Commune.objects.filter(
            department_id__in=department_through.objects.filter(
                zone_id=OuterRef(OuterRef("pk"))
            ).values("department_id")
        )
        .order_by()
        .annotate(group=Value(1))
        .values("group")
    )
    # The page shows the sums (communes listed one by one plus those of whole départements).
    return Zone.objects.prefetch_related("departments").annotate(
        listed_count=Coalesce(Subquery(listed.annotate(n=Count("pk")).values("n")), 0),
        listed_population=Coalesce(
            Subquery(listed.annotate(p=Sum("commune__population")).values("p")), 0
        ),
        department_commune_count=Coalesce(
            Subquery(by_department.annotate(n=Count("pk")).values("n")), 0
        ),
        department_population=Coalesce(
            Subquery(by_department.annotate(p=Sum("population")).values("p")), 0
        ),
        commune_count=F("listed_count") + F("department_commune_count"),
        population=F("listed_population") + F("department_population"),
    )


def zone_detail(slug: str) -> Zone | None:
    return zone_list().filter(slug=slug).first()


def zone_map(zone: Zone):
    """An SVG map of a zone: the outlines of the départements it touches, a dot per commune."""
    located = zone_commune_queryset(zone).exclude(latitude=None).exclude(longitude=None)
    points = list(located.values_list("longitude", "latitude"))
    codes = set(located.values_list("department_id", flat=True).distinct())
    codes |= set(zone.departments.values_list("code", flat=True))
    departments = list(Department.objects.filter(code__in=codes).order_by("code"))
    return department_map(departments, points=points)


def commune_list(
    *, query: str = "", department: Department | None = None, zone: Zone | None = None
) -> QuerySet[Commune]:
    """Communes by name, with département and EPCI, filtered by name or code when queried."""
    communes = Commune.objects.select_related("department", "epci").defer("department__outline")
    if department is not None:
        communes = communes.filter(department=department)
    if zone is not None:
        communes = communes.filter(pk__in=zone_commune_queryset(zone).values("pk"))
    query = (query or "").strip()
    if query:
        compact = query.replace(" ", "").upper()
        words = normalize(query)
        condition = Q(insee__startswith=compact) | Q(postal_codes__contains=compact)
        if words:
            condition |= Q(search_name__contains=words)
        communes = communes.filter(condition)
    return communes.order_by("search_name", "insee")


def commune_detail(insee: str) -> Commune | None:
    return Commune.objects.select_related("department__region", "epci").filter(insee=insee).first()


def commune_zones(commune: Commune) -> list[Zone]:
    """The zones a commune belongs to, directly or through its département."""
    return list(
        Zone.objects.filter(Q(communes=commune) | Q(departments=commune.department_id))
        .distinct()
        .order_by("name")
    )


def commune_sections(commune: Commune) -> list[dict]:
    """Sections other apps add to a commune's page (see the module docstring)."""
    sections = []
    for module in app_modules("commune_page"):
        section = module.section(commune)
        if section:
            sections.append(section)
    return sections


def department_outlines_geojson(codes=None) -> dict:
    """The départements' outlines as a GeoJSON FeatureCollection (all, or the given codes)."""
    departments = Department.objects.filter(outline__isnull=False).order_by("code")
    if codes:
        departments = departments.filter(code__in=list(codes))
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "code": department.code,
                    "name": department.name,
                    "url": department.get_absolute_url(),
                },
                "geometry": department.outline,
            }
            for department in departments
        ],
    }


def department_map(
    departments, highlight: str | None = None, point=None, width: int = 480, points=()
):
    """An SVG map (no JavaScript, no tiles) of départements' outlines: {"width", "height",
    "shapes": [{"code", "name", "url", "path", "current"}], "x", "y", "dots"} or None."""
    shapes = {d.code: d.outline["coordinates"] for d in departments if d.outline}
    projected = geometry.svg_layers(shapes, point=point, width=width, points=points)
    if projected is None:
        return None
    by_code = {d.code: d for d in departments}
    projected["shapes"] = [
        {
            "code": code,
            "name": by_code[code].name,
            "url": by_code[code].get_absolute_url(),
            "path": path,
            "current": code == highlight,
        }
        for code, path in projected.pop("paths").items()
    ]
    return projected
