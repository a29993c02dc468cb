"""Registration under load, against a real server (gunicorn) on a throwaway database.

1. 50 concurrent clients sign up for one 100-seat event, four times each with new e-mails (200
   sign-ups in all), in two ways: back to back (GET the form, POST it, again: 50 requests always
   in flight), and as 50 people who have the form open and submit at the same instant (four
   waves). Oversubscription (must be 0) and the latency of the POSTs (p50 / p95 / max).
2. The staff registration table of an event with 100,000 registrations: p95 of 50 page loads
   (first page, then filtered), and the time to stream the whole CSV export once.

    python bench/events_registration.py                 # throwaway SQLite file
    python bench/events_registration.py --postgres      # throwaway PostgreSQL database
    python bench/events_registration.py --skip-table    # only the concurrent sign-ups
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 50
SIGNUPS_PER_CLIENT = 4
CAPACITY = 100
TABLE_ROWS = 100_000
# Synchronous workers, one per CPU, as the README's deployment runs gunicorn: threads only add
# GIL contention to CPU-bound requests (measured: p95 twice as high with 4 threads each).
WORKERS = max(2, os.cpu_count() or 2)
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")

SETUP = """
import datetime as dt
from django.utils import timezone
from terreau.events.models import Event
start = timezone.now() + dt.timedelta(days=30)
for slug, capacity in (("bench-100-places", {capacity}), ("bench-100-places-waves", {capacity}),
                       ("bench-table", None)):
    Event.objects.get_or_create(slug=slug, defaults=dict(
        title="Journée régionale (banc d'essai)", kind="regional_day", state="published",
        starts_at=start, ends_at=start + dt.timedelta(hours=8), capacity=capacity))
print("ok")
"""

COUNTS = """
from terreau.events.models import Registration
qs = Registration.objects.filter(event__slug="{slug}")
print(qs.filter(status="confirmed").count(), qs.filter(status="waitlisted").count(), qs.count())
"""

FILL_TABLE = """
import random
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from terreau.events.models import Event, Registration
event = Event.objects.get(slug="bench-table")
rng = random.Random(1)
statuses = ["confirmed"] * 8 + ["waitlisted", "cancelled"]
categories = ["public_staff", "elected", "association_staff", "citizen", "researcher"]
batch = []
for n in range({rows}):
    batch.append(Registration(event=event, first_name="Prénom%d" % n, last_name="Nom%d" % n,
        email="p%d@exemple.org" % n, status=rng.choice(statuses),
        actor_category=rng.choice(categories), employer="Ville de Lille", consent=True,
        token="bench-%d" % n))
    if len(batch) == 5000:
        Registration.objects.bulk_create(batch)
        batch = []
Registration.objects.bulk_create(batch)
from django.db import connection
if connection.vendor == "postgresql":
    # Planner statistics, as autovacuum gathers them within a minute of a bulk load: without
    # them PostgreSQL believes the event has a few rows and picks plans for a few rows.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE events_registration")
user = get_user_model().objects.create_superuser("bench@exemple.org", "bench-pass-phrase")
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "terreau", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    # The last line is the snippet's answer (the shell may print a banner first).
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


class Client:
    """One browser: its own connection and cookies."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method: str, path: str, body: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, content


def server_cpu_seconds(master_pid: int) -> float:
    """User + system CPU of the gunicorn master and its workers (Linux /proc), so that the
    figures can be read on a busy machine too."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == master_pid or ppid == master_pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def warm_up(port: int) -> None:
    """Load every worker's code and templates before measuring (first requests compile them)."""

    def run() -> None:
        for _ in range(5):
            Client(port).request("GET", "/evenements/bench-table/inscription/")

    threads = [threading.Thread(target=run) for _ in range(4 * WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def concurrent_signups(port: int, slug: str, *, together: bool) -> dict:
    """Each of the clients signs up SIGNUPS_PER_CLIENT times. `together=False`: back to back
    (GET the form, POST it, again), so that 50 requests are always in flight; `together=True`:
    every client loads the form, then all submit at the same instant (a barrier), in waves."""
    path = f"/evenements/{slug}/inscription/"
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(CLIENTS)

    def run(index: int) -> None:
        client = Client(port)
        barrier.wait()
        for attempt in range(SIGNUPS_PER_CLIENT):
            status, content = client.request("GET", path)
            if together:
                barrier.wait()
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
            form = {
                "csrfmiddlewaretoken": token.group(1).decode() if token else "",
                "first_name": "Camille",
                "last_name": f"Client{index}",
                "email": f"client{index}.{attempt}@exemple.org",
                "consent": "on",
            }
            started = time.perf_counter()
            status, _ = client.request("POST", path, form)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses.append(status)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "latencies": latencies,
        "statuses": statuses,
        "wall": time.perf_counter() - started,
    }


def table_timings(port: int, session_key: str, cpu) -> dict:
    client = Client(port, {"sessionid": session_key})
    base = "/evenements/gestion/bench-table/inscriptions/"
    queries = ["", "?status=confirmed", "?actor_category=elected&page=3", "?q=Nom4242"]
    timings = []
    by_query: dict[str, list[float]] = {q: [] for q in queries}
    cpu_start = cpu()
    for i in range(50):
        query = queries[i % len(queries)]
        started = time.perf_counter()
        status, content = client.request("GET", base + query)
        timings.append(time.perf_counter() - started)
        by_query[query].append(timings[-1])
        if status != 200:
            raise SystemExit(f"table returned {status}")
    cpu_pages = cpu() - cpu_start
    started = time.perf_counter()
    status, content = client.request("GET", base + "export.csv")
    export = time.perf_counter() - started
    return {
        "timings": timings,
        "by_query": by_query,
        "export": export,
        "lines": content.count(b"\n"),
        "cpu_pages": cpu_pages,
        "cpu_export": cpu() - cpu_start - cpu_pages,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--skip-table", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="terreau-bench-"))
    # Production settings (DEBUG off), with static files served from the finders so that the
    # benchmark needs no collectstatic run.
    (workdir / "bench_settings.py").write_text(
        "from terreau.settings import *  # noqa\n"
        "STORAGES['staticfiles'] = "
        "{'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}\n"
        "WHITENOISE_USE_FINDERS = True\n"
    )
    env = os.environ | {
        "PYTHONPATH": f"{workdir}{os.pathsep}{ROOT / 'src'}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "TERREAU_DATA_DIR": str(workdir),
        "SECRET_KEY": "bench-only-secret-key-not-for-production",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "TERREAU_INSECURE_COOKIES": "1",
        "EMAIL_URL": "dummy://",
        "AXES_ENABLED": "0",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL", None)
    database = f"SQLite file in {workdir}"
    pg_name = None
    if args.postgres:
        import psycopg

        pg_name = f"terreau_bench_{os.getpid()}"
        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {pg_name}")
        env["DATABASE_URL"] = f"{PG_URL}/{pg_name}"
        database = f"PostgreSQL ({pg_name})"

    server = None
    try:
        manage(env, "migrate", "--no-input")
        manage(env, "shell", "-c", SETUP.format(capacity=CAPACITY))
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "terreau.wsgi",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "error",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)

        warm_up(port)
        print(
            f"Database: {database}; server: gunicorn, {WORKERS} synchronous workers; "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start"
        )
        for slug, together, label in (
            ("bench-100-places", False, "back to back (GET the form, POST it, again)"),
            ("bench-100-places-waves", True, "form loaded, then all submit at once, in waves"),
        ):
            cpu_before = server_cpu_seconds(server.pid)
            client_before = time.process_time()
            result = concurrent_signups(port, slug, together=together)
            cpu_signups = server_cpu_seconds(server.pid) - cpu_before
            cpu_clients = time.process_time() - client_before
            counts = manage(env, "shell", "-c", COUNTS.format(slug=slug)).split()
            confirmed, waitlisted, total = map(int, counts)
            lat = [x * 1000 for x in result["latencies"]]
            errors = sum(1 for s in result["statuses"] if s >= 500)
            print(
                f"Sign-ups: {CLIENTS} concurrent clients × {SIGNUPS_PER_CLIENT} on a "
                f"{CAPACITY}-seat event, {label}"
            )
            print(
                f"  registrations {total}: confirmed {confirmed}, waiting list {waitlisted}; "
                f"oversubscription {max(0, confirmed - CAPACITY)} (must be 0); "
                f"server errors {errors}"
            )
            print(
                f"  POST latency: p50 {statistics.median(lat):.0f} ms, "
                f"p95 {percentile(lat, 95):.0f} ms, max {max(lat):.0f} ms "
                f"(budget p95 ≤ 200 ms); {len(lat) / result['wall']:.0f} sign-ups/s"
            )
            print(
                f"  server CPU: {1000 * cpu_signups / len(lat):.1f} ms per sign-up "
                f"(form GET + POST); the {CLIENTS} clients of this benchmark, on the same "
                f"CPUs: {1000 * cpu_clients / len(lat):.1f} ms; latency above that is queueing"
            )

        if not args.skip_table:
            session_key = manage(env, "shell", "-c", FILL_TABLE.format(rows=TABLE_ROWS))
            table = table_timings(port, session_key, lambda: server_cpu_seconds(server.pid))
            t = [x * 1000 for x in table["timings"]]
            print(f"Staff registration table, one event with {TABLE_ROWS:,} registrations:")
            print(
                f"  page load p50 {statistics.median(t):.0f} ms, p95 {percentile(t, 95):.0f} ms "
                f"(budget p95 ≤ 100 ms); CSV export of {table['lines'] - 1:,} rows streamed in "
                f"{table['export']:.1f} s"
            )
            print(
                "  median per page: "
                + ", ".join(
                    f"{query or 'first page'} {1000 * statistics.median(values):.0f} ms"
                    for query, values in table["by_query"].items()
                )
            )
            print(
                f"  server CPU: {1000 * table['cpu_pages'] / 50:.0f} ms per page, "
                f"{table['cpu_export']:.1f} s for the export"
            )
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if pg_name:
            import psycopg

            with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
