"""Full-text search of initiatives: PostgreSQL search vector or SQLite FTS5 table.

PostgreSQL: the unaccent extension, a `french_unaccent` text search configuration (unaccent then
the French Snowball stemmer), a `search_vector` column kept up to date by a trigger, a GIN index.
SQLite: an FTS5 table of stems (computed in Python by the `terreau_search_text` SQL function that
terreau.observatory.search registers on every connection), kept up to date by triggers.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations, models

from terreau.observatory import search


def create_search_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in search.POSTGRESQL_SCHEMA:
            schema_editor.execute(statement)
    elif connection.vendor == "sqlite":
        search.sqlite_ensure_schema(connection)
        search.search_index_rebuild(connection=connection)


def drop_search_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in search.POSTGRESQL_DROP:
            schema_editor.execute(statement)
    elif connection.vendor == "sqlite":
        for statement in search.SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("observatory", "0002_contributions")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(create_search_index, drop_search_index),
        # The catalogue's facet counts read these columns of every published initiative: one
        # covering index answers them without reading the rows (and their long texts).
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS observatory_initiative_facets ON observatory_initiative "
            "(state, department_id, commune_id, scale, status, phase, participation_level, "
            "start_date)",
            "DROP INDEX IF EXISTS observatory_initiative_facets",
        ),
        migrations.CreateModel(
            name="InitiativeSearchEntry",
            fields=[
                (
                    "initiative",
                    models.OneToOneField(
                        db_column="rowid",
                        on_delete=models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="observatory.initiative",
                    ),
                ),
                ("document", models.TextField(db_column="observatory_initiative_fts")),
                ("rank", models.FloatField(db_column="rank")),
            ],
            options={"db_table": "observatory_initiative_fts", "managed": False},
        ),
    ]
