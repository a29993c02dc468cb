"""The programme: kinds, venues and rooms, the event, its days → slots → sessions and their
speakers."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
    initiatives = models.ManyToManyField(
        "observatory.Initiative",
        verbose_name=_("initiatives presented"),
        blank=True,
        related_name="sessions",
        help_text=_("Initiatives of the observatory this session presents or discusses."),
    )

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
