"""Forms of the observatory: the five steps of a contribution, uploads and moderation."""

import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms
from terreau.core import uploads
from terreau.core.models import Theme
from terreau.directory.models import Organisation, Person
from terreau.territories.forms import CommuneChoiceField
from terreau.territories.models import Commune, Department

from .models import DecisionMethod, Initiative, InitiativeMedia, Method, PublicationState
from .services.proposals import REMOVED_MEDIA

MAX_LINES = 30


@dataclass(frozen=True)
class Step:
    number: int
    slug: str
    title: str
    fields: tuple[str, ...]


STEPS = (
    Step(
        1,
        "identity",
        _("Identity"),
        ("title", "summary", "description", "themes", "subject", "status", "phase"),
    ),
    Step(
        2,
        "place",
        _("Place and time"),
        (
            "commune",
            "department",
            "scale",
            "is_qpv",
            "qpv_name",
            "start_date",
            "end_date",
            "time_frame",
        ),
    ),
    Step(
        3,
        "people",
        _("People and organisations"),
        (
            "lead_organisations",
            "partners",
            "contacts",
            "organiser_types",
            "legal_structure",
            "funding",
            "funder_types",
            "staff_count",
            "volunteer_count",
        ),
    ),
    Step(
        4,
        "participation",
        _("Participation"),
        (
            "target_publics",
            "participation_level",
            "facilitation_formats",
            "methods",
            "purposes",
            "approaches",
            "openness",
            "recruitment_methods",
            "participant_count",
            "interaction_mode",
            "has_trained_facilitators",
            "decision_method",
            "voting_method",
            "problems_purpose",
            "background",
            "process",
        ),
    ),
    Step(
        5,
        "analysis",
        _("Analysis and media"),
        (
            "outcomes",
            "outcomes_communication",
            "change_types",
            "impact_evidence",
            "has_formal_evaluation",
            "strengths",
            "weaknesses",
            "lessons",
            "links",
        ),
    ),
)
STEP_COUNT = len(STEPS)


def get_step(number: int) -> Step | None:
    return STEPS[number - 1] if 1 <= number <= STEP_COUNT else None


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class CommuneField(forms.CharField):
    """A commune typed by name, "Name (INSEE code)" or INSEE code; stored as its code. (The
    library's need form still uses it; new forms take territories' CommuneChoiceField.)"""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, str) and len(value) == 5:
            commune = Commune.objects.filter(pk=value).first()
            if commune:
                return f"{commune.name} ({commune.insee})"
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        text = value.strip()
        code = text
        if text.endswith(")") and "(" in text:
            code = text[text.rfind("(") + 1 : -1].strip()
        commune = Commune.objects.filter(pk=code).first()
        if commune:
            return commune.pk
        matches = list(Commune.objects.filter(name__iexact=text)[:5])
        if len(matches) == 1:
            return matches[0].pk
        if matches:
            raise ValidationError(
                _("Several communes bear this name: add the INSEE code, e.g. %(example)s."),
                params={"example": f"{matches[0].name} ({matches[0].insee})"},
            )
        raise ValidationError(
            _("No commune of that name: check the spelling or give its INSEE code.")
        )


class NamesField(forms.CharField):
    """Records typed one per line by name, resolved in the directory; stored as a list of ids."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, queryset, name_of, lookup, **kwargs):
        self.queryset, self.name_of, self.lookup = queryset, name_of, lookup
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            objects = {obj.pk: obj for obj in self.queryset.filter(pk__in=value)}
            return "\n".join(self.name_of(objects[pk]) for pk in value if pk in objects)
        return value

    def clean(self, value):
        names = _lines(super().clean(value))
        if len(names) > MAX_LINES:
            raise ValidationError(_("At most %(count)s lines."), params={"count": MAX_LINES})
        ids, unknown = [], []
        for name in names:
            found = self.lookup(self.queryset, name)
            if found is None:
                unknown.append(name)
            elif found not in ids:
                ids.append(found)
        if unknown:
            raise ValidationError(
                _("Not found in the directory: %(names)s."), params={"names": ", ".join(unknown)}
            )
        return ids


def _organisation_lookup(queryset, name):
    return (
        queryset.filter(Q(name__iexact=name) | Q(acronym__iexact=name) | Q(slug=name))
        .values_list("pk", flat=True)
        .first()
    )


def _person_lookup(queryset, name):
    for person in queryset.filter(last_name__iexact=name.split()[-1])[:20]:
        if person.display_name.lower() == name.lower():
            return person.pk
    return None


class LinksField(forms.CharField):
    """Links typed one per line as "Title | https://…" (or just the address)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{link['title']} | {link['url']}" for link in value)
        return value

    def clean(self, value):
        lines = _lines(super().clean(value))
        if len(lines) > MAX_LINES:
            raise ValidationError(_("At most %(count)s lines."), params={"count": MAX_LINES})
        links, validate = [], URLValidator(schemes=["http", "https"])
        for line in lines:
            title, _sep, url = line.rpartition("|")
            title, url = title.strip(), url.strip()
            try:
                validate(url)
            except ValidationError:
                raise ValidationError(
                    _("“%(line)s” is not a web address (https://…)."), params={"line": line[:100]}
                )
            links.append({"title": (title or url)[:200], "url": url})
        return links


class ChoicesField(forms.ModelMultipleChoiceField):
    """Checkboxes of vocabulary terms; an id that is not a small integer is refused before
    reaching the database (SQLite cannot even compare an over-long integer)."""

    widget = forms.CheckboxSelectMultiple

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not text.isdigit() or len(text) > 18:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:30]},
                )
        return super()._check_values(value)


def theme_tree_order(queryset):
    """Themes as the taxonomy orders them: each theme by its position, followed by its
    sub-themes by theirs."""
    return queryset.select_related("parent").order_by(
        Coalesce("parent__position", "position"),
        Coalesce("parent__name", "name"),
        F("parent").asc(nulls_first=True),
        "position",
        "name",
    )


class ThemeChoicesField(ChoicesField):
    """Theme checkboxes in the taxonomy's order, sub-themes named after their theme."""

    def label_from_instance(self, obj):
        if obj.parent_id:
            return f"{obj.parent.label} › {obj.label}"
        return obj.label


class OrganisationPicker(forms.Widget):
    """The organisations already chosen as ticked boxes (untick to remove), and a search box
    to add one from the directory, whose suggestions htmx fills as one types. Without
    JavaScript, the exact name, acronym or address name (slug) of an organisation adds it."""

    template_name = "observatory/widgets/organisation_picker.html"
    use_fieldset = True

    def __init__(self, queryset=None, attrs=None):
        super().__init__(attrs)
        self.queryset = queryset

    def value_from_datadict(self, data, files, name):
        ids = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        return {"ids": list(ids), "add": data.get(f"{name}_add", "")}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_add" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, dict):
            ids, typed = _digit_ids(value.get("ids")), value.get("add", "")
        else:
            ids, typed = _digit_ids(value or []), ""
        by_pk = {o.pk: o for o in self.queryset.filter(pk__in=ids)} if ids else {}
        context["widget"].update(
            chosen=[by_pk[pk] for pk in ids if pk in by_pk],
            typed=typed,
            add_name=f"{name}_add",
            add_invalid=context["widget"]["attrs"].get("aria-invalid") == "true",
            add_id=f"{context['widget']['attrs'].get('id') or 'id_' + name}_add",
        )
        return context


def _digit_ids(values) -> list[int]:
    ids = []
    for value in values or []:
        text = str(value)
        if text.isdigit() and len(text) <= 18 and int(text) not in ids:
            ids.append(int(text))
    return ids[:MAX_LINES]


class OrganisationPickerField(forms.Field):
    """Organisations of the directory, picked; stored as a list of ids."""

    widget = OrganisationPicker

    def __init__(self, *, queryset, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("Type a few letters of its name and pick it from the suggestions of the directory."),
        )
        super().__init__(**kwargs)
        self.queryset = queryset
        self.widget.queryset = queryset

    def clean(self, value):
        value = value if isinstance(value, dict) else {"ids": value or [], "add": ""}
        ids = list(
            self.queryset.filter(pk__in=_digit_ids(value["ids"])).values_list("pk", flat=True)
        )
        ordered = [pk for pk in _digit_ids(value["ids"]) if pk in ids]
        typed = (value.get("add") or "").strip()[:200]
        if typed:
            found = _organisation_lookup(self.queryset, typed)
            if found is None:
                raise ValidationError(
                    _("“%(name)s” is not in the directory: pick an organisation from the "
                      "suggestions."),
                    params={"name": typed},
                )  # fmt: skip
            if found not in ordered:
                ordered.append(found)
        if self.required and not ordered:
            raise ValidationError(self.error_messages["required"], code="required")
        return ordered[:MAX_LINES]


def build_field(name: str) -> forms.Field:
    model_field = Initiative._meta.get_field(name)
    if name == "commune":
        # The site's commune field: suggestions as one types (a datalist filled by htmx),
        # the INSEE code or "Liévin (62)" without JavaScript.
        return CommuneChoiceField(label=_("Commune"), required=False)
    if name == "department":
        return forms.ModelChoiceField(
            Department.objects.all(),
            label=_("Département"),
            required=False,
            help_text=_("Only needed without a commune (the commune's département is used)."),
        )
    if name in {"lead_organisations", "partners"}:
        return OrganisationPickerField(
            label=capfirst(model_field.verbose_name),
            queryset=Organisation.objects.filter(is_published=True),
        )
    if name == "contacts":
        return NamesField(
            label=capfirst(model_field.verbose_name),
            queryset=Person.objects.filter(is_listed=True),
            name_of=lambda person: person.display_name,
            lookup=_person_lookup,
            help_text=_("One per line: first and last name of people listed in the directory."),
        )
    if name == "links":
        return LinksField(
            label=_("Links"),
            required=False,
            help_text=_("One per line: “Title | https://…”."),
        )
    if model_field.many_to_many:
        queryset = model_field.related_model._default_manager.all()
        if model_field.related_model is Method:
            queryset = queryset.filter(state=PublicationState.PUBLISHED)
        elif hasattr(model_field.related_model, "is_active"):
            queryset = queryset.filter(is_active=True)
        if model_field.related_model is Theme:
            return ThemeChoicesField(
                theme_tree_order(queryset), label=capfirst(model_field.verbose_name), required=False
            )
        return ChoicesField(queryset, label=capfirst(model_field.verbose_name), required=False)
    field = model_field.formfield()
    field.label = capfirst(field.label)
    if isinstance(field, forms.DateField):
        field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if isinstance(field.widget, forms.Textarea):
        field.widget.attrs["rows"] = 5
    if name in {"title", "summary"}:
        field.required = True
    return field


class InitiativeStepForm(core_forms.Form):
    """One step of the contribution form; `to_data()` gives snapshot-format values."""

    def __init__(self, *args, step: Step, removable_media=None, **kwargs):
        self.step = step
        super().__init__(*args, **kwargs)
        for name in step.fields:
            self.fields[name] = build_field(name)
        if removable_media is not None and step.number == STEP_COUNT:
            self.fields[REMOVED_MEDIA] = ChoicesField(
                removable_media, label=_("Images and documents to remove"), required=False
            )

    @staticmethod
    def initial_from(data: dict, step: Step) -> dict:
        initial = {name: data.get(name) for name in step.fields}
        for name in ("start_date", "end_date"):
            if isinstance(initial.get(name), str) and initial[name]:
                initial[name] = datetime.date.fromisoformat(initial[name])
        initial[REMOVED_MEDIA] = data.get(REMOVED_MEDIA) or []
        return initial

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date comes before the start date."))
        if data.get("voting_method") and data.get("decision_method") != DecisionMethod.VOTING:
            self.add_error(
                "voting_method", _("A voting method applies only when decisions are voted.")
            )
        if data.get("qpv_name") and not data.get("is_qpv"):
            self.add_error("is_qpv", _("Tick this box when you name a priority neighbourhood."))
        return data

    def to_data(self) -> dict:
        data = {}
        for name, value in self.cleaned_data.items():
            if hasattr(value, "values_list"):  # a queryset of M2M choices
                value = sorted(value.values_list("pk", flat=True))
            elif hasattr(value, "pk"):
                value = value.pk
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            data[name] = value
        return data


class MediaUploadForm(core_forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An image (JPEG, PNG, WebP) or a document (PDF, DOCX, ODT)."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    alt_text = forms.CharField(
        label=_("Text alternative (images)"),
        max_length=300,
        required=False,
        help_text=_("Required for an image: what it shows, for people who cannot see it."),
    )

    def clean_file(self):
        # The checked copy is stored: images re-encoded, an unguessable name.
        self.kind, upload = uploads.clean_upload(self.cleaned_data["file"])
        return upload

    def clean(self):
        data = super().clean()
        if (
            getattr(self, "kind", None) == InitiativeMedia.Kind.IMAGE
            and not (data.get("alt_text") or "").strip()
        ):
            self.add_error("alt_text", _("Describe the image for people who cannot see it."))
        return data


class SubmitForm(core_forms.Form):
    message = forms.CharField(
        label=_("Summary of your contribution"),
        max_length=300,
        required=False,
        help_text=_("What you added or changed, for the moderators and the history."),
    )


class ModerationForm(core_forms.Form):
    ACTIONS = ("publish", "request_changes", "reject", "comment")
    comment = forms.CharField(
        label=_("Comment to the contributor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to ask for changes or to reject."),
    )
