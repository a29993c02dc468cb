"""Who may do what in the observatory (django-rules)."""

import rules
from django.db.models import Q
from django.utils import timezone

from terreau.accounts.rules import is_member, is_moderator, is_staff

from .models import ProposalState, PublicationState


@rules.predicate
def is_published(user, initiative) -> bool:
    return bool(initiative) and initiative.state == PublicationState.PUBLISHED


@rules.predicate
def is_lead_organisation_member(user, initiative) -> bool:
    """The user's directory profile has a current membership in a lead organisation."""
    if not (user and user.is_authenticated and initiative and initiative.pk):
        return False
    from terreau.directory.models import Membership

    today = timezone.localdate()
    return (
        Membership.objects.filter(person__user=user, organisation__led_initiatives=initiative)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exists()
    )


@rules.predicate
def is_proposal_author(user, proposal) -> bool:
    return bool(proposal) and user.is_authenticated and proposal.author_id == user.pk


@rules.predicate
def is_proposal_editable(user, proposal) -> bool:
    return bool(proposal) and proposal.state in {
        ProposalState.DRAFT,
        ProposalState.CHANGES_REQUESTED,
    }


@rules.predicate
def is_proposal_submitted(user, proposal) -> bool:
    return bool(proposal) and proposal.state == ProposalState.SUBMITTED


@rules.predicate
def is_proposal_open(user, proposal) -> bool:
    return bool(proposal) and proposal.state in {
        ProposalState.DRAFT,
        ProposalState.SUBMITTED,
        ProposalState.CHANGES_REQUESTED,
    }


@rules.predicate
def proposal_target_is_led_by_user(user, proposal) -> bool:
    return (
        bool(proposal)
        and bool(proposal.initiative_id)
        and is_lead_organisation_member(user, proposal.initiative)
    )


@rules.predicate
def is_method_published(user, method) -> bool:
    return bool(method) and method.state == PublicationState.PUBLISHED


can_edit_directly = is_moderator | is_lead_organisation_member

rules.add_perm("observatory.view_initiative", is_published | is_moderator)
rules.add_perm("observatory.propose_initiative", is_member)
rules.add_perm("observatory.propose_initiative_change", is_member & is_published)
rules.add_perm("observatory.edit_initiative_directly", is_published & can_edit_directly)
rules.add_perm("observatory.view_initiative_history", is_member & (is_published | is_moderator))
rules.add_perm("observatory.restore_initiative_revision", is_moderator)

rules.add_perm("observatory.view_proposal", is_proposal_author | is_moderator)
rules.add_perm("observatory.change_proposal", is_proposal_author & is_proposal_editable)
rules.add_perm("observatory.submit_proposal", is_proposal_author & is_proposal_editable)
rules.add_perm(
    "observatory.publish_own_proposal",
    is_proposal_author & is_proposal_editable & (is_moderator | proposal_target_is_led_by_user),
)
rules.add_perm(
    "observatory.delete_proposal",
    is_proposal_author & is_proposal_editable,
)
rules.add_perm("observatory.view_moderation_queue", is_moderator)
rules.add_perm("observatory.moderate_proposal", is_moderator & is_proposal_submitted)
rules.add_perm("observatory.comment_proposal", is_moderator & is_proposal_open)

rules.add_perm("observatory.view_method", is_method_published | is_moderator)
rules.add_perm("observatory.change_method", is_staff)

# browse, search, map, dashboard, open data, API
rules.add_perm("observatory.import_initiatives", is_staff)
