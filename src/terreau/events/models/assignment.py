"""Workshop assignment: participants' ranked choices, where each one sits, and the runs of the
assignment with their reports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .programme import Event, Session, Slot
from .registration import Registration


class WorkshopChoice(models.Model):
    """A registrant's ranked wish for a session of a round (1 = first choice)."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="choices",
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="choices"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("workshop choice")
        verbose_name_plural = _("workshop choices")
        ordering = ["registration", "session__slot", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="unique_choice"),
        ]

    def __str__(self) -> str:
        return f"{self.registration} → {self.session} ({self.rank})"


class WorkshopAssignment(models.Model):
    """Where a participant sits in a round: chosen by the solver, by hand, or from a waitlist."""

    class Source(models.TextChoices):
        SOLVER = "solver", _("Optimal assignment")
        FIRST_COME = "first_come", _("First come, first served")
        MANUAL = "manual", _("By hand")
        WAITLIST = "waitlist", _("From the workshop's waiting list")

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="assignments"
    )
    slot = models.ForeignKey(
        Slot, verbose_name=_("round"), on_delete=models.CASCADE, related_name="assignments"
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    is_pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Kept as is when the assignment runs again.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("workshop assignment")
        verbose_name_plural = _("workshop assignments")
        constraints = [
            models.UniqueConstraint(fields=["registration", "slot"], name="one_workshop_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.registration} → {self.session}"


class AssignmentRun(models.Model):
    """One run of the workshop assignment for an event, with the report that explains it."""

    class Method(models.TextChoices):
        OPTIMAL = "optimal", _("Optimal assignment")
        FIRST_COME = "first_come", _("First come, first served")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="assignment_runs"
    )
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    spread_categories = models.BooleanField(_("spread actor categories"), default=False)
    status = models.CharField(_("status"), max_length=12)
    report = models.JSONField(_("report"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")
        ordering = ["event", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event} — {self.get_method_display()} ({self.created_at:%Y-%m-%d %H:%M})"
