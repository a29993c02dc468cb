"""Events: venues, programme (days → slots → sessions), tariffs, questions, registrations,
workshop choices and assignments."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terreau.directory.models import ActorCategory, OrganisationKind


class EventKind(models.TextChoices):
    REGIONAL_DAY = "regional_day", _("Regional day")
    NATIONAL_MEETINGS = "national_meetings", _("National meetings")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    EVENING_WORKSHOP = "evening_workshop", _("Evening workshop")
    TRAINING = "training", _("Training")
    CITIZENS_MEETING = "citizens_meeting", _("Citizens' meeting")
    WEBINAR = "webinar", _("Webinar")
    GROUP_MEETING = "group_meeting", _("Exchange-group meeting")
    POOLING_DAY = "pooling_day", _("Pooling day")


class Audience(models.TextChoices):
    OPEN = "open", _("Open to all")
    PROFESSIONALS = "professionals", _("Public-service professionals only")
    GROUP_MEMBERS = "group_members", _("Members of a group")
    INVITATION = "invitation", _("Invitation only")


class EventState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class SessionKind(models.TextChoices):
    WELCOME = "welcome", _("Welcome")
    OPENING = "opening", _("Opening")
    PLENARY = "plenary", _("Plenary")
    ROUND_TABLE = "round_table", _("Round table")
    TALK = "talk", _("Talk")
    EXCHANGE_WORKSHOP = "exchange_workshop", _("Exchange workshop")
    SPOTLIGHT = "spotlight", _("Spotlight")
    CODEVELOPMENT = "codevelopment", _("Co-development workshop")
    REPORT_BACK = "report_back", _("Report-back")
    BREAK = "break", _("Break")
    MEAL = "meal", _("Meal")
    EVENING = "evening", _("Evening")
    CLOSING = "closing", _("Closing")


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="venues",
    )
    access = models.TextField(_("access information"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["venue", "name"]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=EventState.choices, default=EventState.DRAFT
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    objectives = models.TextField(_("objectives"), blank=True, help_text=_("Markdown."))
    practical_info = models.TextField(_("practical information"), blank=True)
    themes = models.ManyToManyField("core.Theme", verbose_name=_("themes"), blank=True)
    organisers = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("organisers"),
        blank=True,
        related_name="organised_events",
    )
    partners = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("partners"),
        blank=True,
        related_name="partnered_events",
    )
    initiatives = models.ManyToManyField(
        "observatory.Initiative",
        verbose_name=_("initiatives presented"),
        blank=True,
        related_name="events",
        help_text=_("Initiatives of the observatory presented or discussed at the event."),
    )
    audience = models.CharField(
        _("audience"), max_length=15, choices=Audience.choices, default=Audience.OPEN
    )
    invitation_code = models.CharField(
        _("invitation code"),
        max_length=40,
        blank=True,
        help_text=_("Asked at registration when the event is by invitation only."),
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    online_url = models.URLField(_("online link"), blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    requires_approval = models.BooleanField(_("registrations need approval"), default=False)
    has_waiting_list = models.BooleanField(_("waiting list when full"), default=True)
    has_certificate = models.BooleanField(_("training certificate"), default=False)
    certificate_issuer = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("certificate issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pays_by_administrative_order = models.BooleanField(
        _("payment by administrative order"), default=False
    )
    payment_terms = models.TextField(_("payment terms"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})


class EventDay(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))

    class Meta:
        verbose_name = _("day")
        verbose_name_plural = _("days")
        ordering = ["event", "date"]
        constraints = [models.UniqueConstraint(fields=["event", "date"], name="unique_event_day")]

    def __str__(self) -> str:
        return f"{self.event} — {self.date}"


class Slot(models.Model):
    """A time slot of a day; several sessions in one slot run in parallel (a round)."""

    day = models.ForeignKey(
        EventDay, verbose_name=_("day"), on_delete=models.CASCADE, related_name="slots"
    )
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    round_number = models.PositiveSmallIntegerField(
        _("round"),
        null=True,
        blank=True,
        help_text=_("Set when participants choose one workshop of this slot (round 1, 2, 3…)."),
    )

    class Meta:
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        ordering = ["day", "starts_at"]

    def __str__(self) -> str:
        return f"{self.day.date} {self.starts_at:%H:%M} {self.title}".strip()

    @property
    def is_round(self) -> bool:
        return self.round_number is not None


class Session(models.Model):
    slot = models.ForeignKey(
        Slot, verbose_name=_("time slot"), on_delete=models.CASCADE, related_name="sessions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    brief = models.CharField(
        _("brief"), max_length=300, blank=True, help_text=_("E.g. “give recommendations”.")
    )
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.SET_NULL, null=True, blank=True
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["slot", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_choosable(self) -> bool:
        """Participants rank this session when it belongs to a round."""
        return self.slot.round_number is not None


class SessionSpeaker(models.Model):
    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")
        FACILITATOR = "facilitator", _("Facilitator")
        REPORTER = "reporter", _("Reporter")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="speakers"
    )
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="speaking",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.SPEAKER)
    title_that_day = models.CharField(_("title held that day"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["session", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


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


# On site and after: attendance per half-day, report-backs per workshop, the event's outputs.


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
