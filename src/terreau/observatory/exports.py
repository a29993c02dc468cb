"""Open data: the published catalogue as CSV, JSON and GeoJSON, streamed in constant memory.

Columns are named after Participedia's case fields where one exists (docs/observatory-data.md
gives the mapping); many-valued columns hold slugs separated by " | ". The CSV export is also
the import format (terreau.observatory.imports reads it back unchanged).
"""

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from terreau.core.absolute import base_url

from .models import Initiative

LICENCE = "Licence Ouverte / Open Licence 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
SEPARATOR = " | "
CHUNK_SIZE = 500


@dataclass(frozen=True)
class Column:
    name: str  # the export's column name (Participedia's field name where there is one)
    field: str  # the Initiative field
    kind: str = "text"  # text, choice, date, int, bool, fk, m2m, derived

    @property
    def is_importable(self) -> bool:
        return self.kind != "derived"


COLUMNS = [
    Column("slug", "slug"),
    Column("title", "title"),
    Column("brief_description", "summary"),
    Column("description", "description"),
    Column("publication_state", "state", "derived"),
    Column("completeness", "completeness", "derived"),
    Column("status", "status", "choice"),
    Column("phase", "phase", "choice"),
    Column("start_date", "start_date", "date"),
    Column("end_date", "end_date", "date"),
    Column("time_limited", "time_frame", "choice"),
    Column("city_insee", "commune", "fk"),
    Column("city", "commune__name", "derived"),
    Column("province_insee", "department", "fk"),
    Column("latitude", "commune__latitude", "derived"),
    Column("longitude", "commune__longitude", "derived"),
    Column("scope_of_influence", "scale", "choice"),
    Column("is_priority_neighbourhood", "is_qpv", "bool"),
    Column("priority_neighbourhood", "qpv_name"),
    Column("general_issues", "themes", "m2m"),
    Column("specific_topics", "subject"),
    Column("primary_organizer", "lead_organisations", "m2m"),
    Column("partners", "partners", "m2m"),
    Column("targeted_participants", "target_publics", "m2m"),
    Column("method_types", "facilitation_formats", "m2m"),
    Column("public_spectrum", "participation_level", "choice"),
    Column("purposes", "purposes", "m2m"),
    Column("approaches", "approaches", "m2m"),
    Column("open_limited", "openness", "choice"),
    Column("recruitment_method", "recruitment_methods", "m2m"),
    Column("number_of_participants", "participant_count", "int"),
    Column("facetoface_online_or_both", "interaction_mode", "choice"),
    Column("facilitator_training", "has_trained_facilitators", "bool"),
    Column("decision_methods", "decision_method", "choice"),
    Column("if_voting", "voting_method", "choice"),
    Column("tools_techniques_types", "methods", "m2m"),
    Column("funder", "funding"),
    Column("funder_types", "funder_types", "m2m"),
    Column("organizer_types", "organiser_types", "m2m"),
    Column("legal_structure", "legal_structure", "choice"),
    Column("staff", "staff_count", "int"),
    Column("volunteers", "volunteer_count", "int"),
    Column("problems_and_purpose", "problems_purpose"),
    Column("background_history_and_context", "background"),
    Column("process_and_interaction", "process"),
    Column("influence_outcomes_and_effects", "outcomes"),
    Column("insights_outcomes", "outcomes_communication"),
    Column("strengths", "strengths"),
    Column("weaknesses", "weaknesses"),
    Column("analysis_and_lessons_learned", "lessons"),
    Column("impact_evidence", "impact_evidence"),
    Column("change_types", "change_types", "m2m"),
    Column("formal_evaluation", "has_formal_evaluation", "bool"),
    Column("links", "links", "derived"),
    Column("url", "get_absolute_url", "derived"),
    Column("published_at", "published_at", "derived"),
    Column("updated_at", "updated_at", "derived"),
    Column("licence", "licence", "derived"),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
M2M_FIELDS = [column.field for column in COLUMNS if column.kind == "m2m"]


def export_queryset(queryset: QuerySet) -> QuerySet:
    """The rows an export needs: related rows are fetched per chunk of CHUNK_SIZE, as plain
    lists (`export_<field>` attributes: no related manager per row and field)."""
    prefetches = [
        Prefetch(
            name,
            queryset=Initiative._meta.get_field(name).related_model._default_manager.only(
                "pk", "slug"
            ),
            to_attr=f"export_{name}",
        )
        for name in M2M_FIELDS
    ]
    return (
        queryset.select_related("commune", "department")
        .defer("department__outline")
        .prefetch_related(*prefetches, Prefetch("links", to_attr="export_links"))
        .order_by("pk")
    )


def _bool(value) -> str:
    return "" if value is None else ("true" if value else "false")


def _value(initiative: Initiative, column: Column, site_url: str):
    """A column's value as JSON-ready data (lists for many-valued fields)."""
    if column.kind == "m2m":
        return sorted(item.slug for item in getattr(initiative, f"export_{column.field}"))
    if column.kind == "fk":
        return getattr(initiative, f"{column.field}_id") or ""
    if column.kind == "date":
        value = getattr(initiative, column.field)
        return value.isoformat() if value else ""
    if column.kind == "int":
        return getattr(initiative, column.field)
    if column.kind == "bool":
        return getattr(initiative, column.field)
    if column.field == "commune__name":
        return initiative.commune.name if initiative.commune else ""
    if column.field in {"commune__latitude", "commune__longitude"}:
        if initiative.commune is None:
            return None
        return getattr(initiative.commune, column.field.split("__")[1])
    if column.field == "links":
        return [{"title": link.title, "url": link.url} for link in initiative.export_links]
    if column.field == "get_absolute_url":
        return site_url + _detail_url(initiative.slug)
    if column.field in {"published_at", "updated_at"}:
        value = getattr(initiative, column.field)
        return value.isoformat() if value else ""
    if column.field == "licence":
        return LICENCE
    return getattr(initiative, column.field) or ""


def _detail_url(slug: str) -> str:
    # One reverse() per export, not per row.
    return _DETAIL_URL.get().replace("__slug__", slug)


class _LazyUrl:
    value = ""

    def get(self) -> str:
        if not self.value:
            self.value = reverse("observatory:initiative_detail", kwargs={"slug": "__slug__"})
        return self.value


_DETAIL_URL = _LazyUrl()


def initiative_record(initiative: Initiative, site_url: str | None = None) -> dict:
    site_url = base_url() if site_url is None else site_url
    return {column.name: _value(initiative, column, site_url) for column in COLUMNS}


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _bool(value)
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return SEPARATOR.join(f"{item['title']} <{item['url']}>" for item in value)
        return SEPARATOR.join(value)
    return str(value)


class _Echo:
    """A file-like object whose write() returns what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def _records(queryset: QuerySet) -> Iterator[dict]:
    site_url = base_url()
    for initiative in export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE):
        yield initiative_record(initiative, site_url)


def csv_lines(queryset: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(COLUMN_NAMES)
    for record in _records(queryset):
        yield writer.writerow([_csv_cell(record[name]) for name in COLUMN_NAMES])


def json_chunks(queryset: QuerySet, *, source_url: str) -> Iterator[str]:
    head = {
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "source": source_url,
        "publisher": settings.SITE_NAME,
        "documentation": "docs/observatory-data.md",
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "initiatives": ['
    first = True
    for record in _records(queryset):
        yield ("" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "]}\n"


def geojson_chunks(queryset: QuerySet, *, source_url: str) -> Iterator[str]:
    head = {
        "type": "FeatureCollection",
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "source": source_url,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ['
    first = True
    located = queryset.filter(commune__latitude__isnull=False, commune__longitude__isnull=False)
    for record in _records(located):
        feature = {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [record["longitude"], record["latitude"]],
            },
            "properties": record,
        }
        yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}\n"


def stream(chunks: Iterable[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")
