"""An index on the initiatives' update time: the catalogue's cache keys read its maximum on
every list, map and dashboard request (terreau.observatory.selectors.browse)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("observatory", "0003_search")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS observatory_initiative_updated "
            "ON observatory_initiative (updated_at)",
            "DROP INDEX IF EXISTS observatory_initiative_updated",
        )
    ]
