"""Directory: time to generate the large synthetic directory, then list-page speed and queries.

Runs on a throwaway SQLite database (or DATABASE_URL when set): loads the Hauts-de-France
communes and the themes, generates 20,000 organisations and 50,000 people
(`directory.dataset`, scale large), then renders the list pages with filters and prints the
time (wall clock and this process's CPU time, which a busy machine does not inflate) and the
number of SQL queries of each.
"""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terreau.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("TERREAU_DATA_DIR", tempfile.mkdtemp(prefix="terreau-bench-"))

PAGES = [
    "/annuaire/",
    "/annuaire/?page=200",
    "/annuaire/?q=centre+social",
    "/annuaire/?q=lievin",
    "/annuaire/?type=association&departement=62&theme=participation-citoyenne",
    "/annuaire/?par_page=100",
    "/annuaire/personnes/",
    "/annuaire/personnes/?q=lefevre",
    "/annuaire/personnes/?categorie=elected&departement=59&par_page=100",
]


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from terreau.core.demo import load_themes
    from terreau.directory import dataset
    from terreau.territories import dataset as territories_dataset

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    rng = random.Random(2026)
    territories_dataset.generate(scale="large", rng=rng, stdout=None)
    load_themes()
    wall, cpu = time.perf_counter(), time.process_time()
    counts = dataset.generate(scale="large", rng=rng, stdout=None)
    print(
        f"generate large: {counts['organisations']:,} organisations, {counts['people']:,} "
        f"people, {counts['memberships']:,} memberships in {time.perf_counter() - wall:.1f} s "
        f"(CPU {time.process_time() - cpu:.1f} s)"
    )
    client = Client()
    for url in PAGES:
        client.get(url)  # warm caches
        rounds = 5
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(rounds):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
        elapsed = (time.perf_counter() - started) / rounds
        cpu = (time.process_time() - cpu) / rounds
        assert response.status_code == 200, (url, response.status_code)
        timing = f"{elapsed * 1000:5.0f} ms (CPU {cpu * 1000:4.0f} ms)"
        print(f"{url:72} {timing} {len(queries):2d} queries")


if __name__ == "__main__":
    main()
