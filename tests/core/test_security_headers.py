"""Security headers: HSTS whenever the site is served over HTTPS, private no-store answers on
pages reached by a personal link."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

import terreau
from terreau.events.selectors.registration import registration_manage_path
from tests.events.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def settings_value(name: str, **env) -> str:
    code = f"import terreau.settings as s; print(s.{name})"
    # The worktree's own package, not whichever one the virtualenv points at.
    source = str(Path(terreau.__file__).resolve().parent.parent)
    environment = {**os.environ, "PYTHONPATH": source, **env}
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_hsts_is_on_by_default_when_the_site_url_is_https():
    assert settings_value("SECURE_HSTS_SECONDS", SITE_URL="https://terreau.example.org") == (
        "31536000"
    )
    assert settings_value("SECURE_HSTS_SECONDS", SITE_URL="http://127.0.0.1:8000") == "0"


def test_hsts_is_sent_behind_the_proxy_over_https_only(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    secure = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/")


def test_personal_link_pages_are_private_and_never_stored(client):
    registration = RegistrationFactory()
    manage = registration_manage_path(registration)
    for path in (manage, manage + "modifier/", manage + "annuler/"):
        response = client.get(path)
        assert response.status_code == 200, path
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, path
    invalid = client.get(reverse("events:registration_manage", kwargs={"signed_token": "x:y"}))
    assert "no-store" in invalid["Cache-Control"]
