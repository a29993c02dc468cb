"""Check-in on the day: latency of the search-as-you-type request and of one tap, at 300 and
3,000 confirmed registrants of one event (throwaway SQLite database, or DATABASE_URL). The printed
documents (badges, sign-in sheets, certificates) are measured by bench/pdf_documents.py.

    python bench/checkin.py
"""

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terreau.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("TERREAU_DATA_DIR", tempfile.mkdtemp(prefix="terreau-bench-"))
os.environ.setdefault("AXES_ENABLED", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

SIZES = (300, 3_000)
REQUESTS = 60
NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"]
EMPLOYERS = ["Ville de Lille", "Département du Nord", "Centre social La Bourgogne", "IREV"]


def build(size: int):
    from terreau.accounts.models import User
    from terreau.events.models import Event, EventDay, Registration

    starts = timezone.now() - dt.timedelta(hours=1)
    event = Event.objects.create(
        title=f"Bench {size}",
        slug=f"bench-{size}",
        kind="regional_day",
        state="published",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=8),
    )
    day = EventDay.objects.create(
        event=event, date=timezone.localdate(), starts_at=dt.time(0), ends_at=dt.time(23, 59)
    )
    Registration.objects.bulk_create(
        Registration(
            event=event,
            first_name=f"Prénom{index}",
            last_name=f"{NAMES[index % len(NAMES)]}{index}",
            email=f"p{index}@bench.example.org",
            employer=EMPLOYERS[index % len(EMPLOYERS)],
            status="confirmed",
            token=f"bench-{size}-{index}",
        )
        for index in range(size)
    )
    staff, _ = User.objects.get_or_create(
        email="bench@terreau.localhost", defaults={"is_staff": True, "is_superuser": True}
    )
    return event, day, staff


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    from terreau.events.models import Registration

    for size in SIZES:
        event, day, staff = build(size)
        client = Client()
        client.force_login(staff)
        search_url = reverse("events:checkin", args=[event.slug])
        queries = ["mar", "dubois1", "lille", "p12@", "bour", "tho"]
        search = []
        for index in range(REQUESTS):
            started = time.perf_counter()
            response = client.get(
                search_url,
                {"q": queries[index % len(queries)], "day": day.pk, "half": "am"},
                HTTP_HX_REQUEST="true",
            )
            search.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        ids = list(Registration.objects.filter(event=event).values_list("pk", flat=True)[:REQUESTS])
        taps = []
        for pk in ids:
            started = time.perf_counter()
            response = client.post(
                reverse("events:checkin_toggle", args=[event.slug, pk]),
                {"day": day.pk, "half": "am", "action": "present"},
                HTTP_HX_REQUEST="true",
            )
            taps.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        print(
            f"{size:>6} registrants  search p50 {statistics.median(search):6.1f} ms  "
            f"p95 {percentile(search, 0.95):6.1f} ms   tap p50 {statistics.median(taps):6.1f} ms  "
            f"p95 {percentile(taps, 0.95):6.1f} ms"
        )


if __name__ == "__main__":
    main()
