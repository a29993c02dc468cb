"""Exchange groups (groupes d'échanges de pratiques): members and facilitators, monthly meetings
(each an event of the events module), attendance, excuses, minutes with revisions, productions
and citizens' meetings."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terreau.core.uploads import validate_new_upload


class ExchangeGroup(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    zone = models.ForeignKey(
        "territories.Zone",
        verbose_name=_("zone"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_groups",
    )
    starts_on = models.DateField(_("period start"))
    ends_on = models.DateField(_("period end"))
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    themes = models.ManyToManyField(
        "core.Theme", verbose_name=_("themes planned"), blank=True, related_name="+"
    )
    themes_planned = models.TextField(
        _("themes planned for the year"), blank=True, help_text=_("One per line.")
    )
    charter = models.TextField(
        _("charter"),
        blank=True,
        help_text=_("Markdown. Each member accepts it on joining."),
    )
    shows_members = models.BooleanField(_("members' names on the public page"), default=True)
    shows_calendar = models.BooleanField(
        _("meeting dates and places on the public page"), default=True
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("as an author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The group as it signs its productions in the library."),
    )
    call = models.ForeignKey(
        "calls.Call",
        verbose_name=_("call for applications"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exchange_groups",
        help_text=_("The call whose selection the members came from (how one joins the group)."),
    )
    call_group = models.OneToOneField(
        "calls.CallGroup",
        verbose_name=_("group formed by the call"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exchange_group",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange group")
        verbose_name_plural = _("exchange groups")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="group_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:detail", kwargs={"slug": self.slug})

    @property
    def themes_planned_list(self) -> list[str]:
        return [line.strip() for line in self.themes_planned.splitlines() if line.strip()]


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    FACILITATOR = "facilitator", _("Facilitator")


class GroupMembership(models.Model):
    group = models.ForeignKey(
        ExchangeGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="group_memberships",
    )
    role = models.CharField(
        _("role"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)
    charter_accepted_at = models.DateTimeField(_("charter accepted"), null=True, blank=True)
    absence_alert_at = models.DateTimeField(
        _("absence alert"),
        null=True,
        blank=True,
        help_text=_("When staff and the facilitator were told of two unexcused absences."),
    )

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["group", "role", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="one_membership_per_group"),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="group_membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.group} ({self.get_role_display()})"

    @property
    def is_facilitator(self) -> bool:
        return self.role == MemberRole.FACILITATOR


class GroupMeeting(models.Model):
    """A monthly meeting: an event of the events module (kind "exchange-group meeting")."""

    group = models.ForeignKey(
        ExchangeGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="meetings"
    )
    event = models.OneToOneField(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="group_meeting",
    )
    number = models.PositiveSmallIntegerField(_("number in the year"))
    themes_worked = models.TextField(_("themes worked"), blank=True, help_text=_("One per line."))

    class Meta:
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")
        ordering = ["group", "number"]

    def __str__(self) -> str:
        return f"{self.group} — {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("groups:meeting", kwargs={"slug": self.group.slug, "pk": self.pk})

    @property
    def themes_worked_list(self) -> list[str]:
        return [line.strip() for line in self.themes_worked.splitlines() if line.strip()]


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class AttendanceSource(models.TextChoices):
    CHECK_IN = "check_in", _("Check-in")
    MANUAL = "manual", _("Entered after the meeting")


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(
        GroupMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    membership = models.ForeignKey(
        GroupMembership,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    source = models.CharField(_("source"), max_length=10, choices=AttendanceSource.choices)
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="one_attendance_per_member_and_meeting"
            )
        ]
        # The overview counts attendance per group and status: with the status in the index,
        # the database reads the index alone (a sixth less time than reaching each row).
        indexes = [models.Index(fields=["meeting", "status"], name="groups_attendance_status")]

    def __str__(self) -> str:
        return f"{self.membership.person} — {self.meeting}: {self.get_status_display()}"


class Excuse(models.Model):
    """A member tells the group beforehand that they cannot come."""

    meeting = models.ForeignKey(
        GroupMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="excuses"
    )
    membership = models.ForeignKey(
        GroupMembership, verbose_name=_("member"), on_delete=models.CASCADE, related_name="excuses"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("excuse")
        verbose_name_plural = _("excuses")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="one_excuse_per_member_and_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership.person} — {self.meeting}"


class Minutes(models.Model):
    """The minutes of a meeting, written by its facilitator; every change leaves a revision."""

    meeting = models.OneToOneField(
        GroupMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes"
    )
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    initiatives = models.ManyToManyField(
        "observatory.Initiative",
        verbose_name=_("experiences presented"),
        blank=True,
        related_name="group_minutes",
    )
    is_published = models.BooleanField(_("shared with the group"), default=False)
    published_at = models.DateTimeField(_("shared"), null=True, blank=True)
    is_public = models.BooleanField(_("published on the group's public page"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.meeting)


class MinutesRevision(models.Model):
    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("number"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    data = models.JSONField(_("content"))

    class Meta:
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")
        ordering = ["minutes", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="unique_minutes_revision")
        ]

    def __str__(self) -> str:
        return f"{self.minutes} #{self.number}"


def group_file_path(instance, filename: str) -> str:
    """Files of a group's space get an unguessable name that keeps the extension."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"groups/{secrets.token_hex(12)}.{suffix}"


class MinutesAttachment(models.Model):
    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to=group_file_path, validators=[validate_new_upload])
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("minutes attachment")
        verbose_name_plural = _("minutes attachments")
        ordering = ["minutes", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ProductionKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    SYNTHESIS = "synthesis", _("Synthesis")
    FORUM_CONTRIBUTION = "forum_contribution", _("Contribution to the regional forum")


class Production(models.Model):
    """Something the group makes: drafted in its space, then published to the library."""

    group = models.ForeignKey(
        ExchangeGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="productions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProductionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    resource = models.OneToOneField(
        "library.Resource",
        verbose_name=_("in the library"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_production",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("production")
        verbose_name_plural = _("productions")
        ordering = ["group", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.resource_id is not None


class CitizensMeeting(models.Model):
    """A public "rencontre citoyenne" of the group: an open event of the events module."""

    group = models.ForeignKey(
        ExchangeGroup,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="citizens_meetings",
    )
    event = models.OneToOneField(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="group_citizens_meeting",
    )

    class Meta:
        verbose_name = _("citizens' meeting")
        verbose_name_plural = _("citizens' meetings")

    def __str__(self) -> str:
        return str(self.event)
