"""Public pages side by side with a bare Django view, served as in production.

Builds a throwaway database with the demo data (the seed events, initiatives, resources,
directory), serves it with gunicorn (2 synchronous workers, DEBUG off) on the loopback, and
drives each public page with a bounded load (a Python client: CONNECTIONS requests in flight at
most, REQUESTS answers per page after a warm-up), with a bare Django template view on the same
server, through the same middleware, in the same run (measured right before each page: the ratio
of each page is to the bare view's figure of that moment, so that the machine's load moving
during the run does not bias it). Prints req/s, p50/p95 and the ratio to the bare view for each
page, with the page cache (`core.pagecache`) on and off.

    python bench/pages.py                   # SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/terreau_bench python bench/pages.py

The query count of each page is that of one uncached request, in-process. The event page is
compared with pretalx's event landing through their shares of the bare view's req/s (issue
15's side-by-side run; pretalx is not installed here).
"""

import asyncio
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import ensure_database  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1000"))
# Rounds, interleaved page by page; the figures printed are the medians over rounds.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARM_UP = 50
CONNECTIONS = 8
PORT = int(os.environ.get("BENCH_PORT", "8765"))
# "on" or "off" measures only with the page cache on, or off (both by default).
CACHE_MODES = {"on": (True,), "off": (False,)}.get(os.environ.get("BENCH_CACHE", ""), (False, True))

SETTINGS = """
import os
from terreau.settings import *  # noqa: F403

ROOT_URLCONF = "bench_pages_urls"
PAGE_CACHE_ENABLED = os.environ.get("BENCH_PAGE_CACHE", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# One client asks thousands of pages a minute: the per-client limits are not measured here.
TERREAU_RATES = {"search": "1000000/m", "api": "1000000/m"}
_engine = dict(TEMPLATES[0])  # noqa: F405
_engine["APP_DIRS"] = False
_engine["DIRS"] = [os.environ["BENCH_TEMPLATES"]]
_engine["OPTIONS"] = dict(_engine["OPTIONS"])
_engine["OPTIONS"]["loaders"] = [
    (
        "django.template.loaders.cached.Loader",
        [
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    )
]
TEMPLATES = [_engine]
"""
URLS = """
from django.shortcuts import render
from django.urls import include, path

from terreau.urls import urlpatterns as site


def bare(request):
    return render(request, "bench_bare.html", {"title": "Bare Django view"})


urlpatterns = [path("bench/bare/", bare), *site]
"""
BARE_TEMPLATE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>{{ title }}</title></head><body><main><h1>{{ title }}</h1>
<p>Une page rendue par un gabarit.</p></main></body></html>
"""


def run(*args, env, **kwargs):
    return subprocess.run([sys.executable, *args], env=env, check=True, **kwargs)


def build(tmp: Path, env: dict) -> None:
    manage = str(ROOT / "manage.py")
    started = time.perf_counter()
    if os.environ.get("BENCH_DATABASE_URL"):
        ensure_database(os.environ["BENCH_DATABASE_URL"])
        run(manage, "flush", "--no-input", env=env, stdout=subprocess.DEVNULL)
    run(manage, "migrate", "-v0", env=env)
    run(manage, "load_demo", env=env, stdout=subprocess.DEVNULL)
    run(manage, "collectstatic", "--no-input", "-v0", env=env)
    print(f"demo data built in {time.perf_counter() - started:.0f} s")


def pages(env: dict) -> list[tuple[str, str, str]]:
    """(label, path, queries of one uncached request) of the public pages, from the demo
    data."""
    code = """
import sys
import django; django.setup()
from terreau.events import demo
from terreau.events.models import Event, Session
from terreau.observatory.models import Initiative, Method, PublicationState
from terreau.library.models import Resource, ResourceState
from terreau.directory.models import Organisation, Person
from terreau.territories.models import Department
published = PublicationState.PUBLISHED
lille = Event.objects.get(slug=demo.LILLE_SLUG)
sessions = Session.objects.filter(slot__day__event=lille)
session = sessions.order_by("-slot__round_number", "pk").first()
rows = [
    ("agenda (past events)", lambda: "/evenements/?period=past"),
    ("event page (Lille 2014)", lille.get_absolute_url),
    ("programme (Lille 2014)", lambda: f"/evenements/{lille.slug}/programme/"),
    ("session page", lambda: f"/evenements/{lille.slug}/sessions/{session.pk}/"),
    ("initiative", lambda: Initiative.objects.filter(state=published)[0].get_absolute_url()),
    ("method", lambda: Method.objects.filter(state=published)[0].get_absolute_url()),
    ("resource", lambda: Resource.objects.filter(state="published")[0].get_absolute_url()),
    ("organisation", lambda: Organisation.objects.all()[0].get_absolute_url()),
    ("directory list", lambda: "/annuaire/"),
    ("territory (departement)", lambda: "/territoires/departements/59/"),
]
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

settings.ALLOWED_HOSTS = ["testserver"]
settings.PAGE_CACHE_ENABLED = False
client = Client(HTTP_ACCEPT_LANGUAGE="fr")
for label, url in rows:
    try:
        path = url()
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(label + "\\t" + path + "\\t" + str(len(queries)))
    except Exception as error:
        print(f"{label}: left out ({error!r})", file=sys.stderr)
"""
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    print(done.stderr, end="")
    out = done.stdout
    return [tuple(line.split("\t")) for line in out.strip().splitlines()]


HEADERS = (
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
    "Accept-Language: fr-FR,fr;q=0.9,en;q=0.8\r\nAccept-Encoding: identity\r\n"
)


async def fetch(path: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{HEADERS}Connection: close\r\n\r\n".encode()
    )
    await writer.drain()
    data = await reader.read()
    writer.close()
    status = int(data[9:12]) if len(data) > 12 else 0
    return time.perf_counter() - started, status, len(data)


async def load(path: str, count: int) -> tuple[float, list[float], set[int], int]:
    """`count` answers, CONNECTIONS in flight at most: (seconds, latencies, statuses, bytes)."""
    latencies, statuses, size = [], set(), 0
    queue = iter(range(count))

    async def worker():
        nonlocal size
        for _ in queue:
            elapsed, status, length = await fetch(path)
            latencies.append(elapsed)
            statuses.add(status)
            size = length

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    return time.perf_counter() - started, latencies, statuses, size


def measure(path: str) -> dict:
    asyncio.run(load(path, WARM_UP))
    seconds, latencies, statuses, size = asyncio.run(load(path, REQUESTS))
    latencies.sort()
    return {
        "rps": REQUESTS / seconds,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "statuses": statuses,
        "kb": size / 1024,
    }


def serve(env: dict, cached: bool):
    server_env = {**env, "BENCH_PAGE_CACHE": "1" if cached else "0"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            "bench_pages_settings_wsgi:application",
        ],
        env=server_env,
        cwd=env["BENCH_DIR"],
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


# Issue 15's side-by-side run (same machine, same set-up): pretalx's event landing answered
# 91.3 req/s beside 1,827 for the bare Django view on the same server. pretalx is not installed
# here: the event page is compared through its share of the bare view, measured in its own run.
PRETALX_SHARE = 91.3 / 1827


def _median_run(rows: list[dict]) -> dict:
    """The median of each figure over rounds (statuses: all seen)."""
    return {
        "rps": statistics.median(row["rps"] for row in rows),
        "p50": statistics.median(row["p50"] for row in rows),
        "p95": statistics.median(row["p95"] for row in rows),
        "kb": rows[-1]["kb"],
        "ratio": statistics.median(row.get("ratio", 1.0) for row in rows),
        "statuses": set().union(*(row["statuses"] for row in rows)),
    }


def main() -> None:
    kept = os.environ.get("BENCH_DATA_DIR")  # build once, measure again
    tmp = Path(kept) if kept else Path(tempfile.mkdtemp(prefix="terreau-bench-pages-"))
    built = (tmp / "built").exists()
    (tmp / "templates").mkdir(exist_ok=True)
    (tmp / "templates" / "bench_bare.html").write_text(BARE_TEMPLATE)
    (tmp / "bench_pages_settings.py").write_text(SETTINGS)
    (tmp / "bench_pages_urls.py").write_text(URLS)
    (tmp / "bench_pages_settings_wsgi.py").write_text(
        "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT / "src")]),
        "DJANGO_SETTINGS_MODULE": "bench_pages_settings",
        "TERREAU_DATA_DIR": str(tmp / "data"),
        "BENCH_TEMPLATES": str(tmp / "templates"),
        "BENCH_DIR": str(tmp),
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "TERREAU_INSECURE_COOKIES": "1",
    }
    env.pop("DATABASE_URL", None)
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    database = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    try:
        if not built:
            build(tmp, env)
            (tmp / "built").touch()
        targets = [("bare Django template view", "/bench/bare/", "0"), *pages(env)]
        runs: dict[tuple[str, bool], list[dict]] = {}
        loads = [os.getloadavg()[0]]
        for _round in range(ROUNDS):
            for cached in CACHE_MODES:
                server = serve(env, cached)
                try:
                    # The bare view is measured right before each page, so that a change of
                    # the machine's load during the run moves both sides of each ratio.
                    for label, path, _queries in targets[1:]:
                        bare_row = measure(targets[0][1])
                        runs.setdefault((targets[0][0], cached), []).append(bare_row)
                        page_row = measure(path)
                        page_row["ratio"] = page_row["rps"] / bare_row["rps"]
                        runs.setdefault((label, cached), []).append(page_row)
                finally:
                    server.send_signal(signal.SIGTERM)
                    server.wait(timeout=30)
            loads.append(os.getloadavg()[0])
        results = {key: _median_run(rows) for key, rows in runs.items()}
        print(
            f"\n{database}, gunicorn 2 sync workers, DEBUG off, {CONNECTIONS} connections, "
            f"{REQUESTS} answers per page after {WARM_UP}, median of {ROUNDS} rounds; "
            f"load average (1 min) {', '.join(f'{value:.1f}' for value in loads)} "
            "(before the first round and after each)"
        )
        print(
            f"{'page':30} {'cache':6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'KB':>6} "
            f"{'queries':>7}  ratio"
        )
        for cached in CACHE_MODES:
            for label, _path, queries in targets:
                row = results[(label, cached)]
                flag = "" if row["statuses"] == {200} else f"  statuses {sorted(row['statuses'])}"
                print(
                    f"{label:30} {'on' if cached else 'off':6} {row['rps']:8.1f} "
                    f"{row['p50']:8.1f} {row['p95']:8.1f} {row['kb']:6.1f} "
                    f"{queries if not cached else '':>7}  {row['ratio']:5.0%}{flag}"
                )
        for cached in CACHE_MODES:
            event = results[("event page (Lille 2014)", cached)]["ratio"]
            print(
                f"Event page, cache {'on' if cached else 'off'}: {event:.1%} of the bare view; "
                f"pretalx's landing reached {PRETALX_SHARE:.1%} of it in issue 15's run: "
                f"{event / PRETALX_SHARE:.1f}× pretalx's landing"
            )
    finally:
        if not kept:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
