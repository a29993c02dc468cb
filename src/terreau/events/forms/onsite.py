"""Forms of the day of the event and after: walk-ins, report-backs, photos and documents."""

from django import forms
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms
from terreau.directory.models import ActorCategory


class WalkInForm(core_forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("Used to send the certificate after the event.")
    )
    employer = forms.CharField(label=_("Organisation"), max_length=255, required=False)
    job_title = forms.CharField(label=_("Function"), max_length=255, required=False)
    actor_category = forms.ChoiceField(
        label=_("Actor category"),
        choices=[("", "—"), *ActorCategory.choices],
        required=False,
    )
    override_capacity = forms.BooleanField(
        label=_("Register over capacity"),
        required=False,
        help_text=_("Only when the event is full and the venue can still take this person."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs.update(autocomplete="off", inputmode="email")


class WorkshopReportForm(core_forms.Form):
    recommendations = forms.CharField(
        label=_("Recommendations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: a list with one recommendation per line starting with “- ”."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: what was said, the experiences shared, the open questions."),
    )
    is_published = forms.BooleanField(label=_("Publish on the event's page"), required=False)


class EventFileForm(core_forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF document, or a JPEG, PNG or WebP photo."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    alt_text = forms.CharField(
        label=_("Text alternative (photos)"),
        max_length=300,
        required=False,
        help_text=_("What the photo shows, for people who cannot see it. Required for photos."),
    )
