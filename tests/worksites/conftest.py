import pytest

from .factories import world_create


@pytest.fixture
def world(db):
    return world_create()


# Threads need a real SQLite file: the events tests' fixture provides it.
from tests.events.conftest import sqlite_file_database  # noqa: E402, F401
