"""Fixtures of the events tests."""

import sqlite3

import pytest
from django.db import DEFAULT_DB_ALIAS, connections


@pytest.fixture
def sqlite_file_database(transactional_db, tmp_path):
    """Threads need a real SQLite file: the in-memory test database (shared cache) fails with
    "table is locked" instead of waiting, unlike production's file with WAL and a busy timeout.

    The in-memory database is copied to a file, and this thread and every new one get a fresh
    connection to the file for the test. The in-memory connection object itself is left as it
    is: a live server thread of an earlier browser test may share it, and closing it under
    that thread (or that thread closing it under this test) must not be possible."""
    memory = connections[DEFAULT_DB_ALIAS]
    if memory.vendor != "sqlite" or not memory.is_in_memory_db():
        yield
        return
    memory.ensure_connection()
    path = tmp_path / "threads.sqlite3"
    target = sqlite3.connect(path)
    memory.connection.backup(target)
    target.close()
    memory_settings = connections.settings[DEFAULT_DB_ALIAS]
    connections.settings[DEFAULT_DB_ALIAS] = {**memory_settings, "NAME": str(path)}
    connections[DEFAULT_DB_ALIAS] = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS].close()
        connections.settings[DEFAULT_DB_ALIAS] = memory_settings
        connections[DEFAULT_DB_ALIAS] = memory
