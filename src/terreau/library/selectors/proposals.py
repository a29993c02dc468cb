"""Reads of members' resource proposals: the moderators' queue, one's own proposals, and one
proposal with its history (fixed queries)."""

from django.db.models import Prefetch

from terreau.core.moderation.states import ModerationState

from ..models import ResourceProposal, ResourceProposalComment


def proposal_queue():
    """Proposals awaiting a moderator, oldest first."""
    return (
        ResourceProposal.objects.filter(state=ModerationState.SUBMITTED)
        .select_related("author")
        .order_by("submitted_at", "pk")
    )


def proposals_of(*, user):
    return (
        ResourceProposal.objects.filter(author=user)
        .select_related("resource")
        .order_by("-updated_at", "-pk")
    )


def proposal_get(*, pk: int) -> ResourceProposal | None:
    return (
        ResourceProposal.objects.select_related("author", "resource", "decided_by")
        .prefetch_related(
            "themes",
            Prefetch("comments", queryset=ResourceProposalComment.objects.select_related("author")),
        )
        .filter(pk=pk)
        .first()
    )
