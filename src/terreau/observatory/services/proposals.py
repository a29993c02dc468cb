"""Contributions: a member drafts a new initiative or an edit, submits it; a moderator asks for
changes, publishes or rejects. The steps are the shared moderation workflow's
(terreau.core.moderation), which e-mails the contributor through the outbox; this module says
what a contribution holds and what publishing it does (a revision of the initiative)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from terreau.core.moderation.services import Moderation
from terreau.core.moderation.states import EDITABLE
from terreau.core.uploads import random_name

from ..models import (
    Initiative,
    InitiativeMedia,
    InitiativeProposal,
    InitiativeRevision,
    ProposalComment,
    ProposalMedia,
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

REMOVED_MEDIA = "removed_media"


def _urls(proposal: InitiativeProposal) -> dict:
    return {
        "proposal_url": proposal.get_absolute_url(),
        "public_url": proposal.initiative.get_absolute_url() if proposal.initiative_id else "",
        "moderation_url": reverse("observatory:proposal_moderate", kwargs={"pk": proposal.pk}),
    }


def _require_editable(proposal: InitiativeProposal) -> None:
    INITIATIVES.require_editable(proposal)


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
    return INITIATIVES.submit(proposal=proposal, message=message)


def proposal_request_changes(*, proposal, moderator, comment: str) -> InitiativeProposal:
    """Send a submitted contribution back to its author with a comment.

    Side effects: e-mail to the contributor with the comment.
    """
    return INITIATIVES.request_changes(proposal=proposal, moderator=moderator, comment=comment)


def proposal_reject(*, proposal, moderator, comment: str) -> InitiativeProposal:
    """Refuse a submitted contribution, with the reason.

    Side effects: e-mail to the contributor with the reason.
    """
    return INITIATIVES.reject(proposal=proposal, moderator=moderator, comment=comment)


def proposal_comment(*, proposal, moderator, comment: str) -> ProposalComment:
    """A moderator's comment that changes nothing else. Side effects: e-mail to the author."""
    return INITIATIVES.comment(proposal=proposal, moderator=moderator, comment=comment)


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


def _check_publishable(proposal: InitiativeProposal) -> None:
    errors = {}
    if not (proposal.data.get("title") or "").strip():
        errors["title"] = _("A title is required.")
    if not (proposal.data.get("summary") or "").strip():
        errors["summary"] = _("A summary is required.")
    if errors:
        raise ValidationError(errors)


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
    return INITIATIVES.publish(proposal=proposal, moderator=moderator, comment=comment)


def proposal_publish_directly(*, proposal, user, message: str = "") -> InitiativeRevision:
    """Publish one's own draft without review: moderators for anything, members of a lead
    organisation for their initiative. Still a revision. Side effects: e-mail to the author."""
    from ..rules import is_lead_organisation_member

    allowed = user.is_staff or user.is_moderator
    if proposal.initiative_id and is_lead_organisation_member(user, proposal.initiative):
        allowed = True
    if not allowed:
        raise PermissionDenied
    return INITIATIVES.publish_without_review(proposal=proposal, user=user, message=message)


# The observatory's contributions on the shared moderation workflow.
INITIATIVES = Moderation(
    model=InitiativeProposal,
    comment_model=ProposalComment,
    check_publishable=_check_publishable,
    publish_content=_publish,
    urls=_urls,
)


def proposal_delete(*, proposal: InitiativeProposal, user) -> None:
    """Discard one's own draft (with its uploaded files)."""
    with transaction.atomic():
        if proposal.author_id != user.pk:
            raise PermissionDenied
        _require_editable(proposal)
        for media in proposal.media.all():
            media.file.delete(save=False)
        proposal.delete()
