"""PostgreSQL: an index in the catalogue's default order (most recent first, undated last).

The list sorts published initiatives by `start_date DESC NULLS LAST, title, id`. PostgreSQL's
(state, start_date) index keeps NULLs first in descending order, so it cannot give that order and
every unfiltered page sorted all published rows; this partial index gives the first page at once.
SQLite puts NULLs last in descending order already and uses the (state, start_date) index.
"""

from django.db import migrations

INDEX = "observatory_initiative_published_date"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON observatory_initiative "
            "(start_date DESC NULLS LAST, title, id) WHERE state = 'published'"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("observatory", "0004_catalogue_fingerprint_index")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
