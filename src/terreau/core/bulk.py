"""Plain multi-row INSERTs for the few hot paths that write thousands of rows at once (an
issue's 20,000 outbox copies and delivery rows): no model instances, no signals, each value
adapted by its column's own adapter, chosen once. Models written this way must have no public
page that depends on them (`core.versions` scope None), since no save signal is sent."""

from collections.abc import Iterable, Sequence

from django.db import connections, models, router
from django.db.models.constants import OnConflict
from django.utils import timezone


def _adapter(field, connection):
    if isinstance(field, models.JSONField):
        return lambda value: connection.ops.adapt_json_value(value, field.encoder)
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    return None


def insert_rows(
    model,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    constants: dict | None = None,
    ignore_conflicts: bool = False,
    using: str | None = None,
) -> None:
    """Insert `rows` (tuples of values for `columns`, attribute names such as `issue_id`) into
    `model`'s table with one prepared statement run for every row. `constants` give the value
    of other columns for every row (adapted once); every column left out gets its field's
    default (`auto_now`/`auto_now_add`: now). `ignore_conflicts`: a row that breaks a unique
    constraint is skipped, as `bulk_create(ignore_conflicts=True)` does."""
    connection = connections[using or router.db_for_write(model)]
    constants = dict(constants or {})
    fields = {field.attname: field for field in model._meta.concrete_fields}
    now = timezone.now()
    for attname, field in fields.items():
        if attname in constants or attname in columns or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constants[attname] = now
        else:
            constants[attname] = field.get_default()
    fixed = []
    for attname, value in constants.items():
        adapt = _adapter(fields[attname], connection)
        fixed.append(adapt(value) if adapt else value)
    adapters = [_adapter(fields[attname], connection) for attname in columns]
    names = [*columns, *constants]
    quote = connection.ops.quote_name
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    sql = (
        f"{connection.ops.insert_statement(on_conflict=on_conflict)} "
        f"{quote(model._meta.db_table)} "
        f"({', '.join(quote(fields[name].column) for name in names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))}) "
        + (connection.ops.on_conflict_suffix_sql(None, on_conflict, None, None) or "")
    )
    params = []
    for row in rows:
        values = [
            adapt(value) if adapt else value for adapt, value in zip(adapters, row, strict=True)
        ]
        params.append((*values, *fixed))
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
