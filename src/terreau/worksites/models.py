"""Cooperative worksites: a question worked on by a steering committee, its cases (observatory
initiatives discussed in evening workshops), the co-written reports with their revisions,
comments and suggestions, the pooling day's themes and syntheses, and the publication's
numbered editions."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WorksiteStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    RUNNING = "running", _("Running")
    PUBLISHING = "publishing", _("Publishing")
    CLOSED = "closed", pgettext_lazy("worksite status", "Closed")


class Worksite(models.Model):
    """A research-action worksite: one question, a period, a committee, cases and a publication."""

    question = models.CharField(_("question"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    summary = models.TextField(_("what it is"), blank=True, help_text=_("Markdown."))
    objectives = models.TextField(_("objectives"), blank=True, help_text=_("Markdown."))
    status = models.CharField(
        _("status"), max_length=12, choices=WorksiteStatus.choices, default=WorksiteStatus.PREPARING
    )
    is_public = models.BooleanField(
        _("public page"), default=True, help_text=_("Its public page is visible to everyone.")
    )
    convener = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("convened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="convened_worksites",
    )
    partners = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("partners"),
        blank=True,
        related_name="partnered_worksites",
    )
    target_mix = models.JSONField(
        _("target mix of actor categories"),
        default=dict,
        blank=True,
        help_text=_("Share (in %) of each actor category wished for at the workshops."),
    )
    pooling_day = models.ForeignKey(
        "events.Event",
        verbose_name=_("pooling day"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("worksite")
        verbose_name_plural = _("worksites")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="worksite_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("worksites:detail", kwargs={"slug": self.slug})


class CommitteeMember(models.Model):
    """A person of the directory on the worksite's steering committee."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        COORDINATOR = "coordinator", _("Coordinator")
        MEMBER = "member", _("Member")
        RESEARCHER = "researcher", _("Researcher")

    worksite = models.ForeignKey(
        Worksite, verbose_name=_("worksite"), on_delete=models.CASCADE, related_name="committee"
    )
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="worksite_committees",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["worksite", "role", "person__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["worksite", "person"], name="unique_committee_member")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Participant(models.Model):
    """Someone who takes part in the worksite's workspace; listed as a contributor in the
    publication only while they consent."""

    worksite = models.ForeignKey(
        Worksite, verbose_name=_("worksite"), on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="worksite_participations",
    )
    consents_to_listing = models.BooleanField(
        _("listed as a contributor"),
        default=False,
        help_text=_("I agree that my name appears among the publication's contributors."),
    )
    consent_changed_at = models.DateTimeField(_("consent changed"), null=True, blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["worksite", "person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["worksite", "person"], name="unique_participant")
        ]

    def __str__(self) -> str:
        return str(self.person)


#: The headings of a case presentation (seed 000): field name and label.
PRESENTATION_FIELDS = (
    ("context", _("The context in which it developed")),
    ("choices", _("The choices that led to it")),
    ("ways_of_working", _("Ways of working")),
    ("meeting_population", _("How they meet the population")),
    ("territory", _("The organisations and elected officials of their territory")),
)


class Case(models.Model):
    """An initiative of the observatory discussed in one evening workshop of the worksite."""

    worksite = models.ForeignKey(
        Worksite, verbose_name=_("worksite"), on_delete=models.CASCADE, related_name="cases"
    )
    initiative = models.ForeignKey(
        "observatory.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="worksite_cases",
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220)
    lead_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="worksite_cases",
    )
    presenters = models.ManyToManyField(
        "directory.Person",
        verbose_name=_("presenters"),
        blank=True,
        related_name="presented_cases",
        help_text=_("The organisers who present the case; they edit its presentation."),
    )
    workshop = models.ForeignKey(
        "events.Event",
        verbose_name=_("evening workshop"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="worksite_cases",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    context = models.TextField(PRESENTATION_FIELDS[0][1], blank=True)
    choices = models.TextField(PRESENTATION_FIELDS[1][1], blank=True)
    ways_of_working = models.TextField(PRESENTATION_FIELDS[2][1], blank=True)
    meeting_population = models.TextField(PRESENTATION_FIELDS[3][1], blank=True)
    territory = models.TextField(PRESENTATION_FIELDS[4][1], blank=True)
    presentation_updated_at = models.DateTimeField(_("presentation updated"), null=True, blank=True)
    presentation_sent_at = models.DateTimeField(_("presentation sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["worksite", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["worksite", "slug"], name="unique_case_slug")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def presentation_parts(self) -> list[tuple[str, str]]:
        """(heading, Markdown text) of each written heading of the presentation."""
        return [
            (label, getattr(self, name))
            for name, label in PRESENTATION_FIELDS
            if getattr(self, name)
        ]


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    IN_REVIEW = "in_review", _("In review")
    VALIDATED = "validated", _("Validated")


class Report(models.Model):
    """The co-written report of a case, in sections."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="report"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned to participants"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return str(self.case)

    @property
    def is_validated(self) -> bool:
        return self.status == ReportStatus.VALIDATED


#: The three sections every report starts with (seed 000).
DEFAULT_SECTIONS = (
    _("Analytical description of the case"),
    _("Diagnosis of strengths and weaknesses"),
    _("Hypotheses for other groups, contexts and territories"),
)


class Section(models.Model):
    """A part of a report edited on its own; `version` grows by one at every save, and a save
    based on an older version is refused (optimistic locking)."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Accepts or rejects the suggestions made on the section."),
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["report", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class SectionRevision(models.Model):
    """A saved state of a section: every save (and the first text) is one."""

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("section revision")
        verbose_name_plural = _("section revisions")
        ordering = ["section", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["section", "version"], name="unique_section_version")
        ]

    def __str__(self) -> str:
        return f"{self.section} v{self.version}"


class Comment(models.Model):
    """A remark on a passage of a section (or a reply to one), moved with the passage when the
    text changes, flagged when the passage is gone."""

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    quote = models.CharField(_("passage"), max_length=1000, blank=True)
    start = models.PositiveIntegerField(_("start"), null=True, blank=True)
    end = models.PositiveIntegerField(_("end"), null=True, blank=True)
    is_passage_gone = models.BooleanField(_("passage gone"), default=False)
    body = models.TextField(_("comment"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["section", "created_at", "pk"]
        indexes = [models.Index(fields=["section", "parent", "created_at"])]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class Suggestion(models.Model):
    """A proposed replacement of a passage, accepted or rejected by the section's owner."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="suggestions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    quote = models.CharField(_("passage"), max_length=1000)
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    replacement = models.TextField(_("replacement"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["section", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.quote[:30]} → {self.replacement[:30]}"


class CrossTheme(models.Model):
    """A cross-cutting theme that the committee draws out of the reports for the pooling day."""

    worksite = models.ForeignKey(
        Worksite, verbose_name=_("worksite"), on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("cross-cutting theme")
        verbose_name_plural = _("cross-cutting themes")
        ordering = ["worksite", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["worksite", "name"], name="unique_cross_theme")
        ]

    def __str__(self) -> str:
        return self.name


class ThemeTag(models.Model):
    """A passage of a report tagged with a cross-cutting theme (the quote is kept, so the
    gathering still reads when the section changes)."""

    theme = models.ForeignKey(
        CrossTheme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="tags"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="theme_tags"
    )
    quote = models.CharField(_("passage"), max_length=2000)
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tagged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tagged"), auto_now_add=True)

    class Meta:
        verbose_name = _("theme tag")
        verbose_name_plural = _("theme tags")
        ordering = ["theme", "section__report__case__position", "section__position", "pk"]

    def __str__(self) -> str:
        return f"{self.theme}: {self.quote[:40]}"


class PoolingSynthesis(models.Model):
    """What one exchange group of the pooling day concluded."""

    worksite = models.ForeignKey(
        Worksite, verbose_name=_("worksite"), on_delete=models.CASCADE, related_name="syntheses"
    )
    theme = models.ForeignKey(
        CrossTheme,
        verbose_name=_("theme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="syntheses",
    )
    group_name = models.CharField(_("exchange group"), max_length=200)
    body = models.TextField(_("synthesis"), help_text=_("Markdown."))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("exchange group synthesis")
        verbose_name_plural = _("exchange group syntheses")
        ordering = ["worksite", "theme__position", "group_name", "pk"]

    def __str__(self) -> str:
        return self.group_name


class Publication(models.Model):
    """The worksite's final publication; each build makes a new numbered edition."""

    worksite = models.OneToOneField(
        Worksite, verbose_name=_("worksite"), on_delete=models.CASCADE, related_name="publication"
    )
    title = models.CharField(_("title"), max_length=255)
    subtitle = models.CharField(_("subtitle"), max_length=255, blank=True)
    licence = models.CharField(_("licence"), max_length=200, default="Creative Commons BY-SA 4.0")
    credits = models.TextField(_("credits"), blank=True, help_text=_("Markdown."))
    resource = models.OneToOneField(
        "library.Resource",
        verbose_name=_("library resource"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="worksite_publication",
    )
    identifier = models.CharField(
        _("identifier"), max_length=80, unique=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.identifier:
            self.identifier = f"urn:uuid:{_uuid()}"
        super().save(*args, **kwargs)


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def edition_file_path(instance, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()
    return f"worksites/editions/{secrets.token_hex(12)}.{suffix}"


class Edition(models.Model):
    """One build of the publication: a web edition, a PDF and an EPUB from the same source."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="editions",
    )
    number = models.PositiveIntegerField(_("edition number"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    html_file = models.FileField(_("web edition"), upload_to=edition_file_path, blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to=edition_file_path, blank=True)
    epub_file = models.FileField(_("EPUB"), upload_to=edition_file_path, blank=True)
    pdf_pages = models.PositiveIntegerField(_("PDF pages"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["publication", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="unique_edition_number")
        ]

    def __str__(self) -> str:
        return f"{self.publication} — {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "worksites:edition",
            kwargs={"slug": self.publication.worksite.slug, "number": self.number},
        )

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.BUILDING)
