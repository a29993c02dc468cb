"""PostgreSQL only: trigram indexes for the staff table's search on name, e-mail and employer.

The search is `icontains`, which PostgreSQL runs as `UPPER(column::text) LIKE UPPER(%s)`; a GIN
trigram index on that same expression serves it instead of a scan of the event's rows. SQLite
keeps its scan (no such index there).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SEARCH_COLUMNS = ("last_name", "first_name", "email", "employer")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCH_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS registration_{column}_trgm ON events_registration "
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCH_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS registration_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("events", "0005_event_initiatives")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
