"""The transitions of a proposal, shared by every kind of proposal.

A kind declares one `Moderation`:

    RESOURCES = Moderation(
        model=ResourceProposal,
        comment_model=ResourceProposalComment,
        check_publishable=_check,            # raises ValidationError (field keys)
        publish_content=_publish,            # (proposal, moderator, comment) -> what it made
        urls=_urls,                          # proposal -> {"proposal_url", "public_url",
                                             #              "moderation_url"} (paths)
    )

and calls `RESOURCES.submit(...)`, `.request_changes(...)`, `.reject(...)`, `.comment(...)`,
`.publish(...)`. Each runs in one transaction with the proposal's row locked, records the step
in the proposal's comments and writes its e-mails to the outbox (see `mail`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .states import EDITABLE, OPEN, ModerationAction, ModerationState


def may_moderate(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_staff or user.is_moderator))


@dataclass(frozen=True)
class Moderation:
    model: type
    comment_model: type
    check_publishable: Callable
    publish_content: Callable
    urls: Callable

    # helpers

    def lock(self, proposal):
        return self.model.objects.select_for_update().get(pk=proposal.pk)

    def require_editable(self, proposal) -> None:
        if proposal.state not in EDITABLE:
            raise ValidationError(_("This contribution can no longer be changed."), code="state")

    def record(self, proposal, author, action=ModerationAction.COMMENT, body: str = ""):
        return self.comment_model.objects.create(
            proposal=proposal, author=author, action=action, body=body
        )

    def notify(self, proposal, event: str) -> int:
        from .mail import moderation_notify

        return moderation_notify(self, proposal, event)

    # transitions

    def submit(self, *, proposal, message: str = ""):
        """Send a draft (or a proposal sent back for changes) to the moderators.

        Side effects: e-mail to the author (receipt) and to every moderator.
        """
        with transaction.atomic():
            proposal = self.lock(proposal)
            self.require_editable(proposal)
            self.check_publishable(proposal)
            proposal.state = ModerationState.SUBMITTED
            proposal.message = message[:300]
            proposal.submitted_at = timezone.now()
            proposal.save(update_fields=["state", "message", "submitted_at", "updated_at"])
            self.record(proposal, proposal.author, ModerationAction.SUBMITTED, proposal.message)
            self.notify(proposal, "submitted")
            return proposal

    def _decide(self, proposal, moderator, state, action, comment, *, require_comment):
        if not may_moderate(moderator):
            raise PermissionDenied
        if proposal.state != ModerationState.SUBMITTED:
            raise ValidationError(_("This contribution is not awaiting review."), code="state")
        if require_comment and not comment.strip():
            raise ValidationError({"comment": _("Explain your decision to the contributor.")})
        proposal.state = state
        proposal.decided_at = timezone.now()
        proposal.decided_by = moderator
        proposal.save(update_fields=["state", "decided_at", "decided_by", "updated_at"])
        self.record(proposal, moderator, action, comment.strip())

    def _send_back(self, proposal, moderator, comment, state, action, event):
        with transaction.atomic():
            proposal = self.lock(proposal)
            self._decide(proposal, moderator, state, action, comment, require_comment=True)
            self.notify(proposal, event)
            return proposal

    def request_changes(self, *, proposal, moderator, comment: str):
        """Send a submitted proposal back to its author with a comment.

        Side effects: e-mail to the author with the comment.
        """
        return self._send_back(
            proposal,
            moderator,
            comment,
            ModerationState.CHANGES_REQUESTED,
            ModerationAction.CHANGES_REQUESTED,
            "changes_requested",
        )

    def reject(self, *, proposal, moderator, comment: str):
        """Refuse a submitted proposal, with the reason. Side effects: e-mail to the author."""
        return self._send_back(
            proposal,
            moderator,
            comment,
            ModerationState.REJECTED,
            ModerationAction.REJECTED,
            "rejected",
        )

    def comment(self, *, proposal, moderator, comment: str):
        """A moderator's comment that changes nothing else. Side effects: e-mail to the author."""
        with transaction.atomic():
            if not may_moderate(moderator):
                raise PermissionDenied
            if proposal.state not in OPEN:
                raise ValidationError(_("This contribution is closed."), code="state")
            if not comment.strip():
                raise ValidationError({"comment": _("Write a comment.")})
            note = self.record(proposal, moderator, body=comment.strip())
            self.notify(proposal, "commented")
            return note

    def publish(self, *, proposal, moderator, comment: str = ""):
        """Publish a submitted proposal: its content is made public (`publish_content`) in the
        same transaction. Returns what `publish_content` returns.

        Side effects: e-mail to the author.
        """
        with transaction.atomic():
            proposal = self.lock(proposal)
            self._decide(
                proposal,
                moderator,
                ModerationState.PUBLISHED,
                ModerationAction.PUBLISHED,
                comment,
                require_comment=False,
            )
            published = self.publish_content(proposal, moderator, comment)
            self.notify(proposal, "published")
            return published

    def publish_without_review(self, *, proposal, user, message: str = ""):
        """Publish one's own editable proposal at once (the caller has checked that `user` may).
        Still recorded and mailed as a publication."""
        with transaction.atomic():
            proposal = self.lock(proposal)
            self.require_editable(proposal)
            if proposal.author_id != user.pk:
                raise PermissionDenied
            self.check_publishable(proposal)
            proposal.message = message[:300]
            proposal.state = ModerationState.PUBLISHED
            proposal.submitted_at = proposal.decided_at = timezone.now()
            proposal.decided_by = user
            proposal.save()
            self.record(proposal, user, ModerationAction.PUBLISHED)
            published = self.publish_content(proposal, user, message)
            self.notify(proposal, "published")
            return published
