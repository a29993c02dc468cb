"""Contributions: a member drafts a new initiative or an edit, submits it; a moderator asks for
changes, publishes or rejects. Each step e-mails the contributor (through the tasks framework)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from terreau.core.uploads import random_name

from ..models import (
    Initiative,
    InitiativeMedia,
    InitiativeProposal,
    InitiativeRevision,
    ProposalComment,
    ProposalMedia,
    ProposalState,
    PublicationState,
)
from ..snapshot import (
    ALL_FIELDS,
    MANY_FIELDS,
    empty_snapshot,
    initiative_snapshot,
    proposal_merged_data,
)
from .revisions import initiative_save_revision

EDITABLE = {ProposalState.DRAFT, ProposalState.CHANGES_REQUESTED}
REMOVED_MEDIA = "removed_media"


def _notify(proposal: InitiativeProposal, event: str) -> None:
    from ..tasks import send_proposal_email

    # Enqueued inside the transaction: the database worker only sees it once committed.
    send_proposal_email.enqueue(proposal.pk, event)


def _require_editable(proposal: InitiativeProposal) -> None:
    if proposal.state not in EDITABLE:
        raise ValidationError(_("This contribution can no longer be changed."), code="state")


def proposal_create(*, author, initiative: Initiative | None = None) -> InitiativeProposal:
    """Open a draft: empty for a new initiative, a copy of the published content for an edit.

    An author has at most one open edit per initiative: it is returned when it exists.
    """
    with transaction.atomic():
        if initiative is None:
            return InitiativeProposal.objects.create(
                author=author, data=empty_snapshot(), base_data={}
            )
        if initiative.state != PublicationState.PUBLISHED:
            raise ValidationError(_("Only published initiatives can be edited."), code="state")
        existing = InitiativeProposal.objects.filter(
            author=author, initiative=initiative, state__in=EDITABLE
        ).first()
        if existing:
            return existing
        current = initiative_snapshot(
            Initiative.objects.prefetch_related("links", *MANY_FIELDS).get(pk=initiative.pk)
        )
        last = InitiativeRevision.objects.filter(initiative=initiative).aggregate(n=Max("number"))
        return InitiativeProposal.objects.create(
            author=author,
            initiative=initiative,
            data=current,
            base_data=current,
            base_revision=last["n"],
        )


def proposal_save_step(*, proposal: InitiativeProposal, step: int, data: dict):
    """Store one step's cleaned values (snapshot format) in the draft."""
    with transaction.atomic():
        proposal = InitiativeProposal.objects.select_for_update().get(pk=proposal.pk)
        _require_editable(proposal)
        allowed = {*ALL_FIELDS, REMOVED_MEDIA}
        proposal.data = {**proposal.data, **{k: v for k, v in data.items() if k in allowed}}
        proposal.step = max(proposal.step, step)
        proposal.save(update_fields=["data", "step", "updated_at"])
        return proposal


def proposal_media_add(*, proposal: InitiativeProposal, file, kind: str, title: str, alt_text=""):
    """Attach an already validated upload to a draft."""
    with transaction.atomic():
        _require_editable(proposal)
        if kind == InitiativeMedia.Kind.IMAGE and not alt_text.strip():
            raise ValidationError(
                {"alt_text": _("Describe the image for people who cannot see it.")}
            )
        media = ProposalMedia(
            proposal=proposal, kind=kind, file=file, title=title, alt_text=alt_text.strip()
        )
        media.full_clean()
        media.save()
        return media


def proposal_media_remove(*, media: ProposalMedia) -> None:
    with transaction.atomic():
        _require_editable(media.proposal)
        media.file.delete(save=False)
        media.delete()


def _check_publishable(proposal: InitiativeProposal) -> None:
    errors = {}
    if not (proposal.data.get("title") or "").strip():
        errors["title"] = _("A title is required.")
    if not (proposal.data.get("summary") or "").strip():
        errors["summary"] = _("A summary is required.")
    if errors:
        raise ValidationError(errors)


def proposal_submit(*, proposal: InitiativeProposal, message: str = "") -> InitiativeProposal:
    """Send a draft to the moderators.

    Side effects: e-mail to the contributor (receipt) and to every moderator.
    """
    with transaction.atomic():
        proposal = InitiativeProposal.objects.select_for_update().get(pk=proposal.pk)
        _require_editable(proposal)
        _check_publishable(proposal)
        proposal.state = ProposalState.SUBMITTED
        proposal.message = message[:300]
        proposal.submitted_at = timezone.now()
        proposal.save(update_fields=["state", "message", "submitted_at", "updated_at"])
        ProposalComment.objects.create(
            proposal=proposal,
            author=proposal.author,
            action=ProposalComment.Action.SUBMITTED,
            body=proposal.message,
        )
        _notify(proposal, "submitted")
        return proposal


def _decide(proposal, moderator, state, action, comment, *, require_comment):
    if not (moderator.is_staff or moderator.is_moderator):
        raise PermissionDenied
    if proposal.state != ProposalState.SUBMITTED:
        raise ValidationError(_("This contribution is not awaiting review."), code="state")
    if require_comment and not comment.strip():
        raise ValidationError({"comment": _("Explain your decision to the contributor.")})
    proposal.state = state
    proposal.decided_at = timezone.now()
    proposal.decided_by = moderator
    proposal.save(update_fields=["state", "decided_at", "decided_by", "updated_at"])
    ProposalComment.objects.create(
        proposal=proposal, author=moderator, action=action, body=comment.strip()
    )


def _send_back(proposal, moderator, comment: str, state: str, action: str, notice: str):
    """A decision that needs a comment (changes requested, rejection), with its e-mail."""
    with transaction.atomic():
        proposal = InitiativeProposal.objects.select_for_update().get(pk=proposal.pk)
        _decide(proposal, moderator, state, action, comment, require_comment=True)
        _notify(proposal, notice)
        return proposal


def proposal_request_changes(*, proposal, moderator, comment: str) -> InitiativeProposal:
    """Send a submitted contribution back to its author with a comment.

    Side effects: e-mail to the contributor with the comment.
    """
    return _send_back(
        proposal,
        moderator,
        comment,
        ProposalState.CHANGES_REQUESTED,
        ProposalComment.Action.CHANGES_REQUESTED,
        "changes_requested",
    )


def proposal_reject(*, proposal, moderator, comment: str) -> InitiativeProposal:
    """Refuse a submitted contribution, with the reason.

    Side effects: e-mail to the contributor with the reason.
    """
    return _send_back(
        proposal,
        moderator,
        comment,
        ProposalState.REJECTED,
        ProposalComment.Action.REJECTED,
        "rejected",
    )


def proposal_comment(*, proposal, moderator, comment: str) -> ProposalComment:
    """A moderator's comment that changes nothing else. Side effects: e-mail to the author."""
    with transaction.atomic():
        if not (moderator.is_staff or moderator.is_moderator):
            raise PermissionDenied
        if proposal.state not in {*EDITABLE, ProposalState.SUBMITTED}:
            raise ValidationError(_("This contribution is closed."), code="state")
        if not comment.strip():
            raise ValidationError({"comment": _("Write a comment.")})
        note = ProposalComment.objects.create(
            proposal=proposal, author=moderator, body=comment.strip()
        )
        _notify(proposal, "commented")
        return note


def _attach_media(proposal):
    def attach(initiative):
        removed = proposal.data.get(REMOVED_MEDIA) or []
        if removed:
            for media in InitiativeMedia.objects.filter(initiative=initiative, pk__in=removed):
                media.delete()
        InitiativeMedia.objects.bulk_create(
            InitiativeMedia(
                initiative=initiative,
                kind=media.kind,
                # A copy under the published folder: the contribution's own files stay
                # private (served by ProposalMediaFileView only).
                file=ContentFile(media.file.read(), name=random_name(media.file.name)),
                title=media.title,
                alt_text=media.alt_text,
            )
            for media in proposal.media.all()
        )

    return attach


def _publish(proposal, publisher, comment):
    revision = initiative_save_revision(
        initiative=proposal.initiative,
        data=proposal_merged_data(proposal),
        author=proposal.author,
        publisher=publisher,
        message=proposal.message or comment,
        before_snapshot=_attach_media(proposal),
    )
    proposal.initiative = revision.initiative
    proposal.save(update_fields=["initiative", "updated_at"])
    return revision


def proposal_publish(*, proposal, moderator, comment: str = "") -> InitiativeRevision:
    """Publish a submitted contribution: the initiative is created or updated and a revision
    recorded, all in one transaction.

    Side effects: e-mail to the contributor.
    """
    with transaction.atomic():
        proposal = InitiativeProposal.objects.select_for_update().get(pk=proposal.pk)
        _decide(
            proposal,
            moderator,
            ProposalState.PUBLISHED,
            ProposalComment.Action.PUBLISHED,
            comment,
            require_comment=False,
        )
        revision = _publish(proposal, moderator, comment)
        _notify(proposal, "published")
        return revision


def proposal_publish_directly(*, proposal, user, message: str = "") -> InitiativeRevision:
    """Publish one's own draft without review: moderators for anything, members of a lead
    organisation for their initiative. Still a revision. Side effects: e-mail to the author."""
    from ..rules import is_lead_organisation_member

    with transaction.atomic():
        proposal = InitiativeProposal.objects.select_for_update().get(pk=proposal.pk)
        _require_editable(proposal)
        if proposal.author_id != user.pk:
            raise PermissionDenied
        allowed = user.is_staff or user.is_moderator
        if proposal.initiative_id and is_lead_organisation_member(user, proposal.initiative):
            allowed = True
        if not allowed:
            raise PermissionDenied
        _check_publishable(proposal)
        proposal.message = message[:300]
        proposal.state = ProposalState.PUBLISHED
        proposal.submitted_at = proposal.decided_at = timezone.now()
        proposal.decided_by = user
        proposal.save()
        ProposalComment.objects.create(
            proposal=proposal, author=user, action=ProposalComment.Action.PUBLISHED
        )
        revision = _publish(proposal, user, message)
        _notify(proposal, "published")
        return revision


def proposal_delete(*, proposal: InitiativeProposal, user) -> None:
    """Discard one's own draft (with its uploaded files)."""
    with transaction.atomic():
        if proposal.author_id != user.pk:
            raise PermissionDenied
        _require_editable(proposal)
        for media in proposal.media.all():
            media.file.delete(save=False)
        proposal.delete()
