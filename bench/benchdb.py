"""The benches' PostgreSQL databases: created when BENCH_DATABASE_URL names one that does not
exist yet (a fresh machine has only `postgres`), so that every bench runs from a clean clone."""

import urllib.parse


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` when it does not exist yet."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    server = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
