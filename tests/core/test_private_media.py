"""Private files (contributions awaiting moderation, events' printed documents, applicants'
files, groups' files, worksites' editions) go out through one door, the view that checked the
permission: behind nginx as an X-Accel-Redirect (no application server held by a download),
otherwise streamed; always private, never sniffed, never found under /media/."""

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile, FileField
from django.http import Http404

from terreau.core.uploads import protected_file_response

ROOT = Path(__file__).resolve().parents[2]
PRIVATE_FOLDERS = [
    "contributions/",
    "events/documents/",
    "calls/private/",
    "groups/",
    "worksites/editions/",
]


def stored(name: str, content: bytes = b"%PDF-1.4 x") -> FieldFile:
    saved = default_storage.save(name, ContentFile(content))
    return FieldFile(None, FileField(), saved)


def test_behind_nginx_the_file_goes_out_as_an_internal_redirect(settings):
    settings.TERREAU_MEDIA_ACCEL_REDIRECT = "/media-protected/"
    file = stored("calls/private/abc/lettre.pdf")
    response = protected_file_response(file, download_name="Lettre de motivation.pdf")
    assert response["X-Accel-Redirect"] == f"/media-protected/{file.name}"
    assert response.content == b""  # nginx sends the body
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Lettre" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_behind_nginx_a_name_with_accents_and_spaces_goes_out_percent_encoded(settings):
    settings.TERREAU_MEDIA_ACCEL_REDIRECT = "/media-protected/"
    file = stored("calls/private/abc/Lettre de motivation — Hélène.pdf")
    response = protected_file_response(file, download_name="Lettre d'Hélène.pdf")
    assert response["X-Accel-Redirect"].isascii()
    assert " " not in response["X-Accel-Redirect"]
    assert response["X-Accel-Redirect"].startswith("/media-protected/calls/private/abc/Lettre%20")


def test_behind_nginx_a_missing_file_is_a_404_not_nginx_s_error(settings):
    settings.TERREAU_MEDIA_ACCEL_REDIRECT = "/media-protected/"
    with pytest.raises(Http404):
        protected_file_response(FieldFile(None, FileField(), "groups/gone.pdf"))


def test_without_nginx_django_streams_it_with_the_same_headers(settings):
    settings.TERREAU_MEDIA_ACCEL_REDIRECT = ""
    file = stored("worksites/editions/x.pdf", b"%PDF-1.4 edition")
    response = protected_file_response(file, download_name="edition.pdf", as_attachment=False)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 edition"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"] == "private, no-store"
    # a PDF shown in the page is not sandboxed (browsers' viewers refuse to open then) …
    assert "sandbox" not in response["Content-Security-Policy"]
    # … anything else is
    image = protected_file_response(stored("contributions/x.png", b"\x89PNG"))
    assert "sandbox" in image["Content-Security-Policy"]
    with pytest.raises(Http404):
        protected_file_response(FieldFile(None, FileField(), "groups/gone.pdf"))


def test_no_view_streams_a_stored_file_by_itself():
    """Every download of a stored file goes through protected_file_response (a FileResponse
    built in a view would skip nginx, the private headers and the 404 for a missing file)."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src" / "terreau").rglob("*.py")
        if path.name != "uploads.py" and re.search(r"\bFileResponse\(", path.read_text())
    ]
    assert offenders == []


def test_nginx_never_serves_a_private_folder_under_media():
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    for folder in PRIVATE_FOLDERS:
        assert f"location /media/{folder} {{ return 404; }}" in config, folder
    assert re.search(r"location /media-protected/ \{\s*internal;", config)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("observatory.ProposalMedia", "file"),
        ("events.EventDocument", "file"),
        ("calls.Answer", "file"),
        ("groups.MinutesAttachment", "file"),
        ("worksites.Edition", "pdf_file"),
    ],
)
def test_each_private_file_is_stored_in_a_folder_nginx_refuses(model, field):
    from django.apps import apps

    upload_to = apps.get_model(model)._meta.get_field(field).upload_to
    name = upload_to(None, "x.pdf") if callable(upload_to) else upload_to
    assert any(name.startswith(folder) for folder in PRIVATE_FOLDERS), name
