"""Forms of the worksites app: they parse input; services validate and write."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms
from terreau.directory.models import ActorCategory, Organisation
from terreau.observatory.forms import NamesField
from terreau.observatory.models import Initiative

from .models import (
    PRESENTATION_FIELDS,
    Case,
    CommitteeMember,
    ReportStatus,
    Worksite,
    WorksiteStatus,
)

MARKDOWN_HELP = _("Markdown: **bold**, *italic*, lists with “- ”, links [text](https://…).")


class PresentationForm(core_forms.ModelForm):
    class Meta:
        model = Case
        fields = [name for name, _label in PRESENTATION_FIELDS]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name, _label in PRESENTATION_FIELDS}
        help_texts = {name: MARKDOWN_HELP for name, _label in PRESENTATION_FIELDS}


class CaseForm(core_forms.Form):
    title = forms.CharField(label=_("Title of the case"), max_length=200)
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.order_by("name")
    )
    initiative = forms.ModelChoiceField(
        label=_("Initiative of the observatory"),
        queryset=Initiative.objects.order_by("title"),
        required=False,
        help_text=_("Leave empty to create it in the observatory (as a draft) from the title."),
    )
    workshop_starts_at = forms.DateTimeField(
        label=_("Evening workshop (start)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("The workshop runs two and a half hours (19:00–21:30 in the seed)."),
    )


class SectionForm(core_forms.Form):
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=MARKDOWN_HELP,
    )
    base_version = forms.IntegerField(min_value=0, max_value=2**31, widget=forms.HiddenInput)


class SectionAddForm(core_forms.Form):
    title = forms.CharField(label=_("Title of the new section"), max_length=200)


class CommentForm(core_forms.Form):
    quote = forms.CharField(
        label=_("Passage commented on"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Copy the words of the section your comment is about (optional)."),
    )
    start = forms.IntegerField(
        required=False, min_value=0, max_value=2**31, widget=forms.HiddenInput
    )
    body = forms.CharField(
        label=_("Comment"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyForm(core_forms.Form):
    body = forms.CharField(
        label=_("Reply"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SuggestionForm(core_forms.Form):
    quote = forms.CharField(
        label=_("Passage to replace"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Copy the words of the section exactly."),
    )
    start = forms.IntegerField(
        required=False, min_value=0, max_value=2**31, widget=forms.HiddenInput
    )
    replacement = forms.CharField(
        label=_("Proposed text"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReportStatusForm(core_forms.Form):
    status = forms.ChoiceField(choices=ReportStatus.choices)


class ConsentForm(core_forms.Form):
    consents = forms.BooleanField(
        label=_("I agree that my name appears among the publication's contributors."),
        required=False,
    )


class ThemeForm(core_forms.Form):
    name = forms.CharField(label=_("New cross-cutting theme"), max_length=150)


class TagForm(core_forms.Form):
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=None)
    section = forms.ModelChoiceField(label=_("Section"), queryset=None)
    quote = forms.CharField(
        label=_("Passage"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Copy the passage of the section exactly."),
    )

    def __init__(self, *args, themes, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes
        self.fields["section"].queryset = sections
        self.fields["section"].label_from_instance = lambda s: f"{s.report.case.title} — {s.title}"


class SynthesisForm(core_forms.Form):
    group_name = forms.CharField(label=_("Exchange group"), max_length=200)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=None, required=False)
    body = forms.CharField(
        label=_("Synthesis"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes


# Members


class PersonSearchForm(core_forms.Form):
    q = forms.CharField(
        label=_("Find a person in the directory"),
        max_length=200,
        required=False,
        help_text=_("First or last name."),
    )


class PersonField(forms.ModelChoiceField):
    """A person of the directory that the user may see, sent by id from the search results."""

    widget = forms.HiddenInput

    def __init__(self, *, user, **kwargs):
        from terreau.directory.selectors import person_visible

        super().__init__(queryset=person_visible(user=user), **kwargs)
        self.error_messages["invalid_choice"] = _("Choose a person of the directory.")


class CommitteeAddForm(core_forms.Form):
    role = forms.ChoiceField(label=_("Role on the committee"), choices=CommitteeMember.Role.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = PersonField(user=user, label=_("Person"))


class ParticipantAddForm(core_forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = PersonField(user=user, label=_("Person"))


class PresenterAddForm(core_forms.Form):
    case = forms.ModelChoiceField(label=_("Case"), queryset=None)

    def __init__(self, *args, user, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = PersonField(user=user, label=_("Person"))
        self.fields["case"].queryset = cases
        self.fields["case"].error_messages["invalid_choice"] = _("Choose a case of the worksite.")


class CommitteeRoleForm(core_forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeMember.Role.choices)


class SectionOwnerForm(core_forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=None,
        required=False,
        empty_label=_("— the committee —"),
    )

    def __init__(self, *args, users, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = users
        self.fields["owner"].label_from_instance = self.name_of
        if choices is not None:
            self.fields["owner"].choices = choices

    @classmethod
    def choices_for(cls, users) -> list[tuple]:
        """The owner choices drawn once, for the forms of many sections."""
        return [("", cls.base_fields["owner"].empty_label)] + [
            (user.pk, cls.name_of(user)) for user in users
        ]

    @staticmethod
    def name_of(user) -> str:
        person = getattr(user, "person", None)
        return person.display_name if person else str(user)


class WorksiteStatusForm(core_forms.Form):
    status = forms.ChoiceField(label=_("Stage of the worksite"), choices=WorksiteStatus.choices)


def _organisation_named(queryset, name: str):
    return (
        queryset.filter(Q(name__iexact=name) | Q(acronym__iexact=name) | Q(slug=name))
        .values_list("pk", flat=True)
        .first()
    )


class WorksiteForm(core_forms.ModelForm):
    """What a worksite is: its question, period, texts, convener and partners, and the target
    mix of actor categories at its workshops (a share in % per category)."""

    class Meta:
        model = Worksite
        fields = ["question", "starts_on", "ends_on", "summary", "objectives", "is_public"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 6}),
            "objectives": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"summary": MARKDOWN_HELP, "objectives": MARKDOWN_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published = Organisation.objects.filter(is_published=True)
        self.fields["convener"] = forms.ModelChoiceField(
            label=_("Convened by"), queryset=published.order_by("name"), required=False
        )
        self.fields["partners"] = NamesField(
            label=_("Partners"),
            queryset=published,
            name_of=lambda org: org.name,
            lookup=_organisation_named,
            help_text=_("One per line, as named in the directory."),
        )
        worksite = self.instance
        if worksite.pk:
            self.initial["convener"] = worksite.convener_id
            self.initial["partners"] = list(worksite.partners.values_list("pk", flat=True))
        for value, label in ActorCategory.choices:
            self.fields[f"mix_{value}"] = forms.IntegerField(
                label=_("Target share of “%(category)s” (%%)") % {"category": label},
                min_value=0,
                max_value=100,
                required=False,
                initial=(worksite.target_mix or {}).get(value),
            )

    def target_mix(self) -> dict:
        return {
            value: self.cleaned_data[f"mix_{value}"]
            for value, _label in ActorCategory.choices
            if self.cleaned_data.get(f"mix_{value}") is not None
        }
