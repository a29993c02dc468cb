"""Capacity holds under concurrent sign-ups: real requests from threads, each with its own
database connection, on SQLite and on PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from terreau.events.models import Registration, RegistrationStatus
from tests.events.factories import EventFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # Threads need a real SQLite file (see the fixture).
    pytest.mark.usefixtures("sqlite_file_database"),
]


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
        client = Client(REMOTE_ADDR=f"192.0.2.{index + 1}")  # one client each (rate limits)
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
