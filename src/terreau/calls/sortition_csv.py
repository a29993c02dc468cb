"""The Sortition Foundation's CSV formats, read and written (pure: no Django import).

Quotas: one row per category value, columns ``feature,value,min,max`` or the older
``category,feature,min,max`` / ``category,name,min,max`` (the category is the feature, the second
column its value); ``min_flex`` and ``max_flex`` columns are accepted and ignored (the relaxation
is computed by the solver instead). Pool: one column per feature, and an id column (``id``,
``nationbuilder_id`` or ``person_id``; else the row number). Outputs: ``probabilities.csv``
(each person's selection probability), ``panels.csv`` (the lottery's panels with their
probabilities, in the canonical order the draw uses), ``panel.csv`` (the drawn panel, then the
waiting list). Every cell goes through the formula-safe writer.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from terreau.calls.selection import Candidate, Infeasible, Quota, Selection, select

ID_COLUMNS = ("id", "nationbuilder_id", "person_id", "identifier")
FEATURE_COLUMNS = ("feature", "category")
VALUE_COLUMNS = ("value", "name", "category value", "category_value", "category-value")


class FormatError(ValueError):
    """A CSV file that does not follow the format; the message names the row and column."""


def _rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [(h or "").strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    rows = []
    for row in reader:
        rows.append({k: (v or "").strip() for k, v in row.items() if k is not None})
    return header, rows


def read_quotas(text: str) -> list[Quota]:
    header, rows = _rows(text)
    lower = {h.lower(): h for h in header}
    if "category" in lower and "feature" in lower and not any(v in lower for v in VALUE_COLUMNS):
        feature_column, value_column = lower["category"], lower["feature"]  # category,feature,…
    else:
        feature_column = next((lower[c] for c in FEATURE_COLUMNS if c in lower), None)
        value_column = next((lower[c] for c in VALUE_COLUMNS if c in lower), None)
    missing = [
        name
        for name, column in (
            ("feature", feature_column),
            ("value", value_column),
            ("min", lower.get("min")),
            ("max", lower.get("max")),
        )
        if column is None
    ]
    if missing:
        raise FormatError(f"Quotas file: missing column(s) {', '.join(missing)}.")
    quotas = []
    seen = set()
    for number, row in enumerate(rows, start=2):
        feature, value = row.get(feature_column, ""), row.get(value_column, "")
        if not feature and not value:
            continue
        if not feature or not value:
            raise FormatError(f"Quotas file, row {number}: the feature and its value are needed.")
        bounds = []
        for column in ("min", "max"):
            cell = row.get(lower[column], "")
            try:
                bounds.append(int(cell))
            except ValueError:
                raise FormatError(
                    f"Quotas file, row {number}: {column} must be a whole number, not {cell!r}."
                ) from None
        if bounds[0] < 0 or bounds[1] < bounds[0]:
            raise FormatError(f"Quotas file, row {number}: min must be between 0 and max.")
        if (feature, value) in seen:
            raise FormatError(f"Quotas file, row {number}: {feature} = {value} appears twice.")
        seen.add((feature, value))
        quotas.append(Quota(feature, value, *bounds))
    if not quotas:
        raise FormatError("Quotas file: no quota.")
    return quotas


def read_pool(text: str, quotas: list[Quota]) -> list[Candidate]:
    header, rows = _rows(text)
    lower = {h.lower(): h for h in header}
    id_column = next((lower[c] for c in ID_COLUMNS if c in lower), None)
    by_lower_feature = {}
    for quota in quotas:
        column = lower.get(quota.feature.lower())
        if column is None:
            raise FormatError(f"Pool file: no column for the feature {quota.feature!r}.")
        by_lower_feature[quota.feature] = column
    values = {}
    for quota in quotas:
        values.setdefault(quota.feature, {})[quota.value.lower()] = quota.value
    candidates = []
    seen = set()
    for number, row in enumerate(rows, start=2):
        candidate_id = row.get(id_column, "") if id_column else str(number - 1)
        if not candidate_id:
            continue  # blank rows (spreadsheets leave them)
        if candidate_id in seen:
            raise FormatError(f"Pool file, row {number}: the id {candidate_id!r} appears twice.")
        seen.add(candidate_id)
        features = {}
        for column in header:
            if column != id_column:
                features[column] = row.get(column, "")
        for feature, column in by_lower_feature.items():
            cell = row.get(column, "")
            # Values match the quotas' spelling regardless of case, as the Foundation's tools do.
            features[feature] = values[feature].get(cell.lower(), cell)
        candidates.append(Candidate(candidate_id, features))
    return candidates


def _csv(header, rows) -> str:
    from terreau.core.csv import csv_cell  # noqa: PLC0415 — pure module, no Django needed

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


def write_outputs(selection: Selection, out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    lottery = selection.lottery
    files = {}
    if lottery is not None:
        files["probabilities"] = out_dir / "probabilities.csv"
        files["probabilities"].write_text(
            _csv(
                ["id", "probability"],
                [[i, repr(p)] for i, p in sorted(lottery.marginals.items(), key=lambda x: x[0])],
            )
        )
        files["panels"] = out_dir / "panels.csv"
        files["panels"].write_text(
            _csv(
                ["panel", "probability", "members"],
                [
                    [n, repr(p), " ".join(sorted(panel))]
                    for n, (panel, p) in enumerate(lottery.panels, start=1)
                ],
            )
        )
    files["panel"] = out_dir / "panel.csv"
    rows = [[i, "selected", n] for n, i in enumerate(selection.panel, start=1)]
    rows += [[i, "waiting list", n] for n, i in enumerate(selection.waiting_list, start=1)]
    files["panel"].write_text(_csv(["id", "status", "rank"], rows))
    return files


def select_panel_files(pool_path, quotas_path, seats, method, seed, out_dir) -> Selection:
    """Read the two CSV files, select, write the outputs; raises Infeasible or FormatError."""
    quotas = read_quotas(Path(quotas_path).read_text(encoding="utf-8-sig"))
    candidates = read_pool(Path(pool_path).read_text(encoding="utf-8-sig"), quotas)
    selection = select(candidates, quotas, seats, method=method, seed=seed)
    write_outputs(selection, Path(out_dir))
    return selection


__all__ = [
    "FormatError",
    "Infeasible",
    "read_pool",
    "read_quotas",
    "select_panel_files",
    "write_outputs",
]
