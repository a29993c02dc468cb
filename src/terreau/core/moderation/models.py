"""Abstract bases: a concrete proposal adds its author and content, a concrete comment its
`proposal` foreign key (related_name "comments")."""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from .states import EDITABLE, ModerationAction, ModerationState


class ModeratedProposal(models.Model):
    state = models.CharField(
        pgettext_lazy("moderation", "state"),
        max_length=10,
        choices=ModerationState.choices,
        default=ModerationState.DRAFT,
        db_index=True,
    )
    message = models.CharField(
        pgettext_lazy("moderation", "summary of changes"), max_length=300, blank=True
    )
    created_at = models.DateTimeField(pgettext_lazy("moderation", "created"), auto_now_add=True)
    updated_at = models.DateTimeField(pgettext_lazy("moderation", "updated"), auto_now=True)
    submitted_at = models.DateTimeField(
        pgettext_lazy("moderation", "submitted"), null=True, blank=True
    )
    decided_at = models.DateTimeField(pgettext_lazy("moderation", "decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("moderation", "decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE


class ModerationComment(models.Model):
    """A moderator's comment or decision on a proposal (or the author's submission); the
    author reads them."""

    Action = ModerationAction

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("moderation", "author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    action = models.CharField(
        pgettext_lazy("moderation", "action"),
        max_length=10,
        choices=ModerationAction.choices,
        default=ModerationAction.COMMENT,
    )
    body = models.TextField(pgettext_lazy("moderation", "comment"), blank=True)
    created_at = models.DateTimeField(pgettext_lazy("moderation", "date"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal} — {self.get_action_display()}"
