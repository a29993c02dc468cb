"""Unique slugs for any model: one loop for the whole site."""

from django.db.models import Model
from django.utils.text import slugify


def slug_unique(
    *,
    model: type[Model],
    text: str,
    fallback: str,
    field: str = "slug",
    max_length: int | None = None,
    exclude_pk=None,
    queryset=None,
) -> str:
    """A slug made from `text` (or `fallback` when it slugifies to nothing) that no row of
    `model` (or of `queryset`, for slugs unique within a parent) holds yet: `base`, `base-2`, ….

    `max_length` defaults to the field's own; the suffix is kept within it."""
    limit = max_length or model._meta.get_field(field).max_length or 50
    base = (slugify(text) or fallback)[: max(1, limit - 6)].strip("-") or fallback
    rows = queryset if queryset is not None else model._default_manager.all()
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    taken = set(rows.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug
