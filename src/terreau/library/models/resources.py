"""The library (ressources): the network's publications, guides, interviews, news, programmes,
reports and calls, with their attached files."""

from pathlib import PurePath

from django.conf import settings
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


class NewsKind(models.TextChoices):
    """What a news item is (the IREV's "type d'actualités")."""

    REGIONAL = "regional", pgettext_lazy("news kind", "Regional information")
    CALL = "call", pgettext_lazy("news kind", "Call for applications")
    EVENT_REPORT = "event_report", pgettext_lazy("news kind", "Event report")
    PUBLICATION = "publication", pgettext_lazy("news kind", "Publication")


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
    calls = models.ManyToManyField(
        "calls.Call",
        verbose_name=_("calls for applications it belongs to"),
        blank=True,
        related_name="resources",
    )
    groups = models.ManyToManyField(
        "groups.ExchangeGroup",
        verbose_name=_("exchange groups it belongs to"),
        blank=True,
        related_name="resources",
    )
    worksites = models.ManyToManyField(
        "worksites.Worksite",
        verbose_name=_("worksites it belongs to"),
        blank=True,
        related_name="resources",
    )
    news_kind = models.CharField(
        _("kind of news"),
        max_length=20,
        choices=NewsKind.choices,
        blank=True,
        help_text=_("For news only."),
    )
    starts_at = models.DateTimeField(
        _("date of what it announces"),
        null=True,
        blank=True,
        help_text=_("For news: the date of the event or deadline it announces."),
    )
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    authors = models.ManyToManyField(
        "directory.Person", verbose_name=_("authors"), blank=True, related_name="resources"
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    department = models.ForeignKey(
        "territories.Department",
        verbose_name=_("département"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        help_text=_("Filled from the commune when there is one."),
    )
    related = models.ManyToManyField(
        "self",
        verbose_name=_("related content"),
        symmetrical=False,
        blank=True,
        help_text=_(
            "Chosen by hand; when empty, the page shows resources that share its themes and "
            "territory."
        ),
    )
    external_url = models.URLField(_("external link"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    # The text of the attachments (extracted by the task worker), for search.
    attachments_text = models.TextField(_("text of the attachments"), blank=True, editable=False)
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
        if self.commune_id and not self.department_id:
            self.department_id = self.commune.department_id
        self.search_text = normalise(self.title, self.summary, self.attachments_text)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("library:resource_detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.state == ResourceState.PUBLISHED


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "epub": "application/epub+zip",
}


class Extraction(models.TextChoices):
    PENDING = "pending", pgettext_lazy("text extraction", "Waiting")
    DONE = "done", pgettext_lazy("text extraction", "Done")
    NONE = "none", pgettext_lazy("text extraction", "No text (image)")
    FAILED = "failed", pgettext_lazy("text extraction", "Failed")


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
    content_type = models.CharField(_("type"), max_length=100, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Filled by the task worker (extraction.py): the text of a PDF, DOCX or ODT, for search.
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    extraction = models.CharField(
        _("text extraction"),
        max_length=10,
        choices=Extraction.choices,
        default=Extraction.PENDING,
        editable=False,
    )
    extraction_error = models.CharField(
        _("extraction error"), max_length=300, blank=True, editable=False
    )
    thumbnail = models.ImageField(
        _("cover"), upload_to="resources/covers/%Y/", blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # An upload, or a file already in storage attached as it is (a publication's EPUB):
        # both measured and typed, so that the page says what one downloads.
        if self.file and (not self.file._committed or self._state.adding):
            self.size = self.file.size
            self.content_type = CONTENT_TYPES.get(self.extension.lower(), "")
        super().save(*args, **kwargs)

    @property
    def type_label(self) -> str:
        """The file's type as people read it ("PDF", "DOCX", "PNG")."""
        return self.extension

    @property
    def extension(self) -> str:
        """The file's type as people read it ("PDF", "DOCX")."""
        return PurePath(self.file.name or "").suffix.lstrip(".").upper()
