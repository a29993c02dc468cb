"""Fixtures of the events tests."""

import sqlite3

import pytest
from django.db import connection


@pytest.fixture
def sqlite_file_database(transactional_db, tmp_path):
    """Threads need a real SQLite file: the in-memory test database (shared cache) fails with
    "table is locked" instead of waiting, unlike production's file with WAL and a busy timeout.
    The in-memory database is copied to a file for the test, and kept alive meanwhile."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    memory_name = connection.settings_dict["NAME"]
    connection.ensure_connection()
    keeper = sqlite3.connect(memory_name, uri=True)
    path = tmp_path / "threads.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    connection.settings_dict["NAME"] = str(path)
    connection.connection.close()
    connection.connection = None
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = memory_name
        connection.ensure_connection()
        keeper.close()
