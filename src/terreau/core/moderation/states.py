"""States of a proposal and the actions of its history."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ModerationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class ModerationAction(models.TextChoices):
    COMMENT = "comment", _("Comment")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


#: The author may change the proposal.
EDITABLE = frozenset({ModerationState.DRAFT, ModerationState.CHANGES_REQUESTED})
#: A moderator may still comment on it.
OPEN = EDITABLE | {ModerationState.SUBMITTED}
