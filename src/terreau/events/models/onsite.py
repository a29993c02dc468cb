"""On site and after: attendance per half-day, report-backs per workshop, the event's outputs
and its printed documents."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .programme import Event, EventDay, Session
from .registration import Registration


class Half(models.TextChoices):
    """A half-day: the sign-in sheets and the attendance records are kept per half-day."""

    MORNING = "am", _("Morning")
    AFTERNOON = "pm", _("Afternoon")


class AttendanceRecord(models.Model):
    """A registrant was there for one half-day (ticked at check-in or on the sign-in sheet)."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="attendance_records",
    )
    day = models.ForeignKey(
        EventDay,
        verbose_name=_("day"),
        on_delete=models.CASCADE,
        related_name="attendance_records",
    )
    half = models.CharField(_("half-day"), max_length=2, choices=Half.choices)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["day", "half", "registration"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "day", "half"], name="one_attendance_per_half_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} — {self.day.date} {self.get_half_display()}"


class WorkshopReport(models.Model):
    """The report-back of a workshop: recommendations and notes, published on the event page."""

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="report"
    )
    recommendations = models.TextField(_("recommendations"), blank=True, help_text=_("Markdown."))
    notes = models.TextField(_("notes"), blank=True, help_text=_("Markdown."))
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("workshop report-back")
        verbose_name_plural = _("workshop report-backs")

    def __str__(self) -> str:
        return str(self.session)


def event_file_path(instance, filename: str) -> str:
    """Uploaded outputs get an unguessable name that keeps the extension."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"events/outputs/{secrets.token_hex(12)}.{suffix}"


class EventFile(models.Model):
    """A photo or a document of an event, or attached to a workshop's report-back."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="files"
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        help_text=_("Empty for the event's own photos and documents."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=event_file_path)
    title = models.CharField(_("title"), max_length=255)
    alt_text = models.CharField(
        _("text alternative"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("event file")
        verbose_name_plural = _("event files")
        ordering = ["event", "session", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="photo") | ~models.Q(alt_text=""),
                name="event_photo_has_alt_text",
            )
        ]

    def __str__(self) -> str:
        return self.title


def event_document_path(instance, filename: str) -> str:
    """Printed documents hold personal data: an unguessable name, served only through a view
    that checks the permission."""
    return f"events/documents/{secrets.token_hex(16)}.pdf"


class EventDocument(models.Model):
    """A large printed document (badges, a sign-in sheet) drawn in the background for staff,
    kept until a newer one of the same document is ready."""

    class Kind(models.TextChoices):
        BADGES = "badges", _("Badges")
        SIGN_IN_SHEET = "sign_in_sheet", _("Sign-in sheet")

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    day = models.ForeignKey(
        EventDay,
        verbose_name=_("day"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    half = models.CharField(_("half-day"), max_length=2, choices=Half.choices, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    file = models.FileField(_("file"), upload_to=event_document_path, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr")
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
        verbose_name = _("prepared document")
        verbose_name_plural = _("prepared documents")
        ordering = ["event", "-requested_at", "-pk"]
        indexes = [models.Index(fields=["event", "kind", "day", "half", "-requested_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="badges", day__isnull=True, half="")
                | models.Q(kind="sign_in_sheet", day__isnull=False),
                name="event_document_day_for_sheets_only",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.event} ({self.get_state_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY
