"""Who may do what in a worksite (django-rules).

Four roles: the steering committee (and staff), a case's organisers (its presenters, for their
case), the worksite's participants, and the public. Roles are read once per request and user
(`selectors.worksite_roles`), so checking many permissions on a page costs one query.
"""

import rules

from terreau.accounts.rules import is_staff


def _worksite(obj):
    """The worksite an object belongs to (worksite, case, report, section, comment…)."""
    from .models import (
        Case,
        Comment,
        CommitteeMember,
        Edition,
        Participant,
        Report,
        Section,
        Suggestion,
        Worksite,
    )

    if obj is None:
        return None
    if isinstance(obj, Worksite):
        return obj
    if isinstance(obj, Case | Participant | CommitteeMember):
        return obj.worksite
    if isinstance(obj, Report):
        return obj.case.worksite
    if isinstance(obj, Section):
        return obj.report.case.worksite
    if isinstance(obj, Comment | Suggestion):
        return obj.section.report.case.worksite
    if isinstance(obj, Edition):
        return obj.publication.worksite
    return None


def _case(obj):
    from .models import Case, Comment, Report, Section, Suggestion

    if isinstance(obj, Case):
        return obj
    if isinstance(obj, Report):
        return obj.case
    if isinstance(obj, Section):
        return obj.report.case
    if isinstance(obj, Comment | Suggestion):
        return obj.section.report.case
    return None


def _roles(user, obj):
    from .selectors import worksite_roles

    worksite = _worksite(obj)
    if worksite is None:
        return None
    return worksite_roles(user=user, worksite=worksite)


@rules.predicate
def is_committee(user, obj) -> bool:
    roles = _roles(user, obj)
    return bool(roles and roles.is_committee)


@rules.predicate
def is_coordinator(user, obj) -> bool:
    """A chair or coordinator of the worksite's steering committee."""
    roles = _roles(user, obj)
    return bool(roles and roles.is_coordinator)


@rules.predicate
def is_closed_worksite(user, obj) -> bool:
    from .models import WorksiteStatus

    worksite = _worksite(obj)
    return bool(worksite and worksite.status == WorksiteStatus.CLOSED)


@rules.predicate
def is_participant(user, obj) -> bool:
    roles = _roles(user, obj)
    return bool(roles and roles.is_participant)


@rules.predicate
def is_member(user, obj) -> bool:
    """In the worksite's private workspace: committee, a case's organiser, or participant."""
    roles = _roles(user, obj)
    return bool(roles and roles.is_member)


@rules.predicate
def is_case_organiser(user, obj) -> bool:
    roles, case = _roles(user, obj), _case(obj)
    return bool(roles and case is not None and case.pk in roles.organised_cases)


@rules.predicate
def is_public_worksite(user, obj) -> bool:
    worksite = _worksite(obj)
    return bool(worksite and worksite.is_public)


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return bool(comment and user.is_authenticated and comment.author_id == user.pk)


@rules.predicate
def is_section_owner(user, obj) -> bool:
    from .models import Section

    section = obj if isinstance(obj, Section) else getattr(obj, "section", None)
    return bool(section and user.is_authenticated and section.owner_id == user.pk)


@rules.predicate
def section_has_no_owner(user, obj) -> bool:
    from .models import Section

    section = obj if isinstance(obj, Section) else getattr(obj, "section", None)
    return bool(section and section.owner_id is None)


@rules.predicate
def is_own_participation(user, participant) -> bool:
    return bool(participant and user.is_authenticated and participant.person.user_id == user.pk)


@rules.predicate
def is_ready_edition(user, edition) -> bool:
    return bool(edition and edition.is_ready)


committee = is_committee | is_staff
organisers = committee | is_case_organiser
writers = organisers | is_participant

rules.add_perm("worksites.view_worksite", is_public_worksite | is_member | is_staff)
rules.add_perm("worksites.view_workspace", is_member | is_staff)
rules.add_perm("worksites.manage_worksite", committee)
# Members and status: staff, and the committee's chairs and coordinators (members are frozen
# once the worksite is closed, until a coordinator reopens it).
rules.add_perm("worksites.manage_members", (is_coordinator & ~is_closed_worksite) | is_staff)
rules.add_perm("worksites.change_status", is_coordinator | is_staff)
rules.add_perm("worksites.edit_worksite", is_coordinator | is_staff)
rules.add_perm("worksites.edit_presentation", organisers)
rules.add_perm("worksites.send_presentation", organisers)
rules.add_perm("worksites.view_registrant_mix", organisers)
rules.add_perm("worksites.view_report", is_member | is_staff)
rules.add_perm("worksites.edit_section", writers)
rules.add_perm("worksites.add_section", committee)
rules.add_perm("worksites.comment", is_member | is_staff)
rules.add_perm("worksites.resolve_comment", is_comment_author | is_section_owner | committee)
rules.add_perm("worksites.suggest", is_member | is_staff)
rules.add_perm(
    "worksites.decide_suggestion", is_section_owner | (section_has_no_owner & committee) | is_staff
)
rules.add_perm("worksites.submit_report", organisers)
rules.add_perm("worksites.validate_report", committee)
rules.add_perm("worksites.return_report", committee)
rules.add_perm("worksites.tag_passages", committee)
rules.add_perm("worksites.write_synthesis", committee)
rules.add_perm("worksites.build_publication", committee)
rules.add_perm(
    "worksites.view_edition",
    (is_ready_edition & (is_public_worksite | is_member)) | committee,
)
rules.add_perm("worksites.change_consent", is_own_participation)
