"""Members propose resources (a publication, a news item, a file); moderators publish them, ask
for changes or reject them. The steps, their history and their e-mails are the shared
moderation workflow's (terreau.core.moderation), as for the observatory's contributions; this
module says what a proposal holds and what publishing it makes: a published resource with the
proposal's file as its attachment (checked again, then extracted by the task worker)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from terreau.core.moderation.services import Moderation
from terreau.core.moderation.states import ModerationState
from terreau.core.uploads import random_name

from ..models import ResourceKind, ResourceProposal, ResourceProposalComment, ResourceState
from .resources import resource_attachment_add, resource_create

FIELDS = (
    "kind",
    "news_kind",
    "title",
    "summary",
    "body",
    "published_on",
    "language",
    "external_url",
    "licence",
    "file_title",
)


def _urls(proposal: ResourceProposal) -> dict:
    return {
        "proposal_url": proposal.get_absolute_url(),
        "public_url": proposal.resource.get_absolute_url() if proposal.resource_id else "",
        "moderation_url": proposal.get_absolute_url(),
    }


def _check_publishable(proposal: ResourceProposal) -> None:
    errors = {}
    if not proposal.title.strip():
        errors["title"] = _("A title is required.")
    if not proposal.summary.strip():
        errors["summary"] = _("A summary is required.")
    if not (proposal.body.strip() or proposal.file or proposal.external_url):
        errors["file"] = _("Attach the document, give its address or write its text.")
    if errors:
        raise ValidationError(errors)


def _publish(proposal: ResourceProposal, moderator, comment: str):
    resource = resource_create(
        title=proposal.title,
        kind=proposal.kind,
        summary=proposal.summary,
        body=proposal.body,
        published_on=proposal.published_on,
        news_kind=proposal.news_kind if proposal.kind == ResourceKind.NEWS else "",
        language=proposal.language,
        external_url=proposal.external_url,
        licence=proposal.licence,
        state=ResourceState.PUBLISHED,
        themes=list(proposal.themes.all()),
    )
    if proposal.file:
        with proposal.file.open("rb") as source:
            # A copy under the public folder: the proposal's own file stays private.
            copy = ContentFile(source.read(), name=random_name(proposal.file.name))
        resource_attachment_add(
            resource=resource, title=proposal.file_title or proposal.title, file=copy
        )
    proposal.resource = resource
    proposal.save(update_fields=["resource", "updated_at"])
    return resource


RESOURCES = Moderation(
    model=ResourceProposal,
    comment_model=ResourceProposalComment,
    check_publishable=_check_publishable,
    publish_content=_publish,
    urls=_urls,
)


def _fill(proposal: ResourceProposal, fields: dict, themes, file) -> None:
    for name in FIELDS:
        if name in fields:
            value = fields[name]
            setattr(proposal, name, value if name == "published_on" else value or "")
    if file is not None:
        proposal.file = file
    proposal.full_clean(exclude=["author", "state"])
    proposal.save()
    if themes is not None:
        proposal.themes.set(themes)


def proposal_propose(*, author, themes=None, file=None, message: str = "", **fields):
    """A member's new proposal, sent to the moderators at once.

    Raises ValidationError (field keys) when a field is invalid or the proposal lacks what a
    resource needs. Side effects: e-mails to the author and the moderators (outbox).
    """
    with transaction.atomic():
        proposal = ResourceProposal(author=author)
        _fill(proposal, fields, themes, file)
        return RESOURCES.submit(proposal=proposal, message=message)


def proposal_revise(*, proposal, user, themes=None, file=None, message: str = "", **fields):
    """The author changes a proposal sent back for changes (or a draft) and submits it again.
    Side effects: the submission's e-mails."""
    with transaction.atomic():
        proposal = RESOURCES.lock(proposal)
        if proposal.author_id != user.pk:
            raise PermissionDenied
        RESOURCES.require_editable(proposal)
        previous = proposal.file.name if proposal.file and file is not None else ""
        _fill(proposal, fields, themes, file)
        if previous:
            transaction.on_commit(lambda: proposal.file.storage.delete(previous))
        return RESOURCES.submit(proposal=proposal, message=message)


DECISIONS = {
    "publish": RESOURCES.publish,
    "changes": RESOURCES.request_changes,
    "reject": RESOURCES.reject,
    "comment": RESOURCES.comment,
}


def proposal_decide(*, proposal, moderator, decision: str, comment: str = ""):
    """A moderator's decision on a submitted proposal: publish, ask for changes, reject, or
    only comment. Raises ValidationError for a missing comment or a proposal not awaiting it."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose a decision.")})
    return DECISIONS[decision](proposal=proposal, moderator=moderator, comment=comment)


def proposal_withdraw(*, proposal, user) -> None:
    """The author discards a proposal not yet published (with its file)."""
    with transaction.atomic():
        proposal = RESOURCES.lock(proposal)
        if proposal.author_id != user.pk:
            raise PermissionDenied
        if proposal.state in {ModerationState.PUBLISHED, ModerationState.REJECTED}:
            raise ValidationError(_("This contribution is closed."), code="state")
        if proposal.file:
            name, storage = proposal.file.name, proposal.file.storage
            transaction.on_commit(lambda: storage.delete(name))
        proposal.delete()


__all__ = [
    "RESOURCES",
    "proposal_decide",
    "proposal_propose",
    "proposal_revise",
    "proposal_withdraw",
]
