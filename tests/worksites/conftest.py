import pytest

from .factories import world_create


@pytest.fixture
def world(db):
    return world_create()
