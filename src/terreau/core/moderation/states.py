"""States of a proposal and the actions of its history."""

from django.db import models
from django.utils.translation import pgettext_lazy


class ModerationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("moderation", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("moderation", "Submitted for review")
    CHANGES_REQUESTED = "changes", pgettext_lazy("moderation", "Changes requested")
    PUBLISHED = "published", pgettext_lazy("moderation", "Published")
    REJECTED = "rejected", pgettext_lazy("moderation", "Rejected")


class ModerationAction(models.TextChoices):
    COMMENT = "comment", pgettext_lazy("moderation", "Comment")
    SUBMITTED = "submitted", pgettext_lazy("moderation", "Submitted")
    CHANGES_REQUESTED = "changes", pgettext_lazy("moderation", "Changes requested")
    PUBLISHED = "published", pgettext_lazy("moderation", "Published")
    REJECTED = "rejected", pgettext_lazy("moderation", "Rejected")


#: The author may change the proposal.
EDITABLE = frozenset({ModerationState.DRAFT, ModerationState.CHANGES_REQUESTED})
#: A moderator may still comment on it.
OPEN = EDITABLE | {ModerationState.SUBMITTED}
