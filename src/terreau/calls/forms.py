"""Forms of the calls app: the staff's call editor and its parts, the application form built
from a call's questions, the review form built from its criteria, and the selection form."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms
from terreau.core.dates import date_format
from terreau.directory.models import Organisation, OrganisationKind
from terreau.territories.models import Zone

from .models import (
    AidFollowUp,
    Call,
    CallGroup,
    Criterion,
    Question,
    QuestionKind,
    ReviewPhase,
    SelectionMethod,
    SupportEntryKind,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CleanTextMixin:
    """NUL characters cannot be stored by PostgreSQL: they are removed from every text input."""

    def full_clean(self):
        if self.is_bound and hasattr(self.data, "copy"):
            data = self.data.copy()
            for key in list(data.keys()):
                values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
                cleaned = [v.replace("\x00", "") if isinstance(v, str) else v for v in values]
                if hasattr(data, "setlist"):
                    data.setlist(key, cleaned)
                else:
                    data[key] = cleaned[0]
            self.data = data
        super().full_clean()


class CallForm(CleanTextMixin, core_forms.ModelForm):
    class Meta:
        model = Call
        fields = [
            "kind",
            "title",
            "summary",
            "body",
            "selection_text",
            "opens_at",
            "closes_at",
            "notification_on",
            "notification_label",
            "first_meeting_at",
            "first_meeting_place",
            "contact_name",
            "contact_title",
            "contact_email",
            "contact_phone",
            "postal_address",
            "places",
            "zones",
            "budget_envelope",
            "grant_ceiling",
            "is_review_anonymised",
            "reviewers_per_application",
            "reviewers",
            "reminder_days",
        ]
        widgets = {
            "opens_at": DATETIME,
            "closes_at": DATETIME,
            "first_meeting_at": DATETIME,
            "notification_on": DATE,
            "zones": forms.CheckboxSelectMultiple,
            "reviewers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("last_name", "email")
        )
        self.fields["zones"].queryset = Zone.objects.all()

    def clean(self):
        """The service's date and amount checks, on the fields they concern (run before the
        model's constraint, which would only say "constraint violated")."""
        from django.core.exceptions import ValidationError

        from .services import check_call

        cleaned = super().clean()
        names = ["opens_at", "closes_at", "notification_on", "first_meeting_at"]
        names += ["budget_envelope", "grant_ceiling"]
        probe = Call(**{name: cleaned.get(name) for name in names})
        try:
            check_call(probe)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name, messages)
        return cleaned


class QuestionForm(CleanTextMixin, core_forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "label",
            "kind",
            "help_text",
            "choices",
            "is_required",
            "is_identifying",
            "position",
        ]


class CriterionForm(CleanTextMixin, core_forms.ModelForm):
    score_text = forms.CharField(
        label=_("Score values"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, “value = name”, e.g. “0 = insufficient”, “3 = excellent”."),
    )

    class Meta:
        model = Criterion
        fields = ["family", "name", "description", "weight", "is_required", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["score_text"] = "\n".join(
                f"{value} = {name}" for value, name in self.instance.score_values
            )

    def clean_score_text(self):
        from django.core.exceptions import ValidationError

        from .services import parse_score_values

        try:
            return parse_score_values(self.cleaned_data["score_text"])
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["score_values"]) from None


class CallGroupForm(CleanTextMixin, core_forms.ModelForm):
    class Meta:
        model = CallGroup
        fields = ["name", "zone", "min_size", "max_size", "position"]


class ReviewPhaseForm(CleanTextMixin, core_forms.ModelForm):
    class Meta:
        model = ReviewPhase
        fields = ["name", "starts_at", "ends_at", "may_review", "may_see_other_reviews", "position"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}


def _question_field(question: Question) -> forms.Field:
    common = {"label": question.label, "help_text": question.help_text, "required": False}
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return forms.CharField(max_length=500, **common)
    if kind == QuestionKind.LONG_TEXT:
        return forms.CharField(
            max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}), **common
        )
    if kind == QuestionKind.CHOICE:
        return forms.ChoiceField(
            choices=[("", "—")] + [(c, c) for c in question.choice_list], **common
        )
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choice_list],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind == QuestionKind.YES_NO:
        return forms.ChoiceField(
            choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
            widget=forms.RadioSelect,
            **common,
        )
    if kind == QuestionKind.NUMBER:
        return forms.DecimalField(max_digits=14, decimal_places=4, **common)
    if kind == QuestionKind.AMOUNT:
        return forms.DecimalField(max_digits=12, decimal_places=2, min_value=0, **common)
    if kind == QuestionKind.DATE:
        return forms.DateField(widget=DATE, **common)
    if kind == QuestionKind.FILE:
        return forms.FileField(**common)
    return forms.ModelChoiceField(
        queryset=Organisation.objects.filter(is_published=True).only("pk", "name"),
        **common,
    )


class ApplicationForm(CleanTextMixin, core_forms.Form):
    """The call's questions, all optional while saving a draft (required ones are checked on
    submit by the service, which names the missing answers)."""

    def __init__(self, *args, call: Call, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.questions = list(call.questions.all())
        zones = list(call.zones.all())
        if zones:
            self.fields["zone"] = forms.ModelChoiceField(
                queryset=call.zones.all(), label=_("Your zone"), required=False
            )
        initial = {}
        if application is not None:
            answers = {a.question_id: a for a in application.answers.all()}
            if application.zone_id:
                initial["zone"] = application.zone_id
        else:
            answers = {}
        for question in self.questions:
            key = question.feature_key
            self.fields[key] = _question_field(question)
            if question.is_required:
                self.fields[key].label_suffix = " *"
            answer = answers.get(question.pk)
            if answer is not None and answer.value is not None:
                if question.kind == QuestionKind.YES_NO:
                    initial[key] = "yes" if answer.value else "no"
                elif question.kind != QuestionKind.FILE:
                    initial[key] = answer.value
            if question.kind == QuestionKind.FILE and answer is not None and answer.file:
                self.fields[key].help_text = _(
                    "Already attached: %(name)s. Send another file to replace it."
                ) % {"name": answer.value}
            if question.kind == QuestionKind.ORGANISATION:
                self.fields[f"{key}_new_name"] = forms.CharField(
                    label=_("Or add your organisation: its name"), max_length=255, required=False
                )
                self.fields[f"{key}_new_kind"] = forms.ChoiceField(
                    label=_("Its kind"),
                    choices=[("", "—"), *OrganisationKind.choices],
                    required=False,
                )
        for key, value in initial.items():
            self.initial.setdefault(key, value)

    def answers(self) -> tuple[dict, dict]:
        """(answers, files) for `services.application_save`."""
        answers, files = {}, {}
        for question in self.questions:
            key = question.feature_key
            value = self.cleaned_data.get(key)
            if question.kind == QuestionKind.FILE:
                if value:
                    files[question.pk] = value
                continue
            if question.kind == QuestionKind.ORGANISATION and not value:
                new_name = self.cleaned_data.get(f"{key}_new_name")
                if new_name:
                    value = {"name": new_name, "kind": self.cleaned_data.get(f"{key}_new_kind")}
            if (
                key in self.data
                or question.kind in {QuestionKind.MULTIPLE_CHOICE, QuestionKind.ORGANISATION}
                or value
            ):
                answers[question.pk] = value
        return answers, files


class PaperApplicationForm(ApplicationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "name": forms.CharField(label=_("Applicant's name"), max_length=255),
            "email": forms.EmailField(label=_("Applicant's e-mail")),
            **self.fields,
        }


class ReviewForm(CleanTextMixin, core_forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, call: Call, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(call.criteria.all())
        fields = {}
        current = {s.criterion_id: s.value for s in review.scores.all()} if review else {}
        for criterion in self.criteria:
            label = f"{criterion.family} — {criterion.name}" if criterion.family else criterion.name
            fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=label,
                help_text=criterion.description,
                choices=[("", "—")] + [(v, f"{v} — {n}") for v, n in criterion.value_choices],
                coerce=int,
                empty_value=None,
                required=False,
                initial=current.get(criterion.pk),
            )
        self.fields = fields | dict(self.fields)
        if review is not None:
            self.fields["comment"].initial = review.comment

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"c{c.pk}") for c in self.criteria}


class ConflictForm(CleanTextMixin, core_forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(CleanTextMixin, core_forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(ReasonForm):
    until = forms.DateTimeField(
        label=_("May be submitted until"),
        required=False,
        widget=DATETIME,
        help_text=_("Needed after the deadline; three days from now when left empty."),
    )


class WithdrawForm(CleanTextMixin, core_forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewerAssignForm(core_forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=get_user_model().objects.none())

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = call.reviewers.all()


class SelectionForm(core_forms.Form):
    """Method, seats, seed, and per category either min/max per value or proportional ± n."""

    method = forms.ChoiceField(label=_("Method"), choices=SelectionMethod.choices)
    seats = forms.IntegerField(label=_("Number to select"), min_value=1, max_value=10_000)
    seed = forms.IntegerField(
        label=_("Random seed"),
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text=_("Left empty, a seed is drawn and published with the result."),
    )
    merit_seats = forms.IntegerField(
        label=_("Seats by merit (hybrid)"), required=False, min_value=0, max_value=10_000
    )
    grant_share = forms.DecimalField(
        label=_("Share of each grant (budget)"),
        required=False,
        min_value=0.01,
        max_value=1,
        decimal_places=2,
        help_text=_("E.g. 0.8 to fund 80 % of each request."),
    )

    MODES = [
        ("", _("not used")),
        ("bounds", _("minimum and maximum")),
        ("proportional", _("proportional to the pool ± n")),
    ]

    def __init__(self, *args, catalogue: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        for index, entry in enumerate(catalogue):
            self.fields[f"mode_{index}"] = forms.ChoiceField(
                label=_("Quota on “%(label)s”") % {"label": entry["label"]},
                choices=self.MODES,
                required=False,
            )
            self.fields[f"tolerance_{index}"] = forms.IntegerField(
                label=_("± n"), required=False, min_value=0, max_value=1000, initial=1
            )
            for number, value in enumerate(entry["values"]):
                for bound, text in (
                    ("min", _("Minimum, %(value)s")),
                    ("max", _("Maximum, %(value)s")),
                ):
                    label = text % {"value": f"{entry['label']} : {value['label']}"}
                    self.fields[f"{bound}_{index}_{number}"] = forms.IntegerField(
                        label=label,
                        required=False,
                        min_value=0,
                        max_value=10_000,
                        # shown in a table whose headers name the columns; read out in full
                        widget=forms.NumberInput(attrs={"aria-label": label}),
                    )

    def categories(self):
        """For the template: each category with its mode, tolerance and per-value fields."""
        for index, entry in enumerate(self.catalogue):
            yield {
                "entry": entry,
                "mode": self[f"mode_{index}"],
                "tolerance": self[f"tolerance_{index}"],
                "values": [
                    (value, self[f"min_{index}_{number}"], self[f"max_{index}_{number}"])
                    for number, value in enumerate(entry["values"])
                ],
            }

    def clean(self):
        cleaned = super().clean()
        rows = []
        for index, entry in enumerate(self.catalogue):
            mode = cleaned.get(f"mode_{index}")
            if mode == "proportional":
                tolerance = cleaned.get(f"tolerance_{index}") or 0
                rows += [
                    {"feature": entry["key"], "value": v["value"], "tolerance": tolerance}
                    for v in entry["values"]
                ]
            elif mode == "bounds":
                for number, value in enumerate(entry["values"]):
                    low = cleaned.get(f"min_{index}_{number}") or 0
                    high = cleaned.get(f"max_{index}_{number}")
                    if high is None:
                        high = cleaned.get("seats") or 10_000
                    if high < low:
                        self.add_error(
                            f"max_{index}_{number}", _("The maximum cannot be below the minimum.")
                        )
                    rows.append(
                        {"feature": entry["key"], "value": value["value"], "min": low, "max": high}
                    )
        cleaned["quota_rows"] = rows
        return cleaned


class GroupFormationForm(core_forms.Form):
    features = forms.MultipleChoiceField(
        label=_("Balance the groups on"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, catalogue: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["features"].choices = [(e["key"], e["label"]) for e in catalogue]


class GroupMoveForm(core_forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    group = forms.ModelChoiceField(label=_("Move to"), queryset=CallGroup.objects.none())

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = call.groups.all()


class AidForm(CleanTextMixin, core_forms.ModelForm):
    class Meta:
        model = AidFollowUp
        fields = [
            "amount_granted",
            "state",
            "agreement",
            "agreement_signed_on",
            "final_report_due_on",
            "final_report_received_on",
            "notes",
        ]
        widgets = {
            "agreement_signed_on": DATE,
            "final_report_due_on": DATE,
            "final_report_received_on": DATE,
        }


class InstalmentForm(core_forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (€)"), max_digits=12, decimal_places=2, min_value=0.01
    )
    due_on = forms.DateField(label=_("Due"), widget=DATE)
    paid_on = forms.DateField(label=_("Paid"), widget=DATE, required=False)


class InstalmentPaymentForm(core_forms.Form):
    """The day one instalment was paid (one form per instalment, prefixed by its id)."""

    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)

    def __init__(self, *args, instalment, **kwargs):
        kwargs.setdefault("prefix", f"paid-{instalment.pk}")
        kwargs.setdefault("initial", {"paid_on": instalment.paid_on})
        super().__init__(*args, **kwargs)
        # Several of these forms share a page: each label names its instalment.
        self.fields["paid_on"].label = _("Paid on (%(amount)s €, due %(due)s)") % {
            "amount": instalment.amount,
            "due": date_format(instalment.due_on, "SHORT_DATE_FORMAT"),
        }


class SupportAdviserForm(core_forms.Form):
    adviser = forms.ModelChoiceField(
        label=_("Adviser"), queryset=get_user_model().objects.filter(is_staff=True, is_active=True)
    )


class SupportLogForm(CleanTextMixin, core_forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportEntryKind.choices)
    text = forms.CharField(
        label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SupportCloseForm(CleanTextMixin, core_forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
