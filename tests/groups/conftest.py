from types import SimpleNamespace

import pytest

from terreau.groups.models import MemberRole
from tests.groups.factories import ExchangeGroupFactory, meeting, member


@pytest.fixture
def world(db, mailoutbox):
    """A group with a facilitator and three members, a past and a future meeting, and a
    second group with a member of its own."""
    group = ExchangeGroupFactory()
    facilitator = member(group, role=MemberRole.FACILITATOR)
    members = [member(group) for _ in range(3)]
    past = meeting(group, days_from_now=-10)
    future = meeting(group, days_from_now=20)
    other = ExchangeGroupFactory()
    outsider = member(other)
    other_meeting = meeting(other, days_from_now=-5)
    mailoutbox.clear()  # the invitations to the meetings: each test counts its own e-mails
    return SimpleNamespace(
        group=group,
        facilitator=facilitator,
        members=members,
        past=past,
        future=future,
        other=other,
        outsider=outsider,
        other_meeting=other_meeting,
    )
