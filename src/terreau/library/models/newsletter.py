"""The newsletter: subscribers (double opt-in, preferences), issues and one delivery per
(issue, subscriber)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


class ContentKind(models.TextChoices):
    """What an issue's item is, and what a subscriber may choose to receive."""

    NEWS = "news", pgettext_lazy("newsletter content kind", "News")
    EVENT = "event", pgettext_lazy("newsletter content kind", "Events")
    RESOURCE = "resource", pgettext_lazy("newsletter content kind", "Resources")
    CALL = "call", pgettext_lazy("newsletter content kind", "Calls for applications")


class SubscriberState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("subscriber state", "Waiting for confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("subscriber state", "Subscribed")
    UNSUBSCRIBED = "unsubscribed", pgettext_lazy("subscriber state", "Unsubscribed")
    BOUNCED = "bounced", pgettext_lazy("subscriber state", "Address bounced")
    COMPLAINED = "complained", pgettext_lazy("subscriber state", "Marked as spam")


class Subscriber(models.Model):
    """An address that asked for the newsletter. It receives issues only once `confirmed`.

    `nonce` is part of every signed link (confirm, preferences, unsubscribe) and changes at each
    change of state: a link used once, or one from before a new subscription, no longer works.
    """

    email = models.EmailField(_("e-mail"), max_length=254)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=SubscriberState.choices,
        default=SubscriberState.PENDING,
        db_index=True,
    )
    themes = models.ManyToManyField(
        "core.Theme",
        verbose_name=_("themes"),
        blank=True,
        related_name="newsletter_subscribers",
        help_text=_("None: every theme."),
    )
    kinds = models.JSONField(
        _("kinds of content"), default=list, blank=True, help_text=_("None: every kind.")
    )
    language = models.CharField(_("language"), max_length=5, default="fr")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscriptions",
    )
    nonce = models.CharField(max_length=24, default=new_nonce, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced or complained"), null=True, blank=True)
    bounce_reason = models.CharField(_("bounce reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="library_subscriber_email_unique")
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.state == SubscriberState.CONFIRMED


class IssueState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("newsletter issue state", "Draft")
    SENDING = "sending", pgettext_lazy("newsletter issue state", "Sending")
    SENT = "sent", pgettext_lazy("newsletter issue state", "Sent")


class Issue(models.Model):
    """An issue of the newsletter, composed by staff from recent content."""

    subject = models.CharField(_("subject"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    state = models.CharField(
        _("state"), max_length=10, choices=IssueState.choices, default=IssueState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    send_requested_at = models.DateTimeField(_("sending requested"), null=True, blank=True)
    # Written after each batch: a queue that stops moving is visible (and resumable).
    queue_progress_at = models.DateTimeField(_("last batch queued"), null=True, blank=True)
    queued_at = models.DateTimeField(_("every delivery queued"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("library:issue_detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.state == IssueState.DRAFT


class IssueItem(models.Model):
    """One piece of content in an issue, copied when the issue is composed (what was sent stays
    what it was), with the themes that subscribers' preferences are matched against."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ContentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    date_text = models.CharField(_("date"), max_length=100, blank=True)
    theme_ids = models.JSONField(_("themes"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("issue item")
        verbose_name_plural = _("issue items")
        ordering = ["issue", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class DeliveryState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("newsletter delivery state", "Queued")
    SKIPPED = "skipped", pgettext_lazy("newsletter delivery state", "Nothing for their preferences")
    BOUNCED = "bounced", pgettext_lazy("newsletter delivery state", "Bounced")


class Delivery(models.Model):
    """One subscriber's copy of one issue: written once, with its outbox message, in the same
    transaction. The unique constraint is what makes a second copy impossible."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    email = models.EmailField(_("e-mail"), max_length=254)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    outbox_key = models.CharField(_("outbox key"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["issue", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="library_delivery_once_per_subscriber"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issue} → {self.email}"
