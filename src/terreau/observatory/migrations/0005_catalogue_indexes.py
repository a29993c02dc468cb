"""Indexes for the catalogue at tens of thousands of initiatives.

PostgreSQL: an index in the list's default order (most recent first, undated last). The list
sorts published initiatives by `start_date DESC NULLS LAST, title, id`; the (state, start_date)
index keeps NULLs first in descending order on PostgreSQL, so it cannot give that order and every
unfiltered page sorted all published rows. SQLite puts NULLs last in descending order already and
uses the (state, start_date) index.

Both databases: the many-to-many tables that the facets filter on and that related initiatives
count get a (term, initiative) index, so that "the initiatives of these themes" is read from the
index alone.
"""

from django.db import migrations

from terreau.observatory import search

DATE_INDEX = "observatory_initiative_published_date"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {DATE_INDEX} ON observatory_initiative "
            "(start_date DESC NULLS LAST, title, id) WHERE state = 'published'"
        )
    for statement in search.TERM_INDEXES:
        schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {DATE_INDEX}")
    for name in search.TERM_INDEX_NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("observatory", "0004_catalogue_fingerprint_index")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
