"""Reads for contributions, the moderation queue and the history of initiatives."""

from django.db.models import Count, Prefetch

from ..models import (
    Initiative,
    InitiativeProposal,
    InitiativeRevision,
    ProposalComment,
    ProposalState,
)
from ..snapshot import MANY_FIELDS, empty_snapshot, initiative_snapshot, proposal_merged_data
from .display import snapshot_changes, snapshots_changes


def proposal_queue():
    """Contributions awaiting a moderator, oldest first."""
    return (
        InitiativeProposal.objects.filter(state=ProposalState.SUBMITTED)
        .select_related("author", "initiative")
        .annotate(media_count=Count("media"))
        .order_by("submitted_at", "pk")
    )


def proposals_waiting_for_authors():
    return (
        InitiativeProposal.objects.filter(state=ProposalState.CHANGES_REQUESTED)
        .select_related("author", "initiative")
        .order_by("-decided_at")
    )


def proposals_of(*, user):
    return (
        InitiativeProposal.objects.filter(author=user)
        .select_related("initiative")
        .order_by("-updated_at")
    )


def proposal_get(*, pk: int):
    return (
        InitiativeProposal.objects.select_related("author", "initiative")
        .prefetch_related(
            "media",
            Prefetch("comments", ProposalComment.objects.select_related("author")),
        )
        .filter(pk=pk)
        .first()
    )


def proposal_changes(proposal: InitiativeProposal) -> list[dict]:
    """What publishing the proposal would change in the published version (or, for a new
    initiative, everything it fills in)."""
    if proposal.initiative_id is None:
        return snapshot_changes(empty_snapshot(), proposal.data)
    current = initiative_snapshot(
        Initiative.objects.prefetch_related("links", *MANY_FIELDS).get(pk=proposal.initiative_id)
    )
    return snapshot_changes(current, {**current, **proposal_merged_data(proposal)})


def proposal_removed_media(proposal: InitiativeProposal):
    ids = proposal.data.get("removed_media") or []
    if not (ids and proposal.initiative_id):
        return []
    return list(proposal.initiative.media.filter(pk__in=ids))


def initiative_history(*, initiative: Initiative) -> list[dict]:
    """Every revision, newest first, each with its changes from the one before."""
    revisions = list(
        InitiativeRevision.objects.filter(initiative=initiative)
        .select_related("author", "published_by")
        .order_by("number")
    )
    pairs, previous = [], empty_snapshot()
    for revision in revisions:
        pairs.append((previous, revision.data))
        previous = revision.data
    changes = snapshots_changes(pairs)
    history = [
        {
            "revision": revision,
            "changes": revision_changes,
            "is_current": index == len(revisions) - 1,
        }
        for index, (revision, revision_changes) in enumerate(zip(revisions, changes, strict=True))
    ]
    history.reverse()
    return history
