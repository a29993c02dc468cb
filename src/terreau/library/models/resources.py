"""The library (ressources): the network's publications, guides, interviews, news, programmes,
reports and calls, with their attached files."""

from pathlib import PurePath

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terreau.core.search import normalise
from terreau.core.uploads import validate_new_upload


class ResourceKind(models.TextChoices):
    PUBLICATION = "publication", pgettext_lazy("resource kind", "Publication")
    GUIDE = "guide", pgettext_lazy("resource kind", "Guide")
    INTERVIEW = "interview", pgettext_lazy("resource kind", "Interview")
    NEWS = "news", pgettext_lazy("resource kind", "News")
    PROGRAMME = "programme", pgettext_lazy("resource kind", "Programme")
    REPORT = "report", pgettext_lazy("resource kind", "Report / minutes")
    CALL = "call", pgettext_lazy("resource kind", "Call for applications")


class ResourceState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("resource state", "Draft")
    PUBLISHED = "published", pgettext_lazy("resource state", "Published")


class Resource(models.Model):
    """A document of the network, linked to the initiatives and events it mentions."""

    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
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
    state = models.CharField(
        _("publication state"),
        max_length=10,
        choices=ResourceState.choices,
        default=ResourceState.DRAFT,
        db_index=True,
    )
    themes = models.ManyToManyField(
        "core.Theme", verbose_name=_("themes"), blank=True, related_name="resources"
    )
    organisations = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("authors and publishers"),
        blank=True,
        related_name="resources",
    )
    initiatives = models.ManyToManyField(
        "observatory.Initiative",
        verbose_name=_("initiatives it mentions"),
        blank=True,
        related_name="resources",
    )
    events = models.ManyToManyField(
        "events.Event",
        verbose_name=_("events it relates to"),
        blank=True,
        related_name="resources",
    )
    external_url = models.URLField(_("external link"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    # Normalised title and summary for accent-insensitive search (see core.search).
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["title"]
        indexes = [models.Index(fields=["state", "published_on"], name="resource_state_date")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = normalise(self.title, self.summary)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("library:resource_detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.state == ResourceState.PUBLISHED


class ResourceAttachment(models.Model):
    """A file attached to a resource: a document (PDF, DOCX, ODT) or an image (JPEG, PNG, WebP),
    checked by content and size as the observatory's uploads are (core.uploads)."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to="resources/%Y/",
        max_length=255,
        validators=[validate_new_upload],
        help_text=_("A document (PDF, DOCX, ODT) or an image (JPEG, PNG, WebP)."),
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.size = self.file.size
        super().save(*args, **kwargs)

    @property
    def extension(self) -> str:
        """The file's type as people read it ("PDF", "DOCX")."""
        return PurePath(self.file.name or "").suffix.lstrip(".").upper()
