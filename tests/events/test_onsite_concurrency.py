"""Several staff phones checking people in at once: real requests from threads, each with its
own database connection, on SQLite and on PostgreSQL. No tap is lost, none is counted twice."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from terreau.events.models import AttendanceRecord, Registration
from terreau.events.selectors.onsite import checkin_counts
from tests.events.factories import EventDayFactory, EventFactory, RegistrationFactory
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # Threads need a real SQLite file (see the fixture).
    pytest.mark.usefixtures("sqlite_file_database"),
]


def tap_concurrently(taps: list[tuple[Client, str, dict]]) -> list[int]:
    barrier = threading.Barrier(len(taps))
    statuses = [0] * len(taps)

    def worker(index, client, url, data):
        try:
            barrier.wait(timeout=20)
            statuses[index] = client.post(url, data, HTTP_HX_REQUEST="true").status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(index, *tap)) for index, tap in enumerate(taps)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_several_staff_tapping_at_once_lose_no_check_in_and_count_none_twice():
    starts = timezone.now() - dt.timedelta(hours=1)
    event = EventFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=8))
    day = EventDayFactory(event=event, date=timezone.localdate(), starts_at=dt.time(9))
    registrations = RegistrationFactory.create_batch(8, event=event)
    phones = []
    for _ in range(3):
        phone = Client()
        phone.force_login(UserFactory(is_staff=True))
        phones.append(phone)
    data = {"day": day.pk, "half": "am", "action": "present"}

    def url(registration):
        return reverse("events:checkin_toggle", args=[event.slug, registration.pk])

    # Eight people tapped by three phones at once; the first person by every phone.
    taps = [(phones[i % 3], url(r), data) for i, r in enumerate(registrations)]
    taps += [(phone, url(registrations[0]), data) for phone in phones[1:]]
    assert set(tap_concurrently(taps)) == {200}
    assert AttendanceRecord.objects.count() == 8
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 8
    counts = checkin_counts(event=event, day=day, half="am")
    assert (counts.present, counts.expected) == (8, 8)

    # Undo on one phone while the others mark the next people: only the undone one changes.
    undo = {**data, "action": "undo"}
    taps = [(phones[0], url(registrations[0]), undo)]
    taps += [(phones[1 + i % 2], url(r), data) for i, r in enumerate(registrations[1:])]
    assert set(tap_concurrently(taps)) == {200}
    assert AttendanceRecord.objects.count() == 7
    assert not AttendanceRecord.objects.filter(registration=registrations[0]).exists()
