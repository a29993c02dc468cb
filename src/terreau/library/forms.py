"""Forms of the library's pages: the newsletter (subscription, preferences, composing an
issue) and co-development (a need, an offer, a session, an outcome)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms
from terreau.core.models import Theme
from terreau.events.models import Event, Session, SessionKind
from terreau.observatory.forms import CommuneField
from terreau.observatory.models import Initiative, PublicationState

from .models import ContentKind, Issue, Need, Offer, ResourceKind, ResourceProposal


def theme_field(**kwargs) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Theme.objects.active().filter(parent__isnull=True).order_by("position", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        **kwargs,
    )


class NewsletterPreferencesForm(core_forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("What you receive"),
        choices=ContentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick nothing to receive everything."),
    )
    themes = theme_field(label=_("Themes"), help_text=_("Tick nothing to receive every theme."))


class NewsletterSubscribeForm(NewsletterPreferencesForm):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    field_order = ["email", "kinds", "themes"]


class IssueForm(core_forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["subject", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 5})}


class IssueComposeForm(IssueForm):
    items = forms.MultipleChoiceField(
        label=_("Content of the issue"),
        widget=forms.CheckboxSelectMultiple,
        required=True,
        help_text=_("Recent news, resources and coming events."),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {item["source"]: item for item in candidates}
        self.fields["items"].choices = [
            (item["source"], f"{ContentKind(item['kind']).label} — {item['title']}")
            for item in candidates
        ]

    def chosen_items(self) -> list[dict]:
        return [self.candidates[source] for source in self.cleaned_data["items"]]


class TestSendForm(core_forms.Form):
    email = forms.EmailField(label=_("Send a test to"), max_length=254)


class NeedForm(core_forms.ModelForm):
    themes = theme_field(label=_("Themes"))
    commune = CommuneField(
        label=_("Commune"),
        required=False,
        help_text=_(
            "Its name or INSEE code (e.g. Arras or 62041); leave empty if it does not apply."
        ),
    )

    class Meta:
        model = Need
        fields = ["title", "description", "themes"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class OfferForm(core_forms.ModelForm):
    initiative = forms.ModelChoiceField(
        label=_("Initiative"),
        queryset=Initiative.objects.none(),
        required=False,
        to_field_name="slug",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "The address name (slug) of an initiative of the observatory this experience comes "
            "from, e.g. fabriques-dinitiatives-locales-de-dunkerque."
        ),
    )

    class Meta:
        model = Offer
        fields = ["kind", "text", "initiative"]
        widgets = {"kind": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = Initiative.objects.filter(
            state=PublicationState.PUBLISHED
        )


class NeedScheduleForm(core_forms.Form):
    session = forms.ModelChoiceField(
        label=_("Co-development session of an event's programme"),
        queryset=Session.objects.none(),
        required=False,
    )
    meeting = forms.ModelChoiceField(
        label=_("Or a meeting"), queryset=Event.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = (
            Session.objects.filter(kind=SessionKind.CODEVELOPMENT)
            .select_related("slot__day__event")
            .order_by("-slot__day__date", "pk")
        )
        self.fields["session"].label_from_instance = lambda session: (
            f"{session.slot.day.event.title} — {session.title}"
        )
        self.fields["meeting"].queryset = Event.objects.order_by("-starts_at")

    def clean(self):
        data = super().clean()
        if bool(data.get("session")) == bool(data.get("meeting")):
            raise forms.ValidationError(_("Choose a session or a meeting (one of them)."))
        return data


class NeedOutcomeForm(core_forms.Form):
    outcome = forms.CharField(
        label=_("Outcome of the session"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
    )


class ResourceProposalForm(core_forms.ModelForm):
    """A member's proposal: a publication, a news item, a file (checked by content, as every
    upload: core.uploads)."""

    themes = theme_field(label=_("Themes"))
    message = forms.CharField(
        label=_("A word for the moderators"),
        max_length=300,
        required=False,
        help_text=_("Optional: where the document comes from, what you changed…"),
    )

    class Meta:
        model = ResourceProposal
        fields = [
            "kind",
            "news_kind",
            "title",
            "summary",
            "body",
            "published_on",
            "themes",
            "language",
            "file",
            "file_title",
            "external_url",
            "licence",
        ]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}),
            "body": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Members propose documents and news; programmes and reports are staff's.
        self.fields["kind"].choices = [
            (value, label)
            for value, label in ResourceKind.choices
            if value
            in {ResourceKind.PUBLICATION, ResourceKind.GUIDE, ResourceKind.NEWS, ResourceKind.CALL}
        ]

    def proposal_fields(self) -> dict:
        data = dict(self.cleaned_data)
        themes = data.pop("themes", None)
        upload = data.pop("file", None)
        message = data.pop("message", "")
        return {
            **data,
            "themes": themes,
            "file": upload if upload and hasattr(upload, "content_type") else None,
            "message": message,
        }


class ProposalDecisionForm(core_forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("publish", _("Publish it")),
            ("changes", _("Ask the author for changes")),
            ("reject", _("Reject it")),
            ("comment", _("Only comment")),
        ],
    )
    comment = forms.CharField(
        label=_("Comment to the author"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
        help_text=_("Required to ask for changes, to reject or to comment."),
    )
