"""Resources proposed by members (a publication, a news item, a file), published by a
moderator through the shared moderation workflow (terreau.core.moderation)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terreau.core.moderation.models import ModeratedProposal, ModerationComment
from terreau.core.uploads import validate_new_upload

from .resources import NewsKind, Resource, ResourceKind


class ResourceProposal(ModeratedProposal):
    """What a member proposes; publishing it creates the resource (and its attachment)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("resource proposal", "author"),
        on_delete=models.CASCADE,
        related_name="resource_proposals",
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("published resource"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        editable=False,
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ResourceKind.choices, default=ResourceKind.PUBLICATION
    )
    news_kind = models.CharField(
        _("kind of news"),
        max_length=20,
        choices=NewsKind.choices,
        blank=True,
        help_text=_("For news only."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("300 characters at most, shown in lists.")
    )
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    published_on = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the document does not say when it was published."),
    )
    themes = models.ManyToManyField(
        "core.Theme", verbose_name=_("themes"), blank=True, related_name="+"
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    external_url = models.URLField(_("external link"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    # Under contributions/: never served from /media/ (deploy/nginx.conf); the proposal's page
    # serves it to its author and the moderators only.
    file = models.FileField(
        _("file"),
        upload_to="contributions/resources/%Y/",
        max_length=255,
        blank=True,
        validators=[validate_new_upload],
        help_text=_("A document (PDF, DOCX, ODT) or an image (JPEG, PNG, WebP)."),
    )
    file_title = models.CharField(_("title of the file"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("resource proposal")
        verbose_name_plural = _("resource proposals")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["state", "submitted_at"], name="resource_proposal_queue")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:proposal_detail", kwargs={"pk": self.pk})


class ResourceProposalComment(ModerationComment):
    proposal = models.ForeignKey(
        ResourceProposal,
        verbose_name=_("resource proposal"),
        on_delete=models.CASCADE,
        related_name="comments",
    )

    class Meta(ModerationComment.Meta):
        verbose_name = _("moderation comment")
        verbose_name_plural = _("moderation comments")
