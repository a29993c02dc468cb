"""Event pages at scale: programme page, event page and agenda p50/p95 with 2,000 events and
100,000 registrations, in a throwaway SQLite database (BENCH_DATABASE_URL=postgres://… to
measure PostgreSQL instead; that database is emptied first)."""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
TMP = tempfile.mkdtemp(prefix="terreau-bench-events-")
os.makedirs(os.path.join(TMP, "static"), exist_ok=True)
os.environ["TERREAU_DATA_DIR"] = TMP
os.environ.pop("DATABASE_URL", None)
if os.environ.get("BENCH_DATABASE_URL"):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from benchdb import ensure_database

    ensure_database(os.environ["BENCH_DATABASE_URL"])
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terreau.settings")
# Production-like: DEBUG off (cached templates, no query log), a throwaway key.
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REQUESTS = 300
REGISTRATIONS = 100_000


def build() -> None:
    from terreau.core.demo import load_themes
    from terreau.events import dataset
    from terreau.events.models import Event, Registration

    if os.environ.get("BENCH_DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    load_themes()
    started = time.perf_counter()
    dataset.generate(scale="large", rng=random.Random(2026), stdout=sys.stdout)
    events = list(Event.objects.values_list("pk", flat=True))
    per_event = REGISTRATIONS // len(events)
    Registration.objects.bulk_create(
        [
            Registration(
                event_id=pk,
                first_name="Camille",
                last_name=f"Participant {n}",
                email=f"p{pk}-{n}@example.org",
                status="confirmed",
                token=f"t{pk}-{n}",
            )
            for pk in events
            for n in range(per_event)
        ],
        batch_size=5000,
    )
    print(
        f"\nbuilt {len(events)} events, {Registration.objects.count()} registrations "
        f"in {time.perf_counter() - started:.1f} s"
    )


def measure(client: Client, label: str, urls: list[str]) -> None:
    for url in urls[:5]:  # warm-up (templates, caches)
        client.get(url)
    timings, cpu, queries = [], [], []
    for url in urls:
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.thread_time()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured.captured_queries))

    def p95(values):
        return sorted(values)[int(len(values) * 0.95) - 1]

    print(
        f"{label:<26} n={len(urls):>4}  wall p50={statistics.median(timings):6.1f} "
        f"p95={p95(timings):6.1f} ms  CPU p50={statistics.median(cpu):5.1f} "
        f"p95={p95(cpu):5.1f} ms  queries={min(queries)}–{max(queries)}"
    )


def main() -> None:
    from terreau.events.models import Event

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs (wall times grow with the load;")
    print("CPU time is this process's own work, SQLite included)")
    build()
    rng = random.Random(7)
    slugs = list(Event.objects.filter(state="published").values_list("slug", flat=True))
    sample = [rng.choice(slugs) for _ in range(REQUESTS)]
    client = Client()
    measure(client, "programme page", [f"/evenements/{slug}/programme/" for slug in sample])
    measure(client, "event page", [f"/evenements/{slug}/" for slug in sample])
    measure(
        client, "agenda (upcoming, page n)", [f"/evenements/?page={n % 30 + 1}" for n in range(100)]
    )
    measure(client, "agenda (past, filtered)", ["/evenements/?period=past&kind=training"] * 50)
    measure(client, "month view", [f"/evenements/mois/2026/{n % 12 + 1}/" for n in range(60)])
    print("budget: programme page p95 ≤ 100 ms")


if __name__ == "__main__":
    main()
