"""Who may do what with calls (django-rules): visitors read published calls, members apply
while a call is open and manage their own application, reviewers score the applications they
are assigned during an active review phase, staff manage everything.

Applicants never see each other's applications nor any review.
"""

import rules
from django.utils import timezone

from terreau.accounts.rules import is_member, is_staff

from .models import ApplicationState, CallPhase


@rules.predicate
def call_is_published(user, call) -> bool:
    return call is not None and call.is_published


@rules.predicate
def call_is_open(user, call) -> bool:
    return call is not None and call.phase == CallPhase.OPEN


@rules.predicate
def is_call_reviewer(user, call) -> bool:
    if call is None or not (user and user.is_authenticated):
        return False
    return call.reviewers.filter(pk=user.pk).exists()


@rules.predicate
def is_applicant(user, application) -> bool:
    return bool(
        application is not None
        and user
        and user.is_authenticated
        and application.applicant_id == user.pk
    )


@rules.predicate
def application_is_draft(user, application) -> bool:
    return application is not None and application.state == ApplicationState.DRAFT


@rules.predicate
def application_accepts_changes(user, application) -> bool:
    return application is not None and application.accepts_changes_at(timezone.now())


@rules.predicate
def application_may_be_withdrawn(user, application) -> bool:
    return application is not None and application.state in {
        ApplicationState.DRAFT,
        ApplicationState.SUBMITTED,
        ApplicationState.UNDER_REVIEW,
        ApplicationState.WAITING_LIST,
        ApplicationState.SELECTED,
    }


@rules.predicate
def is_assigned_reviewer(user, application) -> bool:
    """Assigned to the application, and no conflict declared on it."""
    if application is None or not (user and user.is_authenticated):
        return False
    return (
        application.reviewer_assignments.filter(reviewer=user).exists()
        and not application.conflicts.filter(reviewer=user).exists()
    )


@rules.predicate
def application_in_review(user, application) -> bool:
    return application is not None and application.state in {
        ApplicationState.SUBMITTED,
        ApplicationState.UNDER_REVIEW,
    }


@rules.predicate
def review_phase_allows_scoring(user, application) -> bool:
    if application is None:
        return False
    now = timezone.now()
    return any(
        phase.may_review and phase.is_current_at(now)
        for phase in application.call.review_phases.all()
    )


rules.add_perm("calls.view_call", call_is_published | is_staff)
rules.add_perm("calls.apply", is_member & call_is_open)
rules.add_perm("calls.manage_call", is_staff)
rules.add_perm("calls.review_call", is_staff | is_call_reviewer)
rules.add_perm("calls.view_application", is_staff | is_applicant | is_assigned_reviewer)
rules.add_perm("calls.change_application", is_applicant & application_accepts_changes)
rules.add_perm("calls.withdraw_application", is_applicant & application_may_be_withdrawn)
rules.add_perm(
    "calls.review_application",
    is_assigned_reviewer & application_in_review & review_phase_allows_scoring,
)
rules.add_perm("calls.declare_conflict", is_assigned_reviewer & application_in_review)
