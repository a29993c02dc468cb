"""Forms of the worksites app: they parse input; services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from terreau.directory.models import Organisation
from terreau.observatory.models import Initiative

from .models import PRESENTATION_FIELDS, Case, ReportStatus

MARKDOWN_HELP = _("Markdown: **bold**, *italic*, lists with “- ”, links [text](https://…).")


class PresentationForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = [name for name, _label in PRESENTATION_FIELDS]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name, _label in PRESENTATION_FIELDS}
        help_texts = {name: MARKDOWN_HELP for name, _label in PRESENTATION_FIELDS}


class CaseForm(forms.Form):
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


class SectionForm(forms.Form):
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=MARKDOWN_HELP,
    )
    base_version = forms.IntegerField(min_value=0, max_value=2**31, widget=forms.HiddenInput)


class SectionAddForm(forms.Form):
    title = forms.CharField(label=_("Title of the new section"), max_length=200)


class CommentForm(forms.Form):
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


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SuggestionForm(forms.Form):
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


class ReportStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ReportStatus.choices)


class ConsentForm(forms.Form):
    consents = forms.BooleanField(
        label=_("I agree that my name appears among the publication's contributors."),
        required=False,
    )


class ThemeForm(forms.Form):
    name = forms.CharField(label=_("New cross-cutting theme"), max_length=150)


class TagForm(forms.Form):
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


class SynthesisForm(forms.Form):
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
