"""Registration forms: the per-event form built from its own questions and rounds, the survey,
and the staff forms (questions, payment, segment e-mail, table filters)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms
from terreau.core.dates import date_format
from terreau.directory.models import ActorCategory, OrganisationKind

from .. import clock
from ..models import (
    Attendance,
    Audience,
    Event,
    PaymentStatus,
    Question,
    Registration,
    RegistrationStatus,
    Session,
)
from ..selectors.assignment import session_seats
from ..selectors.registration import (
    FORM_CACHE_SECONDS,
    TABLE_SORT_CHOICES,
    event_form_cache_key,
    event_full_workshops,
    event_registration_form_spec,
)
from ..services.registration import (
    BULK_ACTIONS,
    BULK_LIMIT,
    MAX_RANKED_CHOICES,
    PUBLIC_EMPLOYER_KINDS,
    RegistrationData,
)

RANK_LABELS = {1: _("1st choice"), 2: _("2nd choice"), 3: _("3rd choice")}
NO_CHOICE = _("No other choice")


@dataclass
class Fieldset:
    legend: str
    help_text: str = ""
    fields: list = field(default_factory=list)
    grid: RoundGrid | None = None


@dataclass
class GridCell:
    name: str
    value: str
    id: str
    checked: bool
    required: bool
    labelledby: str
    invalid: bool
    error_id: str


@dataclass
class GridRow:
    id: str
    cells: list[GridCell | None]
    session: Session | None = None
    speakers: str = ""
    seats: int | None = None
    is_full: bool = False


@dataclass
class RoundGrid:
    ranks: list[tuple[str, str]]
    rows: list[GridRow]
    none_row: GridRow | None
    errors: list[tuple[str, list[str]]]


def tariff_choice_label(tariff) -> str:
    """ "Per participant: 75 € (the two days, the lunch…)": the amount beside its name."""
    if not tariff.amount:
        text = _("%(label)s: free") % {"label": tariff.label}
    else:
        whole = tariff.amount == tariff.amount.to_integral_value()
        amount = number_format(tariff.amount, decimal_pos=0 if whole else 2)
        text = _("%(label)s: %(amount)s €") % {"label": tariff.label, "amount": amount}
    return f"{text} ({tariff.includes})" if tariff.includes else text


def question_field(question: Question) -> forms.Field:
    required = question.is_required
    common = {"label": question.label, "required": required}
    if question.kind == Question.Kind.CHOICE:
        choices = [(c, c) for c in question.choice_list]
        return forms.ChoiceField(
            choices=([] if required else [("", "—")]) + choices,
            widget=forms.RadioSelect if len(choices) <= 5 and required else forms.Select,
            **common,
        )
    if question.kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choice_list],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if question.kind == Question.Kind.YES_NO:
        return forms.TypedChoiceField(
            choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda v: v == "yes",
            empty_value=None,
            **common,
        )
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)


def question_initial(question: Question, value):
    if question.kind == Question.Kind.YES_NO and value is not None:
        return "yes" if value else "no"
    return value


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationError) -> None:
        """Attach a service's ValidationError to the matching fields (or the whole form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            name = key if key in self.fields else f"{key}_1" if f"{key}_1" in self.fields else None
            for item in errors:
                self.add_error(name, item)


class RegistrationForm(ServiceErrorsMixin, core_forms.Form):
    """The event's registration form; with `registration`, the form that changes it."""

    template_name = "events/registration/_fieldsets.html"

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = core_forms.PhoneField(label=_("Phone"), required=False)
    employer = forms.CharField(label=_("Employer"), max_length=255, required=False)
    employer_kind = forms.ChoiceField(
        label=_("Kind of employer"),
        choices=[("", "—"), *OrganisationKind.choices],
        required=False,
    )
    job_title = forms.CharField(label=_("Job title"), max_length=255, required=False)
    actor_category = forms.ChoiceField(
        label=_("You are"), choices=[("", "—"), *ActorCategory.choices], required=False
    )
    invitation_code = forms.CharField(label=_("Invitation code"), max_length=40)
    tariff = forms.ModelChoiceField(
        label=_("Rate"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    options = forms.ModelMultipleChoiceField(
        label=_("Meals and evening"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    dietary_needs = forms.CharField(
        label=_("Dietary needs"),
        max_length=300,
        required=False,
        help_text=_("E.g. vegetarian, allergies."),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        max_length=300,
        required=False,
        help_text=_("E.g. wheelchair access, hearing loop, sign-language interpreting."),
    )
    is_listed = forms.BooleanField(
        label=_("Show my name and organisation on the public list of participants"),
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the organisers process these data to manage my registration "
            "(they are kept until one year after the event)."
        ),
        required=True,
    )

    def __init__(self, *args, event: Event, registration: Registration | None = None, **kwargs):
        self.event = event
        self.registration = registration
        super().__init__(*args, **kwargs)
        is_update = registration is not None
        if is_update:
            for name in ("email", "consent", "invitation_code"):
                del self.fields[name]
        elif event.audience != Audience.INVITATION:
            del self.fields["invitation_code"]
        if event.audience == Audience.PROFESSIONALS:
            self.fields["employer"].required = True
            self.fields["employer_kind"].required = True
            # Offer only the kinds the audience rule accepts (services._validate_audience).
            self.fields["employer_kind"].choices = [
                ("", "—"),
                *(
                    (v, label)
                    for v, label in OrganisationKind.choices
                    if v in PUBLIC_EMPLOYER_KINDS
                ),
            ]
            self.fields["employer_kind"].help_text = _(
                "This event is reserved for public-service professionals."
            )
        spec = event_registration_form_spec(event)
        if len(spec.tariffs) > 1:
            self.fields["tariff"].queryset = event.tariffs.all()
            self.fields["tariff"].label_from_instance = tariff_choice_label
        else:
            del self.fields["tariff"]
        if spec.options:
            self.fields["options"].queryset = event.options.all()
            self.fields["options"].help_text = self._options_help()
        else:
            del self.fields["options"]

        self.question_names: list[str] = []
        self.questions = list(spec.questions)
        for question in self.questions:
            name = f"question_{question.pk}"
            self.fields[name] = question_field(question)
            self.question_names.append(name)

        self.rounds = [r for r in spec.rounds if r.sessions]
        self.full_workshops = event_full_workshops(event) if self.rounds else frozenset()
        self.round_names: list[tuple[object, list[str]]] = []
        for r in self.rounds:
            names = []
            sessions = [(str(s.pk), s.title) for s in r.sessions]
            for rank in range(1, min(MAX_RANKED_CHOICES, len(r.sessions)) + 1):
                name = f"round_{r.slot.pk}_{rank}"
                # The round in the label too, so that the error summary says which one.
                label = _("%(rank)s, round %(number)s") % {
                    "rank": RANK_LABELS[rank],
                    "number": r.slot.round_number,
                }
                # Radio buttons in a grid (workshops × ranks); a rank past the first may stay
                # empty ("no other choice", checked while nothing else is).
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=sessions if rank == 1 else [("", NO_CHOICE), *sessions],
                    required=rank == 1,
                    widget=forms.RadioSelect,
                )
                names.append(name)
            self.round_names.append((r, names))

        if is_update:
            self._set_initial_from(registration)

    def _set_initial_from(self, registration: Registration) -> None:
        for name in (
            "first_name",
            "last_name",
            "phone",
            "employer",
            "employer_kind",
            "job_title",
            "actor_category",
            "dietary_needs",
            "accessibility_needs",
            "is_listed",
        ):
            self.initial[name] = getattr(registration, name)
        if "tariff" in self.fields:
            self.initial["tariff"] = registration.tariff_id
        if "options" in self.fields:
            self.initial["options"] = [o.pk for o in registration.options.all()]
        answers = {a.question_id: a.value for a in registration.answers.all()}
        for question in self.questions:
            self.initial[f"question_{question.pk}"] = question_initial(
                question, answers.get(question.pk)
            )
        for choice in registration.choices.select_related("session"):
            self.initial[f"round_{choice.session.slot_id}_{choice.rank}"] = str(choice.session_id)

    def render(self, template_name=None, context=None, renderer=None):
        """The fieldsets. A blank sign-up form is the same HTML for every visitor of an event
        version and language, so it is rendered once and then read from the cache."""
        if template_name or context or renderer:
            return super().render(template_name, context, renderer)
        if self.is_bound or self.initial or self.registration is not None:
            return super().render()
        stamp = event_form_cache_key(self.event, "registration-form-html")
        full = ",".join(map(str, sorted(self.full_workshops)))
        key = f"{stamp}:{self.event.audience}:{translation.get_language()}:{full}"
        html = cache.get(key)
        if html is None:
            html = str(super().render())
            cache.set(key, html, FORM_CACHE_SECONDS)
        return mark_safe(html)

    # RenderableMixin binds these to its own render(); the template's {{ form }} uses them.
    __str__ = render
    __html__ = render

    def clean(self):
        cleaned = super().clean()
        for _round, names in self.round_names:
            picked = [cleaned.get(n) for n in names if cleaned.get(n)]
            if len(set(picked)) != len(picked):
                self.add_error(names[0], _("Choose a different workshop for each rank."))
        return cleaned

    # Groups of fields for the template, each shown in a fieldset.
    def fieldsets(self) -> list[Fieldset]:
        def present(names):
            return [self[n] for n in names if n in self.fields]

        groups = [
            Fieldset(
                _("About you"),
                fields=present(["first_name", "last_name", "email", "phone", "actor_category"]),
            ),
            Fieldset(
                _("Your organisation"),
                fields=present(["employer", "employer_kind", "job_title", "invitation_code"]),
            ),
            Fieldset(_("Rate, meals and evening"), fields=present(["tariff", "options"])),
            Fieldset(_("Needs"), fields=present(["dietary_needs", "accessibility_needs"])),
        ]
        for r, names in self.round_names:
            legend = _("Round %(number)s — %(day)s, %(time)s") % {
                "number": r.slot.round_number,
                "day": date_format(r.slot.day.date, "l j F"),
                "time": clock.time_of_day(r.slot.starts_at),
            }
            help_text = _(
                "For each rank, pick one workshop: your first choice, then, if you wish, a "
                "second and a third one."
            )
            fields = present(names)
            groups.append(
                Fieldset(legend, help_text, fields=fields, grid=self._round_grid(r, fields))
            )
        if self.question_names:
            groups.append(
                Fieldset(_("Questions from the organisers"), fields=present(self.question_names))
            )
        groups.append(
            Fieldset(_("Consent and public list"), fields=present(["consent", "is_listed"]))
        )
        return [group for group in groups if group.fields]

    def _options_help(self) -> str:
        """Options carry no price: they say who attends what. When the rate covers them, the
        form says so, so that they do not read as extras to buy."""
        covered = [t for t in event_registration_form_spec(self.event).tariffs if t.includes]
        if covered:
            return _(
                "Included in the rate, at no extra cost: tick those you will attend, so that "
                "the organisers can plan the catering."
            )
        return _("Tick those you will attend, so that the organisers can plan them.")

    def _round_grid(self, round_, fields) -> RoundGrid:
        """The round's workshops as rows, its ranks as columns of radio buttons: each button
        named by its column's and its row's headers, each row with the workshop's brief,
        speakers, room and seats."""
        prefix = f"round-{round_.slot.pk}"
        ranks = [(f"{prefix}-rank-{i}", RANK_LABELS[i]) for i in range(1, len(fields) + 1)]
        by_value: dict[str, list[GridCell]] = {}
        for (header_id, _label), bound in zip(ranks, fields, strict=True):
            invalid = bool(bound.errors)
            for widget in bound.subwidgets:
                value = str(widget.data["value"])
                row_id = f"{prefix}-none" if value == "" else f"{prefix}-workshop-{value}"
                by_value.setdefault(value, []).append(
                    GridCell(
                        name=bound.html_name,
                        value=value,
                        id=widget.data["attrs"]["id"],
                        checked=bool(widget.data["selected"]),
                        required=bound.field.required,
                        labelledby=f"{header_id} {row_id}",
                        invalid=invalid,
                        error_id=f"{bound.auto_id}_error" if invalid else "",
                    )
                )
        rows = [
            GridRow(
                id=f"{prefix}-workshop-{session.pk}",
                session=session,
                speakers=", ".join(str(s.person) for s in session.speakers.all()),
                seats=session_seats(session),
                is_full=session.pk in self.full_workshops,
                cells=by_value.get(str(session.pk), []),
            )
            for session in round_.sessions
        ]
        # "No choice" has no first-rank cell: an empty cell keeps the columns aligned.
        blank = by_value.get("", [])
        none_row = GridRow(id=f"{prefix}-none", cells=[None, *blank]) if blank else None
        return RoundGrid(
            ranks=ranks,
            rows=rows,
            none_row=none_row,
            errors=[(f"{f.auto_id}_error", f.errors) for f in fields if f.errors],
        )

    def to_data(self) -> RegistrationData:
        c = self.cleaned_data
        return RegistrationData(
            first_name=c.get("first_name", ""),
            last_name=c.get("last_name", ""),
            email=c.get("email", self.registration.email if self.registration else ""),
            phone=c.get("phone", ""),
            employer=c.get("employer", ""),
            employer_kind=c.get("employer_kind", ""),
            job_title=c.get("job_title", ""),
            actor_category=c.get("actor_category", ""),
            tariff=c.get("tariff"),
            options=list(c.get("options") or []),
            dietary_needs=c.get("dietary_needs", ""),
            accessibility_needs=c.get("accessibility_needs", ""),
            consent=c.get("consent", False),
            is_listed=c.get("is_listed", False),
            invitation_code=c.get("invitation_code", ""),
            answers={q.pk: c.get(f"question_{q.pk}") for q in self.questions},
            choices={
                r.slot.pk: [int(c[n]) for n in names if c.get(n)] for r, names in self.round_names
            },
        )


class SurveyForm(ServiceErrorsMixin, core_forms.Form):
    def __init__(self, *args, questions: list[Question], answers: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        answers = answers or {}
        for question in questions:
            name = f"question_{question.pk}"
            self.fields[name] = question_field(question)
            self.initial[name] = question_initial(question, answers.get(question.pk))

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"question_{q.pk}") for q in self.questions}


class QuestionForm(core_forms.ModelForm):
    class Meta:
        model = Question
        fields = ["purpose", "label", "kind", "choices", "is_required", "position"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 4})}


class PaymentForm(core_forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["payment_status", "invoice_number", "order_reference"]


class SegmentEmailForm(core_forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))


def _with_blank(choices):
    return [("", _("All")), *choices]


class RegistrationFilterForm(core_forms.Form):
    q = forms.CharField(label=_("Name, e-mail or employer"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), choices=_with_blank(RegistrationStatus.choices), required=False
    )
    attendance = forms.ChoiceField(
        label=_("Attendance"), choices=_with_blank(Attendance.choices), required=False
    )
    payment_status = forms.ChoiceField(
        label=_("Payment"), choices=_with_blank(PaymentStatus.choices), required=False
    )
    actor_category = forms.ChoiceField(
        label=_("Actor category"), choices=_with_blank(ActorCategory.choices), required=False
    )
    sort = forms.ChoiceField(
        choices=[("", ""), *TABLE_SORT_CHOICES], required=False, widget=forms.HiddenInput
    )
    # A selection of the table (its bulk "e-mail" action): ids separated by commas.
    ids = forms.CharField(required=False, max_length=20_000, widget=forms.HiddenInput)

    def clean_ids(self) -> list[int]:
        parts = [p.strip() for p in self.cleaned_data["ids"].split(",") if p.strip()]
        if len(parts) > BULK_LIMIT or not all(p.isdigit() and len(p) <= 18 for p in parts):
            raise ValidationError(_("Choose registrations of the table."))
        return [int(p) for p in parts]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class RegistrationBulkForm(core_forms.Form):
    """A bulk action on registrations ticked in the staff table; `confirmed` once staff have
    read the list of whom it applies to."""

    action = forms.ChoiceField(label=_("With the selection"), choices=BULK_ACTIONS)
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[], widget=forms.MultipleHiddenInput)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    back = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        # Only ids that look like ids reach the query; the query keeps this event's own.
        submitted = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [
            (v, v) for v in submitted[:BULK_LIMIT] if v.isdigit() and len(v) <= 18
        ]
        self.fields["ids"].error_messages["required"] = _("Tick at least one registration.")

    def clean_back(self) -> str:
        # Only the table's own query string: never a way to another site.
        back = self.cleaned_data["back"]
        return back if back.startswith("?") and "//" not in back else ""

    def registrations(self) -> list[Registration]:
        return list(
            self.event.registrations.filter(pk__in=self.cleaned_data["ids"]).order_by(
                "last_name", "first_name", "pk"
            )
        )
