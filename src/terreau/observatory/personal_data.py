"""The observatory's personal data: contributions (proposals, comments) and revisions."""

from terreau.privacy import purposes

from .models import InitiativeProposal, InitiativeRevision, ProposalComment

PURPOSES = purposes.OBSERVATORY


def export(user) -> dict:
    return {
        "proposals": list(
            InitiativeProposal.objects.filter(author=user).values("pk", "state", "created_at")
        ),
        "comments": list(ProposalComment.objects.filter(author=user).values("body", "created_at")),
        "revisions": list(
            InitiativeRevision.objects.filter(author=user).values("initiative__title", "created_at")
        ),
    }


def erase(user, *, remove_content: bool) -> None:
    # Proposals go with the account (CASCADE); comments and revisions lose their author
    # (SET NULL): the published records stay, as "ancien membre" wrote them.
    if remove_content:
        ProposalComment.objects.filter(author=user).delete()
