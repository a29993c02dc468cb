"""Server time of the library's list (plain, searched, filtered, a far page) and of a resource's
page, with 20,000 resources (N=… to change), on a throwaway database (SQLite in memory, or the
test database of DATABASE_URL's server). Prints wall and CPU time and the number of queries.

    python bench/library_list.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terreau python bench/library_list.py
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terreau.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

N = int(os.environ.get("N", "20000"))
RUNS = int(os.environ.get("RUNS", "30"))
WORDS = ["démocratie", "participative", "élus", "habitants", "concertation", "budget", "quartier"]


def timed(label, client, url, runs=RUNS):
    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        assert client.get(url).status_code == 200
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(url)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    print(
        f"{label:<40} wall median {statistics.median(walls):7.1f} ms   "
        f"CPU median {statistics.median(cpus):7.1f} ms   {len(queries)} queries"
    )


def build():
    from terreau.core.models import Theme
    from terreau.core.search import normalise
    from terreau.directory.models import Organisation
    from terreau.library.models import Resource, ResourceKind, ResourceState

    rng = random.Random(2026)
    themes = [Theme.objects.create(name=f"Thème {i}", slug=f"theme-{i}") for i in range(30)]
    organisations = [
        Organisation.objects.create(name=f"Structure {i}", slug=f"structure-{i}", kind="commune")
        for i in range(200)
    ]
    kinds = [kind for kind, _ in ResourceKind.choices]
    resources = []
    for i in range(N):
        title = " ".join(rng.sample(WORDS, 3)).capitalize() + f" {i}"
        summary = "Un document du réseau sur " + " ".join(rng.sample(WORDS, 4)) + "."
        resources.append(
            Resource(
                title=title,
                slug=f"ressource-{i}",
                kind=rng.choice(kinds),
                summary=summary,
                body="Un **texte** de la ressource. " * 40,
                published_on=dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(5000)),
                state=ResourceState.PUBLISHED,
                search_text=normalise(title, summary),  # bulk_create skips save()
            )
        )
    Resource.objects.bulk_create(resources, batch_size=2000)
    ids = list(Resource.objects.values_list("pk", flat=True))
    through = Resource.themes.through
    through.objects.bulk_create(
        (through(resource_id=pk, theme_id=t.pk) for pk in ids for t in rng.sample(themes, 2)),
        batch_size=5000,
    )
    through = Resource.organisations.through
    through.objects.bulk_create(
        (through(resource_id=pk, organisation_id=rng.choice(organisations).pk) for pk in ids),
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does after a bulk load


def main():
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        start = time.perf_counter()
        build()
        print(f"{connection.vendor}: {N} resources built in {time.perf_counter() - start:.1f} s")
        client = Client()
        timed("list, first page (20)", client, "/ressources/")
        timed("list, 100 per page", client, "/ressources/?par_page=100")
        timed("list, far page", client, f"/ressources/?page={N // 20 - 1}")
        timed("list, search « ELUS »", client, "/ressources/?q=ELUS")
        timed(
            "list, kind + theme + year + search",
            client,
            "/ressources/?type=guide&theme=theme-3&annee=2015&q=democratie",
        )
        timed("resource page", client, f"/ressources/ressource-{N // 2}/")
        if os.environ.get("PROFILE"):
            import cProfile

            cProfile.runctx(
                "client.get('/ressources/?par_page=100')", globals(), locals(), sort="cumtime"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
