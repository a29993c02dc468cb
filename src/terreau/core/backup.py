"""Backups of the database and the media: `terreau backup DIR`, `terreau restore DIR`.

A backup is a folder holding `database.sqlite3` (SQLite's online backup API: a consistent copy
while the site runs) or `database.pgdump` (pg_dump's custom format), and `media.tar.gz`.
Restoring replaces the database's content and the media folder with the backup's.
"""

import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections

SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_FILE = "media.tar.gz"


class UnsupportedDatabase(ValueError):
    """Backups know SQLite (its online backup) and PostgreSQL (pg_dump) only."""

    def __init__(self, vendor: str):
        super().__init__(f"backups support SQLite and PostgreSQL, not {vendor}")


def _pg_environment(database: dict) -> tuple[list[str], dict]:
    arguments = [
        "--host", str(database.get("HOST") or "localhost"),
        "--port", str(database.get("PORT") or 5432),
        "--username", str(database.get("USER") or "postgres"),
    ]  # fmt: skip
    environment = {"PGPASSWORD": str(database.get("PASSWORD") or "")}
    return arguments, environment


def _run(command: list[str], environment: dict) -> None:
    import os

    subprocess.run(command, check=True, env={**os.environ, **environment})


def backup(target: Path, *, alias: str = "default") -> list[Path]:
    """Write a backup into `target` (created); returns the files written."""
    target.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    written = []
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target / SQLITE_FILE)
        with destination:
            connection.connection.backup(destination)
        destination.close()
        written.append(target / SQLITE_FILE)
    elif connection.vendor == "postgresql":
        arguments, environment = _pg_environment(connection.settings_dict)
        name = connection.settings_dict["NAME"]
        output = target / PG_FILE
        _run(["pg_dump", *arguments, "--format=custom", f"--file={output}", name], environment)
        written.append(output)
    else:
        raise UnsupportedDatabase(connection.vendor)
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / MEDIA_FILE, "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    written.append(target / MEDIA_FILE)
    return written


def restore(source: Path, *, alias: str = "default") -> None:
    """Replace the database's content and the media with the backup in `source`."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        origin = sqlite3.connect(source / SQLITE_FILE)
        connection.ensure_connection()
        with origin:
            origin.backup(connection.connection)
        origin.close()
    elif connection.vendor == "postgresql":
        arguments, environment = _pg_environment(connection.settings_dict)
        name = connection.settings_dict["NAME"]
        connection.close()
        _run(
            ["pg_restore", *arguments, "--clean", "--if-exists", "--no-owner",
             f"--dbname={name}", str(source / PG_FILE)],
            environment,
        )  # fmt: skip
    else:
        raise UnsupportedDatabase(connection.vendor)
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(source / MEDIA_FILE, "r:gz") as archive:
        if media.exists():
            shutil.rmtree(media)
        media.parent.mkdir(parents=True, exist_ok=True)
        staging = media.parent / (media.name + ".restoring")
        archive.extractall(staging, filter="data")
        restored = staging / "media"
        if restored.exists():
            restored.rename(media)
        else:
            media.mkdir()
        shutil.rmtree(staging)
