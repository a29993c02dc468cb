"""Every permission of the events module (rules.py), over every role and every state of its
object: the event's state, the document's kind, the session's people, the registration's status
and the time against the event's."""

import datetime as dt

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from terreau.events.models import (
    EventDocument,
    EventState,
    RegistrationStatus,
    SessionSpeaker,
)
from tests.events.factories import (
    EventFactory,
    PersonFactory,
    RegistrationFactory,
    SessionFactory,
    SessionSpeakerFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = {
    "visitor": lambda: AnonymousUser(),
    "member": lambda: UserFactory(),
    "moderator": lambda: UserFactory(is_moderator=True),
    "staff": lambda: UserFactory(is_staff=True),
}
STATES = [state for state, _ in EventState.choices]

# The permissions on an event that only staff hold, whatever the event's state.
STAFF_EVENT_PERMISSIONS = [
    "events.manage_event",
    "events.manage_registrations",
    "events.check_in_registrants",
    "events.register_walk_ins",
    "events.print_badges",
    "events.print_sign_in_sheets",
    "events.close_attendance",
    "events.send_certificates",
    "events.manage_event_files",
]
# The registrant's permissions on their own registration (reached through the personal link).
REGISTRATION_PERMISSIONS = [
    "events.change_registration",
    "events.cancel_registration",
    "events.answer_survey",
]
OTHER_PERMISSIONS = [
    "events.view_event",
    "events.download_event_document",
    "events.write_workshop_report",
]


def test_the_tests_cover_every_permission_of_the_events_module():
    events_permissions = {
        name for name in rules.permissions.permissions if name.startswith("events.")
    }
    covered = {*STAFF_EVENT_PERMISSIONS, *REGISTRATION_PERMISSIONS, *OTHER_PERMISSIONS}
    assert events_permissions == covered
    assert len(covered) == 15


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_who_sees_an_event(role, state):
    user, event = ROLES[role](), EventFactory(state=state)
    expected = role == "staff" or state != EventState.DRAFT
    assert user.has_perm("events.view_event", event) is expected


@pytest.mark.parametrize("perm", STAFF_EVENT_PERMISSIONS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_staff_alone_run_an_event(perm, role, state):
    user, event = ROLES[role](), EventFactory(state=state)
    assert user.has_perm(perm, event) is (role == "staff")


@pytest.mark.parametrize("kind", [kind for kind, _ in EventDocument.Kind.choices])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_a_prepared_document_is_for_those_who_may_print_it(kind, role, state):
    user, event = ROLES[role](), EventFactory(state=state)
    day = event.days.create(
        date=timezone.localdate(event.starts_at), starts_at=dt.time(9), ends_at=dt.time(17)
    )
    document = EventDocument(event=event, kind=kind, day=None if kind == "badges" else day)
    assert user.has_perm("events.download_event_document", document) is (role == "staff")
    assert not user.has_perm("events.download_event_document", None)


@pytest.mark.parametrize("role", [*ROLES, "facilitator", "reporter", "speaker"])
@pytest.mark.parametrize("state", STATES)
def test_who_writes_a_workshop_report_back(role, state):
    session = SessionFactory(slot__day__event=EventFactory(state=state))
    if role in ROLES:
        user = ROLES[role]()
    else:
        user = UserFactory()
        SessionSpeakerFactory(
            session=session, person=PersonFactory(user=user), role=SessionSpeaker.Role(role)
        )
    expected = role in ("staff", "facilitator", "reporter")
    assert user.has_perm("events.write_workshop_report", session) is expected


# When the event runs, relative to now: (starts in, lasts).
TIMES = {
    "before": (dt.timedelta(days=3), dt.timedelta(hours=8)),
    "during": (-dt.timedelta(hours=1), dt.timedelta(hours=8)),
    "after": (-dt.timedelta(days=3), dt.timedelta(hours=8)),
}
EXPECTED = {
    # permission: the times it holds for a live registration
    "events.change_registration": {"before"},
    "events.cancel_registration": {"before", "during"},
    "events.answer_survey": {"before", "during"},
}


@pytest.mark.parametrize("perm", REGISTRATION_PERMISSIONS)
@pytest.mark.parametrize("status", [status for status, _ in RegistrationStatus.choices])
@pytest.mark.parametrize("when", TIMES)
@pytest.mark.parametrize("role", ROLES)
def test_what_a_registration_allows_its_registrant(perm, status, when, role):
    starts_in, lasts = TIMES[when]
    starts_at = timezone.now() + starts_in
    event = EventFactory(starts_at=starts_at, ends_at=starts_at + lasts)
    registration = RegistrationFactory(event=event, status=status)
    expected = status != RegistrationStatus.CANCELLED and when in EXPECTED[perm]
    # Whoever holds the personal link, signed in or not: the registration decides.
    assert ROLES[role]().has_perm(perm, registration) is expected
