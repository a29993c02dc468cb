"""Capacity holds under concurrent sign-ups: real requests from threads, each with its own
database connection, on SQLite and on PostgreSQL."""

import sqlite3
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from terreau.events.models import Registration, RegistrationStatus
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _file_database_for_sqlite(transactional_db, tmp_path):
    """Threads need a real SQLite file: the in-memory test database (shared cache) fails with
    "table is locked" instead of waiting, unlike production's file with WAL and a busy timeout.
    The in-memory database is copied to a file for the test, and kept alive meanwhile."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    memory_name = connection.settings_dict["NAME"]
    connection.ensure_connection()
    keeper = sqlite3.connect(memory_name, uri=True)
    path = tmp_path / "concurrency.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    connection.settings_dict["NAME"] = str(path)
    connection.connection.close()
    connection.connection = None
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = memory_name
        connection.ensure_connection()
        keeper.close()


def form_data(email: str) -> dict:
    return {
        "first_name": "Camille",
        "last_name": "Durand",
        "email": email,
        "consent": "on",
    }


def post_concurrently(url: str, payloads: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(payloads))
    statuses: list[int] = [0] * len(payloads)

    def worker(index: int, payload: dict) -> None:
        client = Client()
        try:
            barrier.wait()
            statuses[index] = client.post(url, payload).status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, payload)) for i, payload in enumerate(payloads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_concurrent_sign_ups_never_exceed_the_capacity():
    event = EventFactory(capacity=5, has_waiting_list=True)
    url = reverse("events:register", kwargs={"slug": event.slug})
    statuses = post_concurrently(url, [form_data(f"p{i}@example.org") for i in range(16)])
    assert sorted(set(statuses)) == [302]
    assert (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count() == 5
    )
    assert (
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED).count() == 11
    )


def test_concurrent_sign_ups_without_waiting_list_turn_the_others_away():
    event = EventFactory(capacity=3, has_waiting_list=False)
    url = reverse("events:register", kwargs={"slug": event.slug})
    statuses = post_concurrently(url, [form_data(f"q{i}@example.org") for i in range(10)])
    assert statuses.count(302) == 3 and statuses.count(400) == 7
    assert Registration.objects.filter(event=event).count() == 3


def test_a_double_clicked_submit_creates_one_registration():
    event = EventFactory(capacity=10)
    url = reverse("events:register", kwargs={"slug": event.slug})
    statuses = post_concurrently(url, [form_data("same@example.org")] * 4)
    assert 500 not in statuses
    assert Registration.objects.filter(event=event, email="same@example.org").count() == 1
