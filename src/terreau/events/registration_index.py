"""What the staff registration table reads instead of scanning an event's registrations.

1. Tallies (`RegistrationTally`): the number of registrations of an event per status,
   attendance, payment status and actor category. Triggers on `events_registration` add and
   subtract in the same transaction as every insert, update of one of those columns, and delete,
   whatever made it (services, the admin, `bulk_create`, `QuerySet.update`, a cascade). On
   PostgreSQL the two tally rows a change touches are locked in a fixed order, so concurrent
   opposite moves (a check-in and its undo) cannot deadlock.
2. Search (SQLite only): an FTS5 trigram index of last name, first name, e-mail and employer
   (`events_registration_search`, external content), so that "any of these contains the text"
   reads the index instead of every row. PostgreSQL answers the same `icontains` from GIN
   trigram indexes (migration 0006). Texts shorter than three characters have no trigram and
   fall back to the scan.

SQLite drops a table's triggers when a migration rebuilds the table, so `ensure_after_migrate`
runs after every `migrate` (post_migrate), re-creates what is missing and, when triggers were
missing, recounts the tallies and rebuilds the search index.
"""

from __future__ import annotations

from django.db import connection as default_connection
from django.db import connections

TABLE = "events_registration"
TALLY = "events_registrationtally"
SEARCH = "events_registration_search"
KEYS = ("status", "attendance", "payment_status", "actor_category")
SEARCH_COLUMNS = ("last_name", "first_name", "email", "employer")
# A trigram index cannot answer a text shorter than a trigram.
MIN_SEARCH_LENGTH = 3

_key_columns = ", ".join(("event_id", *KEYS))


def _match(prefix: str) -> str:
    return " AND ".join(f"{c} = {prefix}.{c}" for c in ("event_id", *KEYS))


def _changed(columns=("event_id", *KEYS)) -> str:
    return " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)


def _sqlite_add(prefix: str) -> str:
    values = ", ".join(f"{prefix}.{c}" for c in ("event_id", *KEYS))
    return (
        f"INSERT OR IGNORE INTO {TALLY} ({_key_columns}, count) VALUES ({values}, 0); "
        f"UPDATE {TALLY} SET count = count + 1 WHERE {_match(prefix)};"
    )


def _sqlite_subtract(prefix: str) -> str:
    return f"UPDATE {TALLY} SET count = count - 1 WHERE {_match(prefix)};"


def _sqlite_search(prefix: str, delete: bool = False) -> str:
    columns = ", ".join(SEARCH_COLUMNS)
    values = ", ".join(f"{prefix}.{c}" for c in SEARCH_COLUMNS)
    if delete:
        return (
            f"INSERT INTO {SEARCH} ({SEARCH}, rowid, {columns}) "
            f"VALUES ('delete', {prefix}.id, {values});"
        )
    return f"INSERT INTO {SEARCH} (rowid, {columns}) VALUES ({prefix}.id, {values});"


SQLITE_TRIGGERS = {
    "events_registration_tally_insert": (
        f"CREATE TRIGGER IF NOT EXISTS events_registration_tally_insert AFTER INSERT ON {TABLE} "
        f"BEGIN {_sqlite_add('new')} END"
    ),
    "events_registration_tally_update": (
        "CREATE TRIGGER IF NOT EXISTS events_registration_tally_update AFTER UPDATE OF "
        f"event_id, {', '.join(KEYS)} ON {TABLE} WHEN {_changed()} "
        f"BEGIN {_sqlite_subtract('old')} {_sqlite_add('new')} END"
    ),
    "events_registration_tally_delete": (
        f"CREATE TRIGGER IF NOT EXISTS events_registration_tally_delete AFTER DELETE ON {TABLE} "
        f"BEGIN {_sqlite_subtract('old')} END"
    ),
    "events_registration_search_insert": (
        f"CREATE TRIGGER IF NOT EXISTS events_registration_search_insert AFTER INSERT ON {TABLE} "
        f"BEGIN {_sqlite_search('new')} END"
    ),
    "events_registration_search_update": (
        "CREATE TRIGGER IF NOT EXISTS events_registration_search_update AFTER UPDATE OF "
        f"{', '.join(SEARCH_COLUMNS)} ON {TABLE} WHEN {_changed(SEARCH_COLUMNS)} "
        f"BEGIN {_sqlite_search('old', delete=True)} {_sqlite_search('new')} END"
    ),
    "events_registration_search_delete": (
        f"CREATE TRIGGER IF NOT EXISTS events_registration_search_delete AFTER DELETE ON {TABLE} "
        f"BEGIN {_sqlite_search('old', delete=True)} END"
    ),
}
SQLITE_SEARCH_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH} USING fts5({', '.join(SEARCH_COLUMNS)}, "
    f"content='{TABLE}', content_rowid='id', tokenize='trigram')"
)

_pg_upsert = (
    f"INSERT INTO {TALLY} ({_key_columns}, count) "
    f"VALUES (NEW.event_id, {', '.join('NEW.' + c for c in KEYS)}, 1) "
    f"ON CONFLICT ({_key_columns}) DO UPDATE SET count = {TALLY}.count + 1;"
)
_pg_decrement = f"UPDATE {TALLY} SET count = count - 1 WHERE {_match('OLD')};"
_pg_old_row = ", ".join(f"OLD.{c}" for c in ("event_id", *KEYS))
_pg_new_row = ", ".join(f"NEW.{c}" for c in ("event_id", *KEYS))
POSTGRESQL_SCHEMA = [
    f"""
    CREATE OR REPLACE FUNCTION events_registration_tally() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        {_pg_upsert}
      ELSIF TG_OP = 'DELETE' THEN
        {_pg_decrement}
      ELSIF ROW({_pg_new_row}) < ROW({_pg_old_row}) THEN
        -- Lock the two tally rows in key order whichever way the registration moves.
        {_pg_upsert}
        {_pg_decrement}
      ELSE
        {_pg_decrement}
        {_pg_upsert}
      END IF;
      RETURN NULL;
    END
    $$
    """,
    f"DROP TRIGGER IF EXISTS events_registration_tally ON {TABLE}",
    f"CREATE TRIGGER events_registration_tally AFTER INSERT OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION events_registration_tally()",
    f"DROP TRIGGER IF EXISTS events_registration_tally_update ON {TABLE}",
    f"CREATE TRIGGER events_registration_tally_update AFTER UPDATE OF event_id, "
    f"{', '.join(KEYS)} ON {TABLE} FOR EACH ROW "
    f"WHEN ({' OR '.join(f'OLD.{c} IS DISTINCT FROM NEW.{c}' for c in ('event_id', *KEYS))}) "
    "EXECUTE FUNCTION events_registration_tally()",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS events_registration_tally ON {TABLE}",
    f"DROP TRIGGER IF EXISTS events_registration_tally_update ON {TABLE}",
    "DROP FUNCTION IF EXISTS events_registration_tally()",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS] + [
    f"DROP TABLE IF EXISTS {SEARCH}"
]


def recount(connection=None) -> None:
    """Recount every tally from the registrations (after triggers were missing)."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TALLY}")
        cursor.execute(
            f"INSERT INTO {TALLY} ({_key_columns}, count) "
            f"SELECT {_key_columns}, COUNT(*) FROM {TABLE} GROUP BY {_key_columns}"
        )


def install(connection=None) -> None:
    """Create the triggers (and on SQLite the search index), then fill them from the data."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in POSTGRESQL_SCHEMA:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            cursor.execute(SQLITE_SEARCH_TABLE)
            for statement in SQLITE_TRIGGERS.values():
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {SEARCH} ({SEARCH}) VALUES ('rebuild')")
        else:
            return
    recount(connection)


def uninstall(connection=None) -> None:
    connection = connection or default_connection
    statements = {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def ensure_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver: put back the SQLite triggers a table rebuild dropped, and bring
    the tallies and the search index up to date if any was missing."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name IN (%s, %s)"
            " OR (type = 'trigger' AND tbl_name = %s)",
            [TALLY, SEARCH, TABLE],
        )
        present = {row[0] for row in cursor.fetchall()}
    if TALLY not in present:  # migrated backwards, before the tallies
        return
    if SEARCH in present and set(SQLITE_TRIGGERS) <= present:
        return
    install(connection)


def search_ids_sql(connection=None) -> str | None:
    """SQL selecting the ids of registrations whose name, e-mail or employer contains the text
    given as its one parameter (see `search_phrase`), or None where the database has no such
    index (PostgreSQL uses its trigram indexes through `icontains`)."""
    connection = connection or default_connection
    if connection.vendor != "sqlite":
        return None
    return f"SELECT rowid FROM {SEARCH} WHERE {SEARCH} MATCH %s"


def search_phrase(text: str) -> str:
    """The FTS5 query for "contains this text": one quoted phrase, so no input is FTS5 syntax."""
    return '"' + text.replace('"', '""') + '"'
