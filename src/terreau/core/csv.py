"""One CSV writer for the site: every cell is neutralised against spreadsheet formulas."""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """The text of a cell; one that a spreadsheet would read as a formula is quoted with `'`."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_uncell(text: str) -> str:
    """The inverse of csv_cell, for imports of the site's own exports."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_STARTS else text


class _Echo:
    """A file-like object whose write() returns what it was given (for csv.writer)."""

    def write(self, value):
        return value


def csv_lines(header: Iterable | None, rows: Iterable[Iterable]) -> Iterable[str]:
    """The lines of a CSV file (UTF-8 with BOM first, for spreadsheets), cells neutralised."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    if header is not None:
        yield writer.writerow([csv_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([csv_cell(cell) for cell in row])


def csv_response(filename: str, header: Iterable | None, rows: Iterable[Iterable]):
    """A streamed CSV download."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
