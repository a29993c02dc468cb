"""The outbox's rows: one e-mail, its delivery state and its attempts; the body that many
copies share (a newsletter issue), stored once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed for good")


class OutboxBody(models.Model):
    """What many copies of one message have in common (body, alternative parts, attachments),
    stored once: each copy's row holds its recipient, its headers and the values that replace
    the marks of this body (`OutboxMessage.substitutions`). Never changed once written; found
    again by its content's digest."""

    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    body = models.TextField(_("body"), blank=True)
    content_subtype = models.CharField(max_length=20, default="plain")
    alternatives = models.JSONField(default=list)
    attachments = models.JSONField(default=list)

    class Meta:
        verbose_name = _("shared e-mail body")
        verbose_name_plural = _("shared e-mail bodies")

    def __str__(self) -> str:
        return self.digest[:12]


class OutboxMessage(models.Model):
    key = models.CharField(_("key"), max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    from_email = models.CharField(_("from"), max_length=320)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    subject = models.TextField(_("subject"))
    body = models.TextField(_("body"), blank=True)
    content_subtype = models.CharField(max_length=20, default="plain")
    alternatives = models.JSONField(default=list)
    headers = models.JSONField(default=dict)
    attachments = models.JSONField(default=list)
    # A copy of a shared body: `body`, `alternatives` and `attachments` above stay empty, the
    # shared ones are sent with each mark (a key of `substitutions`) replaced by its value.
    shared_body = models.ForeignKey(
        OutboxBody,
        verbose_name=_("shared body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    substitutions = models.JSONField(default=dict, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["status", "claimed_until"], name="outbox_claims"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc, *self.bcc]
