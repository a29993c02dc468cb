"""Who may do what in the observatory: every permission over every role and state."""

import pytest
from django.contrib.auth.models import AnonymousUser

from terreau.observatory.models import ProposalState, PublicationState
from tests.directory.factories import MembershipFactory, OrganisationFactory
from tests.factories import UserFactory
from tests.observatory.factories import ProposalFactory, PublishedInitiativeFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "lead_member", "moderator", "staff")


@pytest.fixture
def initiative_of(db):
    """Build (user for a role, initiative in a state); the lead member belongs to a current
    lead organisation of the initiative."""

    def build(role, state):
        initiative = PublishedInitiativeFactory(state=state)
        organisation = OrganisationFactory()
        initiative.lead_organisations.add(organisation)
        if role == "anonymous":
            return AnonymousUser(), initiative
        user = UserFactory(is_moderator=role == "moderator", is_staff=role == "staff")
        if role == "lead_member":
            MembershipFactory(person__user=user, organisation=organisation)
        return user, initiative

    return build


INITIATIVE_RULES = {
    # permission: (roles allowed on a published initiative, on an unpublished one)
    "observatory.view_initiative": (set(ROLES), {"moderator", "staff"}),
    "observatory.propose_initiative_change": (set(ROLES) - {"anonymous"}, set()),
    "observatory.edit_initiative_directly": ({"lead_member", "moderator", "staff"}, set()),
    "observatory.view_initiative_history": (set(ROLES) - {"anonymous"}, {"moderator", "staff"}),
    "observatory.restore_initiative_revision": ({"moderator", "staff"}, {"moderator", "staff"}),
}


@pytest.mark.parametrize("permission", INITIATIVE_RULES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", [PublicationState.PUBLISHED, PublicationState.UNPUBLISHED])
def test_initiative_permissions(initiative_of, permission, role, state):
    user, initiative = initiative_of(role, state)
    published, unpublished = INITIATIVE_RULES[permission]
    expected = role in (published if state == PublicationState.PUBLISHED else unpublished)
    assert user.has_perm(permission, initiative) is expected


@pytest.mark.parametrize("role", ROLES)
def test_any_member_may_propose_a_new_initiative(initiative_of, role):
    user, _initiative = initiative_of(role, PublicationState.PUBLISHED)
    assert user.has_perm("observatory.propose_initiative") is (role != "anonymous")
    assert user.has_perm("observatory.view_moderation_queue") is (role in {"moderator", "staff"})


PROPOSAL_ROLES = ("anonymous", "author", "other_member", "moderator", "staff")
EDITABLE = {ProposalState.DRAFT, ProposalState.CHANGES_REQUESTED}
OPEN = EDITABLE | {ProposalState.SUBMITTED}
PROPOSAL_RULES = {
    # permission: function (role, state) -> allowed
    "observatory.view_proposal": lambda role, state: role in {"author", "moderator", "staff"},
    "observatory.change_proposal": lambda role, state: role == "author" and state in EDITABLE,
    "observatory.submit_proposal": lambda role, state: role == "author" and state in EDITABLE,
    "observatory.delete_proposal": lambda role, state: role == "author" and state in EDITABLE,
    "observatory.publish_own_proposal": lambda role, state: False,
    "observatory.moderate_proposal": lambda role, state: (
        role in {"moderator", "staff"} and state == ProposalState.SUBMITTED
    ),
    "observatory.comment_proposal": lambda role, state: (
        role in {"moderator", "staff"} and state in OPEN
    ),
}


@pytest.mark.parametrize("permission", PROPOSAL_RULES)
@pytest.mark.parametrize("role", PROPOSAL_ROLES)
@pytest.mark.parametrize("state", ProposalState.values)
def test_proposal_permissions(permission, role, state):
    proposal = ProposalFactory(state=state)
    user = {
        "anonymous": AnonymousUser(),
        "author": proposal.author,
        "other_member": UserFactory(),
        "moderator": UserFactory(is_moderator=True),
        "staff": UserFactory(is_staff=True),
    }[role]
    assert user.has_perm(permission, proposal) is PROPOSAL_RULES[permission](role, state)


@pytest.mark.parametrize("state", ProposalState.values)
@pytest.mark.parametrize("author_role", ["member", "lead_member", "moderator"])
def test_publishing_ones_own_edit_at_once(initiative_of, author_role, state):
    user, initiative = initiative_of(author_role, PublicationState.PUBLISHED)
    edit = ProposalFactory(author=user, initiative=initiative, state=state)
    new = ProposalFactory(author=user, state=state)
    editable = state in EDITABLE
    assert user.has_perm("observatory.publish_own_proposal", edit) is (
        editable and author_role != "member"
    )
    assert user.has_perm("observatory.publish_own_proposal", new) is (
        editable and author_role == "moderator"
    )
