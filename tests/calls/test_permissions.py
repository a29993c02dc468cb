"""Who may do what with a call, over every role (anonymous, member, applicant, reviewer, staff)
and every phase of a call (draft, upcoming, open, closed, decided)."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from terreau.calls.models import ApplicationState, CallPhase, ReviewerAssignment
from tests.calls.factories import ApplicationFactory, CallFactory, ReviewPhaseFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def make_call(phase: str):
    now = timezone.now()
    fields = {
        CallPhase.DRAFT: {"is_published": False},
        CallPhase.UPCOMING: {"opens_at": now + DAY, "closes_at": now + 10 * DAY},
        CallPhase.OPEN: {},
        CallPhase.CLOSED: {"opens_at": now - 10 * DAY, "closes_at": now - DAY},
        CallPhase.DECIDED: {
            "opens_at": now - 10 * DAY,
            "closes_at": now - DAY,
            "results_sent_at": now,
        },
    }[phase]
    call = CallFactory(**fields)
    assert call.phase == phase
    return call


@pytest.fixture
def roles(db):
    return {
        "anonymous": AnonymousUser(),
        "member": UserFactory(),
        "applicant": UserFactory(),
        "reviewer": UserFactory(),
        "staff": UserFactory(is_staff=True),
    }


PHASES = list(CallPhase)

# role → phases in which the permission holds
VIEW_CALL = {
    "anonymous": {"upcoming", "open", "closed", "decided"},
    "member": {"upcoming", "open", "closed", "decided"},
    "applicant": {"upcoming", "open", "closed", "decided"},
    "reviewer": {"upcoming", "open", "closed", "decided"},
    "staff": set(PHASES),
}
APPLY = {
    "anonymous": set(),
    "member": {"open"},
    "applicant": {"open"},
    "reviewer": {"open"},
    "staff": {"open"},
}


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ["anonymous", "member", "applicant", "reviewer", "staff"])
def test_viewing_applying_and_managing_a_call(roles, role, phase):
    call = make_call(phase)
    user = roles[role]
    if role == "reviewer":
        call.reviewers.add(user)
    assert user.has_perm("calls.view_call", call) == (phase in VIEW_CALL[role])
    assert user.has_perm("calls.apply", call) == (phase in APPLY[role])
    assert user.has_perm("calls.manage_call", call) == (role == "staff")
    assert user.has_perm("calls.review_call", call) == (role in {"reviewer", "staff"})


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ["anonymous", "member", "applicant", "reviewer", "staff"])
def test_an_application_is_seen_and_changed_only_by_its_own(roles, role, phase):
    call = make_call(phase)
    application = ApplicationFactory(call=call, applicant=roles["applicant"])
    ReviewerAssignment.objects.create(application=application, reviewer=roles["reviewer"])
    call.reviewers.add(roles["reviewer"])
    user = roles[role]
    assert user.has_perm("calls.view_application", application) == (
        role in {"applicant", "reviewer", "staff"}
    )
    # A draft is changed by its applicant while the call is open, by nobody else.
    assert user.has_perm("calls.change_application", application) == (
        role == "applicant" and phase == "open"
    )
    assert user.has_perm("calls.withdraw_application", application) == (role == "applicant")


@pytest.mark.parametrize(
    "state", [s for s in ApplicationState if s not in {"draft"}], ids=lambda s: s.value
)
def test_only_a_draft_can_be_changed(roles, state):
    application = ApplicationFactory(
        call=make_call("open"), applicant=roles["applicant"], state=state
    )
    assert not roles["applicant"].has_perm("calls.change_application", application)
    may_withdraw = state not in {"withdrawn", "not_selected"}
    assert roles["applicant"].has_perm("calls.withdraw_application", application) == may_withdraw


def test_a_reopened_draft_can_be_changed_after_the_deadline(roles):
    application = ApplicationFactory(
        call=make_call("closed"),
        applicant=roles["applicant"],
        extended_until=timezone.now() + DAY,
    )
    assert roles["applicant"].has_perm("calls.change_application", application)


@pytest.mark.parametrize("phase_active", [True, False])
@pytest.mark.parametrize("state", list(ApplicationState), ids=lambda s: s.value)
def test_scoring_needs_an_assignment_an_active_phase_and_an_application_in_review(
    roles, state, phase_active
):
    call = make_call("closed")
    ReviewPhaseFactory(call=call, is_active=phase_active)
    application = ApplicationFactory(call=call, applicant=roles["applicant"], state=state)
    ReviewerAssignment.objects.create(application=application, reviewer=roles["reviewer"])
    in_review = state in {"submitted", "under_review"}
    assert roles["reviewer"].has_perm("calls.review_application", application) == (
        in_review and phase_active
    )
    for role in ["anonymous", "member", "applicant", "staff"]:
        assert not roles[role].has_perm("calls.review_application", application)


def test_a_conflict_removes_the_right_to_see_and_score(roles):
    from terreau.calls.models import ConflictDeclaration

    call = make_call("closed")
    ReviewPhaseFactory(call=call)
    application = ApplicationFactory(call=call, state="under_review")
    ReviewerAssignment.objects.create(application=application, reviewer=roles["reviewer"])
    ConflictDeclaration.objects.create(application=application, reviewer=roles["reviewer"])
    assert not roles["reviewer"].has_perm("calls.view_application", application)
    assert not roles["reviewer"].has_perm("calls.review_application", application)


def test_a_phase_outside_its_dates_does_not_allow_scoring(roles):
    call = make_call("closed")
    ReviewPhaseFactory(call=call, ends_at=timezone.now() - DAY)
    application = ApplicationFactory(call=call, state="under_review")
    ReviewerAssignment.objects.create(application=application, reviewer=roles["reviewer"])
    assert not roles["reviewer"].has_perm("calls.review_application", application)
