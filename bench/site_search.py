"""The site-wide search (/recherche/) at the issue's scale: 20,000 initiatives (the
observatory's synthetic data set, in its own index), 50,000 people, 10,000 resources with the
extracted text of their attachments (about 3 KB each) and 2,000 events (rows of the site-wide
index), on SQLite and on PostgreSQL. Prints the median and 95th percentile of the server time
of the results page (every kind grouped), one kind's page, a page with facets and the
suggestions, with the number of SQL queries of each. Budget: p95 ≤ 60 ms.

python bench/site_search.py                 # both databases (PostgreSQL when it answers)
python bench/site_search.py sqlite          # one of them

Times are measured in-process with Django's test client (middleware, views, templates; no
network); "CPU" is the Python process's own CPU time, steadier on a busy machine.
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from observatory import (  # noqa: E402
    _fallback_communes,
    percentile,
    run_in_throwaway_databases,
)

PG_NAME = "terreau_bench_site_search"
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
BUDGET_MS = 60
PEOPLE, RESOURCES, EVENTS = 50_000, 10_000, 2_000
WORDS = str.split(
    "participation habitants concertation budget participatif quartier élus démocratie "
    "citoyenne transition écologique jardin partagé conseil citoyen mairie collectif "
    "association territoire rural friche commune agglomération jeunesse débat public "
    "convention coopérative atelier diagnostic enquête évaluation mobilité alimentation "
    "énergie logement santé culture numérique solidarité éducation"
)
FIRST = str.split("Camille Dominique Claude Alix Sacha Maxime Lou Noa Eden Charlie")
LAST = str.split("Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Lefèvre")
QUERIES = [
    "budget participatif",
    "jardins partagés habitants",
    "élus concertation",
    "democratie citoyenne",
    "Lefevre",
    "transition écologique quartier",
]


class Counter:
    """An execute wrapper that counts the SQL queries."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, *args):
        self.count += 1
        return execute(*args)


def build_documents(rng) -> None:
    from django.db import transaction

    from terreau.core.models import Theme
    from terreau.search.models import SearchDocument

    themes = list(Theme.objects.values_list("pk", flat=True))
    departments = ["02", "59", "60", "62", "80"]
    through = SearchDocument.themes.through

    def text(words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words))

    specs = [
        (
            "people",
            PEOPLE,
            lambda n: (f"{rng.choice(FIRST)} {rng.choice(LAST)}", text(12), ""),
        ),
        (
            "resources",
            RESOURCES,
            lambda n: (f"Guide {text(4)}", text(30), text(450)),
        ),
        ("events", EVENTS, lambda n: (f"Journée {text(3)}", text(25), text(80))),
    ]
    with transaction.atomic():
        for kind, count, make in specs:
            for start in range(0, count, 2000):
                rows = []
                for n in range(start, min(count, start + 2000)):
                    title, summary, body = make(n)
                    rows.append(
                        SearchDocument(
                            kind=kind,
                            object_id=n + 1,
                            title=title,
                            summary=summary,
                            body=body,
                            url=f"/{kind}/{n + 1}/",
                            date=dt.date(rng.randint(2010, 2026), rng.randint(1, 12), 10),
                            department_code=rng.choice(departments),
                        )
                    )
                created = SearchDocument.objects.bulk_create(rows)
                if themes:
                    through.objects.bulk_create(
                        through(searchdocument_id=row.pk, theme_id=rng.choice(themes))
                        for row in created
                    )


def run_one(database: str) -> None:
    import django

    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terreau.settings")
    django.setup()

    from django.conf import settings
    from django.core.management import call_command, get_commands
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.TERREAU_RATES = {"search": "1000000/m"}
    settings.PAGE_CACHE_ENABLED = False  # every request searches

    from terreau.core.demo import load_themes
    from terreau.core.models import Theme
    from terreau.observatory import dataset
    from terreau.search.models import SearchDocument
    from terreau.territories.models import Commune

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Commune.objects.exists():
        if "load_territories" in get_commands():
            call_command("load_territories", "--region", "32", verbosity=0)
        else:
            _fallback_communes()
    load_themes()
    rng = random.Random(2026)
    from terreau.observatory.models import Initiative

    # A database kept from an earlier run (`--child` with DATABASE_URL) keeps its data.
    if Initiative.objects.count() < dataset.SIZES["large"]:
        dataset.generate(scale="large", rng=rng, stdout=None)
    if SearchDocument.objects.count() < PEOPLE + RESOURCES + EVENTS:
        build_documents(rng)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(
        f"{database}: {SearchDocument.objects.count()} indexed documents "
        f"({PEOPLE} people, {RESOURCES} resources, {EVENTS} events) and 20,000 initiatives "
        f"(built in {time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    theme = Theme.objects.order_by("pk").first()
    url = reverse("search:results")
    cases = [
        ("all kinds", lambda i: f"{url}?q={QUERIES[i % len(QUERIES)]}"),
        ("one kind (resources)", lambda i: f"{url}?q={QUERIES[i % len(QUERIES)]}&type=resources"),
        (
            "one kind, far page",
            lambda i: f"{url}?q=participation&type=people&page={5 + i % 20}",
        ),
        (
            "theme + département",
            lambda i: f"{url}?q={QUERIES[i % len(QUERIES)]}&theme={theme.slug}&department=59",
        ),
        ("operators, 10,000 chars", lambda i: f"{url}?q=" + ("NOT (a OR b) * " * 700)[:10_000]),
        ("suggestions", lambda i: reverse("search:suggest") + f"?q={QUERIES[i % 6][:7]}"),
    ]
    client = Client()
    print(
        f"{'case':<26}{'median ms':>10}{'p95 ms':>10}{'CPU median':>12}{'queries':>9}",
        flush=True,
    )
    for name, make in cases:
        for index in range(3):
            assert client.get(make(index)).status_code == 200, make(index)
        times, cpu, queries = [], [], set()
        for index in range(RUNS):
            counted = Counter()
            begin, begin_cpu = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(counted):
                response = client.get(make(index))
            times.append((time.perf_counter() - begin) * 1000)
            cpu.append((time.process_time() - begin_cpu) * 1000)
            queries.add(counted.count)
            assert response.status_code == 200
        over = "" if percentile(times, 0.95) <= BUDGET_MS else "  over budget"
        print(
            f"{name:<26}{statistics.median(times):>10.1f}{percentile(times, 0.95):>10.1f}"
            f"{statistics.median(cpu):>12.1f}{'/'.join(map(str, sorted(queries))):>9}{over}",
            flush=True,
        )


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--child":
        run_one(argv[1])
        return 0
    return run_in_throwaway_databases(__file__, argv, PG_NAME)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
