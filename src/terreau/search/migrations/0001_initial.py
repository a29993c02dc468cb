import django.db.models.deletion  # noqa: F401
from django.db import migrations, models


def create_index(apps, schema_editor):
    from terreau.search import fulltext

    fulltext.create_schema(schema_editor.connection)


def drop_index(apps, schema_editor):
    from terreau.search import fulltext

    fulltext.drop_schema(schema_editor.connection)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0001_initial"),
        # The `french_unaccent` configuration (PostgreSQL) and its SQL function (SQLite).
        ("observatory", "0003_search"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=30, verbose_name="kind")),
                ("object_id", models.BigIntegerField(verbose_name="object")),
                ("title", models.CharField(max_length=400, verbose_name="title")),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                ("body", models.TextField(blank=True, verbose_name="text")),
                ("url", models.CharField(max_length=500, verbose_name="address")),
                ("date", models.DateField(blank=True, null=True, verbose_name="date")),
                ("department_code", models.CharField(blank=True, max_length=3, verbose_name="département")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="indexed")),
                ("themes", models.ManyToManyField(blank=True, related_name="+", to="core.theme", verbose_name="themes")),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
                "indexes": [
                    models.Index(fields=["kind", "date"], name="search_document_kind_date"),
                    models.Index(fields=["department_code", "kind"], name="search_document_department"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "object_id"), name="search_document_unique")
                ],
            },
        ),
        migrations.RunPython(create_index, drop_index),
    ]
