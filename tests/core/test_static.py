"""Static files: production's hashed-manifest collection works (every referenced file exists)."""

from django.core.management import call_command


def test_collectstatic_with_the_production_manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "core/terreau.css" in manifest
    assert "vendor/leaflet/leaflet.js" in manifest
