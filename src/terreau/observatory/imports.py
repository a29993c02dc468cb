"""Import of initiatives from a CSV or XLSX file in the export's format (docs/observatory-data.md).

Reading and checking (`import_read`, `import_check`) change nothing: they give a preview with
per-row errors (row number, column, message). `initiative_import` then writes every row in one
transaction, through the revision service, or nothing at all when any row is invalid. Rows are
matched on `slug`: an existing initiative is updated (a new revision, only when something
changed), an unknown slug creates a published initiative.
"""

import csv
import datetime
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from terreau.core import uploads
from terreau.core.csv import csv_uncell
from terreau.core.forms import CONTROL_MESSAGE, MULTI_LINE_MAX_LENGTH, has_control_characters
from terreau.core.models import Theme
from terreau.directory.models import Organisation
from terreau.territories.models import Commune, Department

from . import models
from .exports import COLUMNS, SEPARATOR, Column
from .models import Initiative

REQUIRED = ("slug", "title", "brief_description")
# Rows per file: the preview and the check run in the request; a larger file is split.
MAX_ROWS = 5_000
LINK_RE = re.compile(r"^(?P<title>.*?)\s*<(?P<url>[^<>\s]+)>$")
TRUE = {"true", "1", "yes", "oui", "vrai"}
FALSE = {"false", "0", "no", "non", "faux"}
# Many-valued columns: the model their slugs name.
VOCABULARIES = {
    "themes": Theme,
    "lead_organisations": Organisation,
    "partners": Organisation,
    **{name: models.vocabulary_model(name) for name in models.INITIATIVE_VOCABULARIES[1:]},
}
IMPORTED = [column for column in COLUMNS if column.is_importable and column.field != "slug"]


@dataclass
class RowResult:
    number: int  # the row's number in the spreadsheet (the header is row 1)
    slug: str
    title: str
    action: str = ""  # create, update, unchanged
    errors: list[tuple[str, str]] = field(default_factory=list)
    data: dict = field(default_factory=dict)


@dataclass
class ImportPlan:
    rows: list[RowResult]
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # file-level problems

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors and not any(row.errors for row in self.rows)

    @property
    def invalid_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.errors]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_table(content: bytes) -> list[list[str]]:
    """The first sheet's cells, read as a stream (openpyxl's read-only mode, which parses with
    defusedxml once it is installed), at most MAX_ROWS + 1 rows. A workbook is first checked as
    the uploads are: a bounded zip whose XML parts declare no DTD."""
    from openpyxl import load_workbook

    unreadable = ValidationError(_("This file is not a readable XLSX workbook."), code="format")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if not uploads.zip_is_bounded(archive):
                raise ValidationError(_("This workbook is too large once expanded."), code="format")
            for entry in archive.infolist():
                if entry.filename.endswith((".xml", ".rels")):
                    with archive.open(entry) as stream:
                        if not uploads.xml_is_safe(stream):
                            raise ValidationError(
                                _("This workbook declares a DTD or holds malformed XML: it "
                                  "is refused."),
                                code="dtd",
                            )  # fmt: skip
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError):
        raise unreadable
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            table = [
                [_cell(value) for value in row] for row in itertools.islice(rows, MAX_ROWS + 2)
            ]
        finally:
            workbook.close()
    except ValidationError:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise unreadable
    return table


def import_read(file, name: str) -> list[dict]:
    """The rows of an uploaded CSV (UTF-8, comma or semicolon) or XLSX file, as dicts keyed by
    the header row. Raises ValidationError for a file that cannot be read."""
    content = file.read()
    if name.lower().endswith(".xlsx"):
        table = _xlsx_table(content)
    elif name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The CSV file must be encoded in UTF-8."), code="encoding")
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            table = list(itertools.islice(reader, MAX_ROWS + 2))
        except csv.Error as error:
            raise ValidationError(
                _("The CSV file cannot be read: %(error)s") % {"error": error}, code="format"
            )
    else:
        raise ValidationError(_("Choose a CSV or XLSX file."), code="type")
    table = [row for row in table if any(cell.strip() for cell in row)]
    if len(table) > MAX_ROWS + 1:
        raise ValidationError(
            _("At most %(count)s rows per file: split it.") % {"count": MAX_ROWS}, code="rows"
        )
    if not table:
        raise ValidationError(_("The file is empty."), code="empty")
    header = [cell.strip() for cell in table[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationError(
            _("Required columns are missing: %(columns)s") % {"columns": ", ".join(missing)},
            code="columns",
        )
    # csv_uncell: a cell the export protected against formulas ('=…) reads as it was written.
    return [
        {
            key: (csv_uncell(row[index].strip()) if index < len(row) else "")
            for index, key in enumerate(header)
        }
        for row in table[1:]
    ]


def _is_hostile(value: str) -> bool:
    """A cell no column takes: control characters, or longer than any text field."""
    return has_control_characters(value) or len(value) > MULTI_LINE_MAX_LENGTH


class Lookups:
    """Every referenced row, fetched once per model (a bounded number of queries)."""

    def __init__(self, rows: list[dict]):
        # Hostile cells are reported by row_to_snapshot; they never reach a query.
        rows = [
            {key: value for key, value in row.items() if not _is_hostile(value)} for row in rows
        ]
        wanted: dict = {}
        communes, departments = set(), set()
        for row in rows:
            for column in IMPORTED:
                if column.kind == "m2m":
                    model = VOCABULARIES[column.field]
                    wanted.setdefault(model, set()).update(_split(row.get(column.name, "")))
            communes.add(row.get("city_insee", ""))
            departments.add(row.get("province_insee", ""))
        self.slugs = {
            model: dict(model.objects.filter(slug__in=slugs).values_list("slug", "pk"))
            for model, slugs in wanted.items()
        }
        self.communes = dict(
            Commune.objects.filter(pk__in=communes - {""}).values_list("pk", "department_id")
        )
        self.departments = set(
            Department.objects.filter(pk__in=departments - {""}).values_list("pk", flat=True)
        )
        slugs = [row.get("slug", "") for row in rows]
        self.existing = {
            initiative.slug: initiative
            for initiative in Initiative.objects.filter(slug__in=slugs).prefetch_related(
                "links", *VOCABULARIES
            )
        }


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(SEPARATOR.strip()) if part.strip()]


def _parse(column: Column, raw: str, lookups: Lookups):
    """The snapshot value of one cell; raises ValueError with the message for the user."""
    model_field = Initiative._meta.get_field(column.field)
    if column.kind == "m2m":
        model = VOCABULARIES[column.field]
        known = lookups.slugs.get(model, {})
        unknown = [slug for slug in _split(raw) if slug not in known]
        if unknown:
            raise ValueError(_("Unknown identifiers: %(values)s") % {"values": ", ".join(unknown)})
        return sorted({known[slug] for slug in _split(raw)})
    if not raw:
        if column.kind in {"int", "date", "bool", "fk"}:
            return False if column.field == "is_qpv" else None
        return ""
    if column.kind == "choice":
        allowed = [value for value, _label in model_field.choices]
        if raw not in allowed:
            raise ValueError(
                _("“%(value)s” is not one of: %(allowed)s")
                % {"value": raw, "allowed": ", ".join(allowed)}
            )
        return raw
    if column.kind == "date":
        try:
            return datetime.date.fromisoformat(raw).isoformat()
        except ValueError:
            raise ValueError(_("Write the date as YYYY-MM-DD."))
    if column.kind == "int":
        if not raw.isdigit():
            raise ValueError(_("Write a whole number."))
        return int(raw)
    if column.kind == "bool":
        if raw.lower() in TRUE:
            return True
        if raw.lower() in FALSE:
            return False
        raise ValueError(_("Write true or false."))
    if column.kind == "fk":
        if column.field == "commune":
            if raw not in lookups.communes:
                raise ValueError(_("Unknown commune INSEE code."))
            return raw
        if raw not in lookups.departments:
            raise ValueError(_("Unknown département code."))
        return raw
    max_length = getattr(model_field, "max_length", None)
    if max_length and len(raw) > max_length:
        raise ValueError(
            _("%(count)s characters at most (this one has %(length)s).")
            % {"count": max_length, "length": len(raw)}
        )
    return raw


def _links(raw: str) -> list[dict]:
    links = []
    for part in raw.split(SEPARATOR) if raw else []:
        match = LINK_RE.match(part.strip())
        if not match:
            raise ValueError(_("Write each link as: title <https://address>."))
        url = match.group("url")
        if not url.startswith(("http://", "https://")):
            raise ValueError(_("Links must start with http:// or https://."))
        links.append({"title": match.group("title")[:200], "url": url})
    return links


def row_to_snapshot(row: dict, lookups: Lookups) -> tuple[dict, list[tuple[str, str]]]:
    """The snapshot-format data of one row (export column names → initiative fields) and the
    errors found, as (column, message) pairs. Columns absent from the row are left out."""
    errors: list[tuple[str, str]] = []
    for name, value in list(row.items()):
        if has_control_characters(value):
            errors.append((name, str(CONTROL_MESSAGE)))
        elif len(value) > MULTI_LINE_MAX_LENGTH:
            errors.append(
                (
                    name,
                    _("%(count)s characters at most (this one has %(length)s).")
                    % {"count": MULTI_LINE_MAX_LENGTH, "length": len(value)},
                )
            )
        else:
            continue
        row = {key: cell for key, cell in row.items() if key != name}
    for name in REQUIRED[1:]:
        if name in row and not row[name]:
            errors.append((name, _("This column cannot be empty.")))
    data = {}
    for column in IMPORTED:
        if column.name not in row:
            continue
        try:
            data[column.field] = _parse(column, row[column.name], lookups)
        except ValueError as error:
            errors.append((column.name, str(error)))
    if "links" in row:
        try:
            data["links"] = _links(row["links"])
        except ValueError as error:
            errors.append(("links", str(error)))
    data.pop("completeness", None)  # computed by the revision service
    if data.get("commune"):
        data["department"] = lookups.communes[data["commune"]]
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        errors.append(("end_date", _("The end date is before the start date.")))
    return data, errors


def import_check(rows: list[dict]) -> ImportPlan:
    """Check every row without writing anything; each row gets an action or its errors."""
    from .snapshot import initiative_snapshot

    lookups = Lookups(rows)
    results = []
    seen: set[str] = set()
    for index, row in enumerate(rows, start=2):
        slug = row.get("slug", "")
        result = RowResult(number=index, slug=slug, title=row.get("title", ""))
        if not slug or slugify(slug) != slug:
            result.errors.append(("slug", _("Give an identifier made of a-z, 0-9 and hyphens.")))
        elif slug in seen:
            result.errors.append(("slug", _("This identifier appears twice in the file.")))
        seen.add(slug)
        for name in REQUIRED[1:]:
            if name not in row:
                result.errors.append((name, _("This column cannot be empty.")))
        result.data, errors = row_to_snapshot(row, lookups)
        result.errors += errors
        if not result.errors:
            existing = lookups.existing.get(slug)
            if existing is None:
                result.action = "create"
            else:
                current = initiative_snapshot(existing)
                changed = any(current.get(key) != value for key, value in result.data.items())
                result.action = "update" if changed else "unchanged"
        results.append(result)
    if not results:
        return ImportPlan(rows=[], errors=[(1, "", _("The file has no data rows."))])
    return ImportPlan(rows=results)


def initiative_import(*, plan: ImportPlan, user) -> dict:
    """Write a checked plan: every row or none (one transaction). Each created or changed
    initiative gets a revision authored and published by `user`; unchanged rows are skipped.

    Side effects: initiatives published, revisions recorded, search index updated.
    Raises ValidationError when the plan holds any error.
    """
    from .services.revisions import initiative_save_revision

    if not plan.is_valid:
        raise ValidationError(_("The file has errors: nothing was imported."), code="invalid")
    message = _("Imported from a file")
    with transaction.atomic():
        existing = {
            initiative.slug: initiative
            for initiative in Initiative.objects.filter(slug__in=[row.slug for row in plan.rows])
        }
        for row in plan.rows:
            if row.action == "unchanged":
                continue
            initiative = existing.get(row.slug)
            revision = initiative_save_revision(
                data=row.data, author=user, publisher=user, message=message, initiative=initiative
            )
            if initiative is None and revision.initiative.slug != row.slug:
                Initiative.objects.filter(pk=revision.initiative_id).update(slug=row.slug)
    return {action: plan.count(action) for action in ("create", "update", "unchanged")}
