"""`terreau backup` then `terreau restore`: the rows and the media files come back."""

import pytest
from django.core.management import call_command
from django.db import connection

from terreau.core.models import Theme
from tests.factories import ThemeFactory


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_rows_and_media(tmp_path, settings):
    media = settings.MEDIA_ROOT
    media.mkdir(parents=True, exist_ok=True)
    (media / "photo.png").write_bytes(b"image")
    ThemeFactory(slug="avant")
    call_command("backup", str(tmp_path / "sauvegarde"))
    names = {path.name for path in (tmp_path / "sauvegarde").iterdir()}
    assert "media.tar.gz" in names and names & {"database.sqlite3", "database.pgdump"}

    Theme.objects.all().delete()
    ThemeFactory(slug="apres")
    (media / "photo.png").unlink()
    (media / "autre.png").write_bytes(b"x")
    call_command("restore", str(tmp_path / "sauvegarde"))
    connection.close()

    assert list(Theme.objects.values_list("slug", flat=True)) == ["avant"]
    assert (media / "photo.png").read_bytes() == b"image"
    assert not (media / "autre.png").exists()
