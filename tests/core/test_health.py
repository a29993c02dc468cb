"""/sante/: the database, the cache and the queues' ages, for the load balancer."""

import datetime as dt

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_health_reports_each_check_as_json(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok" and report["database"] == "ok" and report["cache"] == "ok"
    assert report["outbox_oldest_pending_seconds"] is None
    assert response["Cache-Control"] == "no-store"


def test_an_old_waiting_e_mail_makes_the_site_degraded_not_down(client, settings):
    from terreau.core.outbox.models import OutboxMessage

    settings.TERREAU_HEALTH_QUEUE_MAX_AGE = 60
    fields = {f.name for f in OutboxMessage._meta.get_fields()}
    data = {"next_attempt_at": timezone.now() - dt.timedelta(hours=1)}
    for name, value in (("subject", "x"), ("to", ["a@example.org"]), ("from_email", "t@x.fr")):
        if name in fields:
            data[name] = value
    OutboxMessage.objects.create(**data)
    report = client.get("/sante/").json()
    assert report["status"] == "degraded"
    assert report["outbox_oldest_pending_seconds"] >= 3000


def test_a_cache_that_keeps_nothing_takes_the_server_out(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["cache"] == "down"
