"""Exchange groups: the public group page, the private space and the staff overview at 200
groups, 3,000 members and 2,400 meetings (half of them held, with attendance and minutes):
SQL queries per page, latency and the process's own CPU per request (on a shared machine the
wall-clock time also counts the time other processes hold the cores). Production-like: DEBUG
off (cached templates, no query log). A throwaway SQLite database, or
BENCH_DATABASE_URL=postgres://… (that database is emptied first).

    python bench/groups.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/terreau_bench python bench/groups.py
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
os.environ["DJANGO_SETTINGS_MODULE"] = "terreau.settings"
os.environ["TERREAU_DATA_DIR"] = tempfile.mkdtemp(prefix="terreau-bench-")
os.environ.pop("DATABASE_URL", None)
if os.environ.get("BENCH_DATABASE_URL"):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from benchdb import ensure_database

    ensure_database(os.environ["BENCH_DATABASE_URL"])
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
os.environ.setdefault("AXES_ENABLED", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

GROUPS = 200
MEMBERS = 15  # per group: 3,000
MEETINGS = 12  # per group: 2,400
REQUESTS = 50


def build():
    from terreau.accounts.models import User
    from terreau.directory.models import Person
    from terreau.events.models import Event, EventDay, Registration, Venue
    from terreau.groups.models import (
        ExchangeGroup,
        GroupMeeting,
        GroupMembership,
        MeetingAttendance,
        Minutes,
    )

    today = timezone.localdate()
    start = today - dt.timedelta(days=185)
    venue = Venue.objects.create(name="Salle du bench", address="1 rue du Bench")
    groups = ExchangeGroup.objects.bulk_create(
        ExchangeGroup(
            name=f"Groupe {index}",
            slug=f"groupe-{index}",
            starts_on=start,
            ends_on=start + dt.timedelta(days=364),
            description="Un groupe d'échanges de pratiques.",
        )
        for index in range(GROUPS)
    )
    users = User.objects.bulk_create(
        User(email=f"f{index}@bench.example.org", password="!") for index in range(GROUPS)
    )
    facilitators = Person.objects.bulk_create(
        Person(
            first_name="Anim",
            last_name=f"Ateur{index}",
            slug=f"anim-{index}",
            email=f"f{index}@bench.example.org",
            user=user,
        )
        for index, user in enumerate(users)
    )
    people = Person.objects.bulk_create(
        Person(
            first_name=f"Prénom{index}",
            last_name=f"Nom{index}",
            slug=f"membre-{index}",
            email=f"m{index}@bench.example.org",
            phone="03 20 00 00 00",
        )
        for index in range(GROUPS * MEMBERS)
    )
    GroupMembership.objects.bulk_create(
        GroupMembership(group=group, person=facilitators[g], role="facilitator", joined_on=start)
        for g, group in enumerate(groups)
    )
    memberships = GroupMembership.objects.bulk_create(
        GroupMembership(
            group=groups[index // MEMBERS],
            person=person,
            joined_on=start,
            charter_accepted_at=timezone.now(),
        )
        for index, person in enumerate(people)
    )
    events = []
    for g, group in enumerate(groups):
        for n in range(MEETINGS):
            date = start + dt.timedelta(days=30 * n + 5)
            starts = timezone.make_aware(dt.datetime.combine(date, dt.time(9, 30)))
            events.append(
                Event(
                    title=f"{group.name} — {n + 1}",
                    slug=f"g{g}-m{n}",
                    kind="group_meeting",
                    state="published",
                    audience="group_members",
                    venue=venue,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=7),
                )
            )
    events = Event.objects.bulk_create(events)
    EventDay.objects.bulk_create(
        EventDay(
            event=event,
            date=timezone.localtime(event.starts_at).date(),
            starts_at=dt.time(9, 30),
            ends_at=dt.time(16, 30),
        )
        for event in events
    )
    meetings = GroupMeeting.objects.bulk_create(
        GroupMeeting(group=groups[index // MEETINGS], event=event, number=index % MEETINGS + 1)
        for index, event in enumerate(events)
    )
    Registration.objects.bulk_create(
        Registration(
            event=meeting.event,
            person=membership.person,
            first_name=membership.person.first_name,
            last_name=membership.person.last_name,
            email=membership.person.email,
            status="confirmed",
            token=f"b-{meeting.pk}-{membership.pk}",
        )
        for index, meeting in enumerate(meetings)
        for membership in memberships[
            (index // MEETINGS) * MEMBERS : (index // MEETINGS + 1) * MEMBERS
        ]
    )
    held = [m for m in meetings if m.event.starts_at < timezone.now()]
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(
            meeting=meeting,
            membership=membership,
            status="present" if (meeting.pk + membership.pk) % 7 else "absent",
            source="check_in",
        )
        for meeting in held
        for membership in memberships[
            (meeting.group_id - groups[0].pk) * MEMBERS : (meeting.group_id - groups[0].pk + 1)
            * MEMBERS
        ]
    )
    Minutes.objects.bulk_create(
        Minutes(meeting=meeting, body="## Compte rendu\n\nTexte.", is_published=True)
        for meeting in held[::2]
    )
    staff = User.objects.create(email="bench@terreau.localhost", is_staff=True, is_superuser=True)
    return groups, users, staff, len(held)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def measure(client, url, before=None) -> tuple[int, list[float], list[float]]:
    """Queries of one request, then wall and CPU times of REQUESTS more; `before()` runs
    ahead of each request, outside the timing (the overview without its cache)."""
    before = before or (lambda: None)
    before()
    client.get(url)
    reset_queries()
    before()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200, url
    queries = len(context.captured_queries)  # read now: the property reads the live log
    times, cpu = [], []
    for _ in range(REQUESTS):
        before()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    reset_queries()
    return queries, times, cpu


def main() -> None:
    from django.core.cache import cache

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if os.environ.get("BENCH_DATABASE_URL"):
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    print(
        f"database: {connection.vendor}; DEBUG {settings.DEBUG}; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    started = time.perf_counter()
    groups, users, staff, held = build()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum does after a bulk load
    from terreau.groups.models import GroupMembership, MeetingAttendance

    print(
        f"built {len(groups)} groups, {GroupMembership.objects.count()} members and "
        f"facilitators, {len(groups) * MEETINGS} meetings ({held} held), "
        f"{MeetingAttendance.objects.count()} attendance rows in "
        f"{time.perf_counter() - started:.0f} s"
    )

    def uncached_pages():
        settings.PAGE_CACHE_ENABLED = False

    def cached_pages():
        settings.PAGE_CACHE_ENABLED = True

    pages = []
    for index in (0, len(groups) - 1):
        group, user = groups[index], users[index]
        anonymous, facilitator = Client(), Client()
        facilitator.force_login(user)
        detail = reverse("groups:detail", args=[group.slug])
        pages.append((f"group page ({group.slug})", anonymous, detail, uncached_pages))
        pages.append((f"  … page cache ({group.slug})", anonymous, detail, cached_pages))
        pages.append(
            (
                f"private space ({group.slug})",
                facilitator,
                reverse("groups:space", args=[group.slug]),
                None,
            )
        )
    admin = Client()
    admin.force_login(staff)
    overview = reverse("groups:overview")
    from terreau.groups.selectors import overview_cache_key

    def forget_overview():
        cache.delete(overview_cache_key())

    pages.append(("staff overview (200 groups)", admin, overview, forget_overview))
    pages.append(("  … rows cached", admin, overview, None))
    pages.append(("staff overview CSV", admin, reverse("groups:overview_csv"), None))
    for label, client, url, before in pages:
        queries, times, cpu = measure(client, url, before)
        print(
            f"{label:<36} {queries:>3} queries  p50 {statistics.median(times):6.1f} ms  "
            f"p95 {percentile(times, 0.95):6.1f} ms   CPU p50 {statistics.median(cpu):5.1f} ms  "
            f"p95 {percentile(cpu, 0.95):5.1f} ms"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("budget: p95 ≤ 50 ms and a constant number of queries per page")


if __name__ == "__main__":
    main()
