"""Snapshots made readable: ids become names, codes become labels, in a bounded number of
queries whatever the number of snapshots."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terreau.core.dates import date_format

from ..diffing import diff_records
from ..models import Initiative
from ..snapshot import LINKS, MANY_FIELDS, SCALAR_FIELDS

MEDIA = "media"
FIELD_ORDER = [*SCALAR_FIELDS, *MANY_FIELDS, LINKS, MEDIA]
LIST_FIELDS = {*MANY_FIELDS, LINKS, MEDIA}
TEXT_FIELDS = {
    name
    for name in SCALAR_FIELDS
    if Initiative._meta.get_field(name).get_internal_type() == "TextField"
} | {"title", "summary", "subject", "qpv_name"}
RELATED_SCALARS = ("commune", "department")


def field_label(name: str) -> str:
    if name == LINKS:
        return str(gettext_lazy("Links"))
    if name == MEDIA:
        return _("Images and documents")
    label = str(Initiative._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _names(model, ids) -> dict:
    if not ids:
        return {}
    return {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}


def display_snapshots(snapshots: list[dict]) -> list[dict]:
    """Readable copies of the snapshots (one query per related model that appears)."""
    lookups = {}
    for name in (*MANY_FIELDS, *RELATED_SCALARS):
        ids = set()
        for data in snapshots:
            value = data.get(name)
            if isinstance(value, list):
                ids.update(value)
            elif value:
                ids.add(value)
        lookups[name] = _names(Initiative._meta.get_field(name).related_model, ids)
    readable = []
    for data in snapshots:
        out = {}
        for name in SCALAR_FIELDS:
            if name not in data:
                continue
            value = data[name]
            field = Initiative._meta.get_field(name)
            if name in RELATED_SCALARS:
                value = lookups[name].get(value, value) if value else ""
            elif field.choices and value:
                value = str(dict(field.flatchoices).get(value, value))
            elif isinstance(value, bool):
                value = _("Yes") if value else _("No")
            elif name in ("start_date", "end_date") and value:
                value = date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
            elif value is None:
                value = ""
            out[name] = value
        for name in MANY_FIELDS:
            if name in data:
                out[name] = sorted(lookups[name].get(pk, f"#{pk}") for pk in data[name] or [])
        if LINKS in data:
            out[LINKS] = [f"{link['title']} ({link['url']})" for link in data[LINKS] or []]
        if MEDIA in data:
            out[MEDIA] = list(data[MEDIA] or [])
        readable.append(out)
    return readable


def snapshot_changes(old: dict, new: dict) -> list[dict]:
    """Field-by-field changes from old to new, labelled, ready for the diff template."""
    old_readable, new_readable = display_snapshots([old, new])
    changes = diff_records(old_readable, new_readable, FIELD_ORDER, TEXT_FIELDS, LIST_FIELDS)
    return [{"label": field_label(change.name), "change": change} for change in changes]


def snapshots_changes(pairs: list[tuple[dict, dict]]) -> list[list[dict]]:
    """Changes for many (old, new) pairs with one batch of label queries."""
    flat = [snapshot for pair in pairs for snapshot in pair]
    readable = display_snapshots(flat)
    result = []
    for index in range(len(pairs)):
        old, new = readable[2 * index], readable[2 * index + 1]
        changes = diff_records(old, new, FIELD_ORDER, TEXT_FIELDS, LIST_FIELDS)
        result.append([{"label": field_label(change.name), "change": change} for change in changes])
    return result
