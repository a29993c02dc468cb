from django.db import migrations, models


def fill_search_names(apps, schema_editor):
    from terreau.territories.text import normalize

    Commune = apps.get_model("territories", "Commune")
    communes = list(Commune.objects.only("insee", "name"))
    for commune in communes:
        commune.search_name = normalize(commune.name)
    Commune.objects.bulk_update(communes, ["search_name"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("territories", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="department",
            name="outline",
            field=models.JSONField(
                blank=True,
                editable=False,
                help_text="Simplified GeoJSON MultiPolygon, for maps.",
                null=True,
                verbose_name="outline",
            ),
        ),
        migrations.AddField(
            model_name="commune",
            name="search_name",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                help_text="The name without accents, case or punctuation.",
                max_length=120,
                verbose_name="search name",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
    ]
