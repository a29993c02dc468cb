"""Calls for applications: kinds, calls, their forms and criteria, applications, reviews,
selection runs, groups formed from the selected, and the follow-up of aid and support."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def private_upload_path(instance, filename: str) -> str:
    """A path nobody can guess: applicants' files are served only through a checked view."""
    import uuid
    from pathlib import PurePath

    return f"calls/private/{uuid.uuid4().hex}/{PurePath(filename).name[-120:]}"


class Family(models.TextChoices):
    """What a kind of call does once applicants are selected (the behaviour; kinds are data)."""

    EXCHANGE_GROUP = "exchange_group", _("Exchange-group membership")
    FINANCIAL_AID = "financial_aid", _("Financial aid")
    SUPPORT = "support", _("Methodological support")
    PANEL = "panel", _("Citizens' panel")


class CallKind(models.Model):
    """A kind of call, as data: staff add kinds; `family` says which follow-up it gets."""

    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    family = models.CharField(_("family"), max_length=20, choices=Family.choices)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("kind of call")
        verbose_name_plural = _("kinds of call")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "fr").startswith("en"):
            return self.name_en
        return self.name


class CallPhase(models.TextChoices):
    """Where a call stands, derived from its publication, its dates and its results."""

    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Opens soon")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed, under review")
    DECIDED = "decided", _("Results sent")


class Call(models.Model):
    kind = models.ForeignKey(
        CallKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="calls"
    )
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    summary = models.TextField(_("summary"), max_length=600, blank=True)
    body = models.TextField(_("text of the call"), blank=True, help_text=_("Markdown."))
    selection_text = models.TextField(
        _("how applications are selected"),
        blank=True,
        help_text=_("Markdown. Quoted in the outcome e-mail as the call's stated reasons."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(
        _("deadline"), help_text=_("Applications are refused after this time (Paris time).")
    )
    notification_on = models.DateField(_("notification date"), null=True, blank=True)
    notification_label = models.CharField(
        _("notification date as announced"),
        max_length=120,
        blank=True,
        help_text=_("E.g. “mid-April”; shown instead of the exact date."),
    )
    first_meeting_at = models.DateTimeField(_("first meeting"), null=True, blank=True)
    first_meeting_place = models.CharField(
        _("place of the first meeting"), max_length=255, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=255, blank=True)
    contact_title = models.CharField(_("contact's function"), max_length=255, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    postal_address = models.TextField(
        _("postal address for paper applications"), blank=True, max_length=500
    )
    places = models.PositiveIntegerField(_("number of places"), null=True, blank=True)
    zones = models.ManyToManyField(
        "territories.Zone", verbose_name=_("zones"), blank=True, related_name="calls"
    )
    budget_envelope = models.DecimalField(
        _("budget envelope (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    grant_ceiling = models.DecimalField(
        _("ceiling per application (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    is_review_anonymised = models.BooleanField(
        _("anonymised review"),
        default=False,
        help_text=_("Reviewers do not see names, organisations or identifying answers."),
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=2
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewers"), blank=True, related_name="+"
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder (days before the deadline)"), default=7
    )
    reminders_sent_at = models.DateTimeField(_("reminders sent"), null=True, blank=True)
    results_sent_at = models.DateTimeField(_("results sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-closes_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="call_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:call_detail", kwargs={"slug": self.slug})

    def phase_at(self, moment) -> str:
        if not self.is_published:
            return CallPhase.DRAFT
        if self.results_sent_at:
            return CallPhase.DECIDED
        if moment < self.opens_at:
            return CallPhase.UPCOMING
        if moment <= self.closes_at:
            return CallPhase.OPEN
        return CallPhase.CLOSED

    @property
    def phase(self) -> str:
        return self.phase_at(timezone.now())

    @property
    def is_open(self) -> bool:
        return self.phase == CallPhase.OPEN

    def get_phase_display(self) -> str:
        return CallPhase(self.phase).label


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    CHOICE = "choice", _("Choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    NUMBER = "number", _("Number")
    AMOUNT = "amount", _("Amount in euros")
    DATE = "date", _("Date")
    FILE = "file", _("File upload")
    ORGANISATION = "organisation", _("Organisation (from the directory)")


#: Answers that make categories for the selection quotas.
CATEGORY_KINDS = {QuestionKind.CHOICE, QuestionKind.YES_NO}


class Question(models.Model):
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    label = models.CharField(_("question"), max_length=500)
    help_text = models.TextField(_("help text"), blank=True, max_length=2000)
    choices = models.TextField(
        _("choices"), blank=True, max_length=5000, help_text=_("One per line (choice questions).")
    )
    is_required = models.BooleanField(_("required"), default=False)
    is_identifying = models.BooleanField(
        _("identifying"),
        default=False,
        help_text=_("Hidden from reviewers when the review is anonymised."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def feature_key(self) -> str:
        return f"q{self.pk}"


class Criterion(models.Model):
    """A selection criterion that reviewers score with named values (e.g. 0 "weak" … 3)."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    family = models.CharField(
        _("family"), max_length=120, blank=True, help_text=_("E.g. “The structure”.")
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    is_required = models.BooleanField(_("required"), default=True)
    score_values = models.JSONField(
        _("score values"),
        default=list,
        help_text=_("Pairs [value, name], e.g. [[0, “insufficient”], [3, “excellent”]]."),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=0), name="criterion_weight_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def value_choices(self) -> list[tuple[int, str]]:
        return [(int(value), str(name)) for value, name in self.score_values]

    @property
    def max_value(self) -> int:
        return max((value for value, _name in self.value_choices), default=0)


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", pgettext_lazy("application state", "Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    SELECTED = "selected", _("Selected")
    WAITING_LIST = "waiting_list", _("Waiting list")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: state → the states it may move to (one place for the state machine).
TRANSITIONS = {
    ApplicationState.DRAFT: {ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN},
    ApplicationState.SUBMITTED: {
        ApplicationState.UNDER_REVIEW,
        ApplicationState.DRAFT,  # reopened by staff
        ApplicationState.WITHDRAWN,
        ApplicationState.SELECTED,
        ApplicationState.WAITING_LIST,
        ApplicationState.NOT_SELECTED,
    },
    ApplicationState.UNDER_REVIEW: {
        ApplicationState.DRAFT,
        ApplicationState.WITHDRAWN,
        ApplicationState.SELECTED,
        ApplicationState.WAITING_LIST,
        ApplicationState.NOT_SELECTED,
    },
    ApplicationState.WAITING_LIST: {ApplicationState.SELECTED, ApplicationState.WITHDRAWN},
    ApplicationState.SELECTED: {ApplicationState.WITHDRAWN},
    ApplicationState.NOT_SELECTED: set(),
    ApplicationState.WITHDRAWN: set(),
}
IN_COMPETITION = (ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW)


class Application(models.Model):
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant's account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call_applications",
    )
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call_applications",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call_applications",
    )
    zone = models.ForeignKey(
        "territories.Zone",
        verbose_name=_("zone"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    applicant_name = models.CharField(_("name"), max_length=255)
    applicant_email = models.EmailField(_("e-mail"))
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    requested_amount = models.DecimalField(
        _("amount requested (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    is_paper = models.BooleanField(_("received on paper"), default=False)
    extended_until = models.DateTimeField(
        _("reopened until"),
        null=True,
        blank=True,
        help_text=_("Set when staff reopen an application: it may be submitted until then."),
    )
    submitted_at = models.DateTimeField(
        pgettext_lazy("application", "submitted"), null=True, blank=True
    )
    decided_at = models.DateTimeField(
        pgettext_lazy("application", "decided"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "applicant"],
                condition=models.Q(applicant__isnull=False),
                name="application_one_per_applicant",
            )
        ]
        indexes = [models.Index(fields=["call", "state"])]

    def __str__(self) -> str:
        return f"{self.applicant_name} — {self.call}"

    def get_absolute_url(self) -> str:
        return reverse("calls:application_detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"C{self.call_id}-{self.pk:04d}"

    def accepts_changes_at(self, moment) -> bool:
        """A draft may be edited and submitted while the call is open, or until its reopening
        ends."""
        if self.state != ApplicationState.DRAFT or not self.call.is_published:
            return False
        if self.extended_until and moment <= self.extended_until:
            return True
        return self.call.opens_at <= moment <= self.call.closes_at


class Answer(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    # str, list of str, bool, number as str, ISO date, or organisation id, by question kind.
    value = models.JSONField(_("value"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=private_upload_path, blank=True, max_length=255)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class ApplicationLog(models.Model):
    """What happened to an application, by whom and why (reopening needs a reason)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="log"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("application log entry")
        verbose_name_plural = _("application log")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"


class ReviewPhase(models.Model):
    """A stage of the review (as pretalx's): one active at a time gates what reviewers may do."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="review_phases"
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=False)
    may_review = models.BooleanField(_("reviewers may score"), default=True)
    may_see_other_reviews = models.BooleanField(
        _("reviewers see each other's scores"), default=False
    )

    class Meta:
        verbose_name = _("review phase")
        verbose_name_plural = _("review phases")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call"], condition=models.Q(is_active=True), name="one_active_review_phase"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_current_at(self, moment) -> bool:
        if not self.is_active:
            return False
        if self.starts_at and moment < self.starts_at:
            return False
        return not (self.ends_at and moment > self.ends_at)


class ReviewerAssignment(models.Model):
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="reviewer_assignments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="call_review_assignments",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="reviewer_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} → {self.application_id}"


class ConflictDeclaration(models.Model):
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="call_conflicts",
    )
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} ≠ {self.application_id}"


class Review(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="call_reviews",
    )
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    total = models.FloatField(_("weighted score"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} → {self.application_id}: {self.total}"


class ReviewScore(models.Model):
    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    value = models.IntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class SelectionMethod(models.TextChoices):
    MERIT = "merit", _("By merit (highest total score)")
    BUDGET = "budget", _("Within the budget envelope")
    LEXIMIN = "leximin", _("Fair lottery (leximin)")
    MAXIMIN = "maximin", _("Fair lottery (maximin)")
    HYBRID = "hybrid", _("Hybrid: some seats by merit, the rest by lottery")


class SelectionRun(models.Model):
    """One selection computed by staff; applicants are told only once it is confirmed."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="selection_runs"
    )
    method = models.CharField(
        pgettext_lazy("selection", "method"), max_length=20, choices=SelectionMethod.choices
    )
    seats = models.PositiveIntegerField(_("number to select"))
    seed = models.BigIntegerField(_("random seed"), null=True, blank=True)
    quotas = models.JSONField(_("quotas"), default=list)
    options = models.JSONField(_("options"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("selection run")
        verbose_name_plural = _("selection runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.call} — {self.get_method_display()}"

    def get_absolute_url(self) -> str:
        return reverse("calls:draw_verify", kwargs={"pk": self.pk})

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class CallGroup(models.Model):
    """A group to form from the selected (e.g. the Est and Ouest exchange groups)."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=120)
    zone = models.ForeignKey(
        "territories.Zone",
        verbose_name=_("zone"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    min_size = models.PositiveSmallIntegerField(_("minimum size"), default=1)
    max_size = models.PositiveSmallIntegerField(_("maximum size"), default=15)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_size__gte=models.F("min_size")), name="group_sizes_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class GroupAssignment(models.Model):
    group = models.ForeignKey(
        CallGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="members"
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="group_assignment",
    )
    is_manual = models.BooleanField(_("moved by hand"), default=False)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self) -> str:
        return f"{self.application_id} → {self.group_id}"


class AidState(models.TextChoices):
    GRANTED = "granted", _("Granted")
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
    PAYING = "paying", _("Being paid")
    REPORT_DUE = "report_due", _("Final report due")
    CLOSED = "closed", _("Closed")


class AidFollowUp(models.Model):
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="aid_follow_up",
    )
    amount_granted = models.DecimalField(_("amount granted (€)"), max_digits=12, decimal_places=2)
    state = models.CharField(
        _("state"), max_length=20, choices=AidState.choices, default=AidState.GRANTED
    )
    agreement = models.FileField(
        _("agreement"), upload_to=private_upload_path, blank=True, max_length=255
    )
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    final_report_due_on = models.DateField(_("final report due"), null=True, blank=True)
    final_report_received_on = models.DateField(_("final report received"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("aid follow-up")
        verbose_name_plural = _("aid follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_granted__gte=0), name="aid_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return str(self.application)


class Instalment(models.Model):
    follow_up = models.ForeignKey(
        AidFollowUp, verbose_name=_("aid"), on_delete=models.CASCADE, related_name="instalments"
    )
    amount = models.DecimalField(_("amount (€)"), max_digits=12, decimal_places=2)
    due_on = models.DateField(_("due"))
    paid_on = models.DateField(_("paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.amount} € ({self.due_on})"


class SupportState(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class SupportFollowUp(models.Model):
    """A support request's follow-up: an adviser, a log of meetings and advice, an outcome."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="support_follow_up",
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adviser"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=SupportState.choices, default=SupportState.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True, max_length=5000)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("support follow-up")
        verbose_name_plural = _("support follow-ups")

    def __str__(self) -> str:
        return str(self.application)


class SupportEntryKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    ADVICE = "advice", _("Advice given")
    TOOL = "tool", _("Tool suggested")
    NOTE = "note", _("Note")


class SupportLogEntry(models.Model):
    follow_up = models.ForeignKey(
        SupportFollowUp,
        verbose_name=_("follow-up"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=SupportEntryKind.choices)
    text = models.TextField(_("text"), max_length=5000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up entry")
        verbose_name_plural = _("follow-up entries")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.kind}"
