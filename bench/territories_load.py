"""Territories: fixture size, time to load Hauts-de-France (first load and reload), search speed.

Runs on a throwaway SQLite database (or DATABASE_URL when set) and prints figures.
"""

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


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from terreau.territories import fixture
    from terreau.territories.selectors import commune_resolve, commune_search
    from terreau.territories.services import territories_load

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    for path in (fixture.fixture_path("32"), fixture.outlines_path("32")):
        print(f"{path.name}: {path.stat().st_size / 1024:.0f} KiB")
    started = time.perf_counter()
    payload = fixture.read("32")
    read = time.perf_counter() - started
    started = time.perf_counter()
    result = territories_load(payload=payload)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = territories_load(payload=payload)
    second = time.perf_counter() - started
    print(f"read fixture: {read * 1000:.0f} ms")
    print(f"first load ({result.created['communes']} communes created): {first * 1000:.0f} ms")
    print(f"reload ({again.unchanged['communes']} communes unchanged): {second * 1000:.0f} ms")
    queries = ["lievin", "sai", "62", "59000", "saint omer", "Amiens (80)", "a"]
    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        for query in queries:
            commune_search(query, 10)
    per_search = (time.perf_counter() - started) / (rounds * len(queries))
    print(f"commune_search: {per_search * 1000:.2f} ms per query (mean of {len(queries)} kinds)")
    started = time.perf_counter()
    for _ in range(rounds):
        commune_resolve("Liévin (62)")
    print(f"commune_resolve: {(time.perf_counter() - started) / rounds * 1000:.2f} ms")


if __name__ == "__main__":
    main()
