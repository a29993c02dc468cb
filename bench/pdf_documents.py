"""Printed documents of an event (WeasyPrint): wall and CPU time to draw the badges, a day's
sign-in sheet and the attendees' certificates for 300 and 1,000 confirmed registrants
(throwaway SQLite database, or DATABASE_URL).

    python bench/pdf_documents.py            # 300 and 1,000
    python bench/pdf_documents.py 300        # one size

The first document drawn also pays for importing WeasyPrint and loading the fonts ("cold").
"""

import datetime as dt
import io
import os
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

SIZES = (300, 1_000)
FIRST_NAMES = ["Camille", "Jean-Baptiste", "Aïcha", "Léa", "Mohamed", "Marie-Françoise", "Théo"]
NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand-Lefèvre"]
EMPLOYERS = [
    "Ville de Lille",
    "Département du Nord",
    "Centre social La Bourgogne",
    "IREV",
    "Communauté d'agglomération de Lens-Liévin",
    "",
]
CATEGORIES = ["elected", "public_staff", "association_staff", "volunteer", "citizen", ""]


def build(size: int):
    from terreau.events.models import AttendanceRecord, Event, EventDay, Registration

    starts = timezone.now() - dt.timedelta(hours=1)
    event = Event.objects.create(
        title=f"Journée régionale des initiatives citoyennes ({size})",
        slug=f"bench-pdf-{size}",
        kind="regional_day",
        state="published",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=8),
        has_certificate=True,
    )
    day = EventDay.objects.create(
        event=event, date=timezone.localdate(), starts_at=dt.time(9), ends_at=dt.time(17)
    )
    Registration.objects.bulk_create(
        Registration(
            event=event,
            first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
            last_name=f"{NAMES[index % len(NAMES)]}{index}",
            email=f"p{index}@bench.example.org",
            employer=EMPLOYERS[index % len(EMPLOYERS)],
            actor_category=CATEGORIES[index % len(CATEGORIES)],
            job_title="Chargée de mission" if index % 3 else "",
            status="confirmed",
            token=f"bench-pdf-{size}-{index}",
        )
        for index in range(size)
    )
    registrations = list(Registration.objects.filter(event=event))
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(registration=registration, day=day, half=half)
        for registration in registrations
        for half in ("am", "pm")
    )
    Registration.objects.filter(event=event).update(attendance="attended")
    return event, day


def measure(label: str, size: int, draw) -> bytes:
    wall, cpu = time.perf_counter(), time.process_time()
    content = draw()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    pages = len(__import__("pypdf").PdfReader(io.BytesIO(content)).pages)
    print(
        f"{size:>6} registrants  {label:<28} wall {wall:6.2f} s  cpu {cpu:6.2f} s  "
        f"{pages:>4} pages  {len(content) / 1024:7.0f} KiB",
        flush=True,
    )
    return content


def main(argv: list[str]) -> None:
    from django.conf import settings
    from django.test.utils import setup_test_environment

    sizes = tuple(int(arg) for arg in argv) or SIZES
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    translation.activate("fr")
    for index, size in enumerate(sizes):
        run(size, cold=index == 0)


def requests(event, size: int) -> None:
    """What staff wait for: the badges' link, then asking for them (the worker draws them)."""
    from django.test import Client
    from django.urls import reverse

    from terreau.accounts.models import User
    from terreau.events.models import EventDocument
    from terreau.events.services import onsite as services

    staff, _ = User.objects.get_or_create(
        email="bench-pdf@terreau.localhost", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(staff)
    url = reverse("events:badges_pdf", args=[event.slug])
    for label, send in [
        ("request: open badges link", client.get),
        ("request: ask for them", client.post),
    ]:
        wall, cpu = time.perf_counter(), time.process_time()
        response = send(url)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        kind = response["Content-Type"].split(";")[0]
        print(
            f"{size:>6} registrants  {label:<28} wall {wall:6.2f} s  cpu {cpu:6.2f} s  "
            f"{response.status_code} {kind}",
            flush=True,
        )
    document = EventDocument.objects.filter(event=event).latest("requested_at")
    if document.is_pending:
        wall, cpu = time.perf_counter(), time.process_time()
        services.event_document_build(document=document)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{size:>6} registrants  {'worker: draw and store them':<28} wall {wall:6.2f} s  "
            f"cpu {cpu:6.2f} s",
            flush=True,
        )


def run(size: int, *, cold: bool) -> None:
    from terreau.events import documents
    from terreau.events.selectors import onsite as selectors
    from terreau.events.services import onsite as services

    event, day = build(size)
    registrations = list(event.registrations.order_by("pk")[:50])

    def certificate():
        return services.certificate_render(registration=registrations[0])

    if cold:
        # Import WeasyPrint and load the fonts once: later figures are those of a warm worker.
        measure("cold start (1 certificate)", size, certificate)
    measure("badges", size, lambda: documents.badges_render(event=event))
    half_days = selectors.event_sign_in_sheet_half_days(event=event, day=day.pk)
    measure(
        "sign-in sheet (full day)",
        size,
        lambda: documents.sign_in_sheet_render(event=event, half_days=half_days),
    )
    measure("1 certificate", size, certificate)
    requests(event, size)
    wall, cpu = time.perf_counter(), time.process_time()
    for registration in registrations:
        services.certificate_render(registration=registration)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    count = len(registrations)
    print(
        f"{size:>6} registrants  {'certificates e-mailed':<28} wall {wall / count * 1000:6.0f} ms "
        f"cpu {cpu / count * 1000:6.0f} ms  each (mean of {count}; {size} take "
        f"{cpu / count * size:.0f} s of CPU in the worker)",
        flush=True,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
