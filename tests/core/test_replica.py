"""A read replica serves anonymous visitors' public pages and exports only: signed-in people,
forms, the worker and reads inside a transaction read the primary, and a browser that just
wrote something reads the primary for a while (no replication lag hides its own write)."""

from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from terreau.core import routers

pytestmark = pytest.mark.django_db


class Connection:
    """The default connection as the router sees it (the tests themselves run in a
    transaction, which would send every read to the primary)."""

    in_atomic_block = False


def route_seen_by(request) -> tuple[str, HttpResponse]:
    seen = {}

    def view(request):
        seen["read"] = routers.ReplicaRouter().db_for_read(None)
        Connection.in_atomic_block = True  # as inside transaction.atomic()
        seen["in_transaction"] = routers.ReplicaRouter().db_for_read(None)
        Connection.in_atomic_block = False
        return HttpResponse("ok")

    response = routers.ReplicaMiddleware(view)(request)
    return seen, response


@pytest.fixture(autouse=True)
def replica(monkeypatch):
    monkeypatch.setattr(routers, "has_replica", lambda: True)
    monkeypatch.setattr(routers, "connections", {"default": Connection})


def test_an_anonymous_visitor_s_page_reads_the_replica_except_inside_a_transaction():
    seen, _response = route_seen_by(RequestFactory().get("/observatoire/donnees/initiatives.csv"))
    assert seen == {"read": "replica", "in_transaction": "default"}


def test_a_signed_in_visitor_or_a_form_sent_reads_the_primary():
    signed_in = RequestFactory().get("/evenements/", HTTP_COOKIE="sessionid=abc")
    assert route_seen_by(signed_in)[0]["read"] == "default"
    seen, response = route_seen_by(RequestFactory().post("/evenements/x/inscription/"))
    assert seen["read"] == "default"
    # … and the same browser keeps reading the primary for a while
    pin = response.cookies[routers.PIN_COOKIE]
    assert pin["max-age"] == routers.PIN_SECONDS and pin["httponly"]
    after = RequestFactory().get("/evenements/x/", HTTP_COOKIE=f"{routers.PIN_COOKIE}=1")
    assert route_seen_by(after)[0]["read"] == "default"


def test_outside_requests_the_worker_and_commands_read_the_primary():
    assert routers.ReplicaRouter().db_for_read(None) == "default"
    assert routers.ReplicaRouter().db_for_write(None) == "default"
    assert routers.ReplicaRouter().allow_migrate("replica", "events") is False


def test_the_router_and_its_middleware_come_with_the_replica_setting(tmp_path):
    import os
    import subprocess
    import sys

    code = (
        "from django.conf import settings; "
        "print(settings.DATABASE_ROUTERS, 'terreau.core.routers.ReplicaMiddleware' in "
        "settings.MIDDLEWARE, settings.DATABASES['replica']['NAME'])"
    )
    env = os.environ | {
        "DEBUG": "1",
        "TERREAU_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/primary",
        "DATABASE_REPLICA_URL": "postgres://u@127.0.0.1:5433/replica",
        "DJANGO_SETTINGS_MODULE": "terreau.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env | {"PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "['terreau.core.routers.ReplicaRouter'] True replica" in out
