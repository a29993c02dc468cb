"""Registration: tariffs, options and questions of an event's form, registrations, their
tallies and answers."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terreau.directory.models import ActorCategory, OrganisationKind

from .programme import Event, EventDay


class Tariff(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="tariffs"
    )
    label = models.CharField(_("label"), max_length=200)
    amount = models.DecimalField(_("amount (€)"), max_digits=8, decimal_places=2, default=0)
    includes = models.CharField(
        _("what it covers"), max_length=300, blank=True, help_text=_("E.g. meals and the evening.")
    )

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["event", "amount"]

    def __str__(self) -> str:
        return self.label


class EventOption(models.Model):
    """A meal, the evening or another option that registrants tick."""

    class Kind(models.TextChoices):
        MEAL = "meal", _("Meal")
        EVENING = "evening", _("Evening")
        OTHER = "other", _("Other")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="options"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=200)
    day = models.ForeignKey(
        EventDay, verbose_name=_("day"), on_delete=models.CASCADE, null=True, blank=True
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["event", "day", "pk"]

    def __str__(self) -> str:
        return self.label


class Question(models.Model):
    """A question of the event's own registration form."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("Choice")
        MULTIPLE = "multiple", _("Multiple choice")
        YES_NO = "yes_no", _("Yes / no")

    class Purpose(models.TextChoices):
        REGISTRATION = "registration", _("Registration form")
        SURVEY = "survey", _("Pre-event survey")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="questions"
    )
    # The same question and answer models serve the registration form and the survey that
    # registrants answer before the event through their personal link.
    purpose = models.CharField(
        _("asked in"), max_length=12, choices=Purpose.choices, default=Purpose.REGISTRATION
    )
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One per line."))
    is_required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["event", "purpose", "position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", _("Not recorded")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PAID = "paid", _("Paid")
    EXEMPT = "exempt", _("Exempt")


class Registration(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    employer = models.CharField(_("employer"), max_length=255, blank=True)
    employer_kind = models.CharField(
        _("employer's kind"),
        max_length=20,
        blank=True,
        choices=OrganisationKind.choices,
    )
    job_title = models.CharField(_("function"), max_length=255, blank=True)
    actor_category = models.CharField(
        _("actor category"), max_length=20, choices=ActorCategory.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, db_index=True
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    tariff = models.ForeignKey(
        Tariff, verbose_name=_("tariff"), on_delete=models.PROTECT, null=True, blank=True
    )
    options = models.ManyToManyField(EventOption, verbose_name=_("options"), blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    consent = models.BooleanField(_("consent"), default=False)
    is_listed = models.BooleanField(_("on the public list of participants"), default=False)
    # Payment by administrative order: invoice first, pay later.
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    order_reference = models.CharField(_("order reference"), max_length=80, blank=True)
    payment_status = models.CharField(
        _("payment"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    token = models.CharField(_("access token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "pk"]
        indexes = [
            models.Index(fields=["event", "status", "created_at"]),
            # The staff table's pages in order (its counts come from RegistrationTally).
            models.Index(fields=["event", "created_at", "id"], name="registration_order_idx"),
        ]
        constraints = [
            # One live registration per e-mail and event (a cancelled one may be renewed).
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(status="cancelled"),
                name="unique_live_registration_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} — {self.event}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class RegistrationTally(models.Model):
    """How many registrations of an event share a status, attendance, payment status and actor
    category.

    The staff table shows these counts on every page; reading a few tally rows replaces counting
    the event's registrations (100,000 rows take 35–80 ms even from an index). Database triggers
    on the registration table keep the tallies exact in the same transaction as every write —
    services, the admin, `bulk_create`, `QuerySet.update`, deletions alike — so nothing in Python
    maintains them and they cannot drift: see `terreau.events.registration_index`.
    """

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10)
    attendance = models.CharField(_("attendance"), max_length=10)
    payment_status = models.CharField(_("payment"), max_length=10)
    actor_category = models.CharField(_("actor category"), max_length=20)
    count = models.IntegerField(_("registrations"), default=0)

    class Meta:
        verbose_name = _("registration tally")
        verbose_name_plural = _("registration tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "status", "attendance", "payment_status", "actor_category"],
                name="unique_registration_tally",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.event_id} {self.status}/{self.attendance}/{self.payment_status}: {self.count}"
        )


class Answer(models.Model):
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    value = models.JSONField(_("answer"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="unique_answer")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"

    @staticmethod
    def text(value, *, separator: str = ", ") -> str:
        """An answer's value as text (the staff pages, the CSV): yes/no spelt out, the choices
        of a multiple-choice question joined by `separator`."""
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        if isinstance(value, list):
            return separator.join(str(v) for v in value)
        return "" if value is None else str(value)


class RegistrationAction(models.Model):
    """What staff did to a registration and when (approval, cancellation, payment…), shown to
    staff on the registration's page."""

    class Kind(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WAITLISTED = "waitlisted", _("Moved to the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration action", "Cancelled")
        PAYMENT = "payment", _("Payment details changed")
        ATTENDED = "attended", _("Marked as attended")
        NO_SHOW = "no_show", _("Marked as no-show")

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    kind = models.CharField(_("action"), max_length=12, choices=Kind.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration action")
        verbose_name_plural = _("registration actions")
        ordering = ["registration", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
