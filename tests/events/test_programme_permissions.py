"""Permissions of the programme area over every role and event state."""

import pytest
from django.contrib.auth.models import AnonymousUser

from terreau.events.models import EventState
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = {
    "visitor": lambda: AnonymousUser(),
    "member": lambda: UserFactory(),
    "moderator": lambda: UserFactory(is_moderator=True),
    "staff": lambda: UserFactory(is_staff=True),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", [s for s, _ in EventState.choices])
def test_who_sees_an_event(role, state):
    user = ROLES[role]()
    event = EventFactory(state=state)
    expected = role == "staff" or state != EventState.DRAFT
    assert user.has_perm("events.view_event", event) is expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", [s for s, _ in EventState.choices])
def test_only_staff_manage_events(role, state):
    user = ROLES[role]()
    event = EventFactory(state=state)
    assert user.has_perm("events.manage_event", event) is (role == "staff")
    assert user.has_perm("events.manage_event") is (role == "staff")
