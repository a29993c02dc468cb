"""Forms of the directory: a member's own profile and their memberships."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms
from terreau.core.models import Theme
from terreau.territories.forms import CommuneChoiceField

from .models import Membership, Organisation, Person


class OrganisationChoiceField(forms.ModelChoiceField):
    """An organisation typed by name (or picked from suggestions, which carry its slug).

    A plain text box with a <datalist> that htmx fills from `directory:organisation_suggestions`
    as the person types: it works with the keyboard, with screen readers, and without
    JavaScript when the exact name is typed.
    """

    default_error_messages = {
        "invalid_choice": _("Choose an organisation of the directory (type its name)."),
        "ambiguous": _("Several organisations have this name: pick one in the suggestions."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Organisation.objects.filter(is_published=True))
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Organisation):
            return value.slug
        if value and str(value).isdigit():
            organisation = self.queryset.filter(pk=value).first()
            return organisation.slug if organisation else value
        return value

    def to_python(self, value):
        value = (value or "").strip()
        if value in self.empty_values:
            return None
        matches = list(self.queryset.filter(slug=value)[:1])
        if not matches:
            matches = list(self.queryset.filter(name__iexact=value)[:2])
        if not matches:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        if len(matches) > 1:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous")
        return matches[0]


class ThemeMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Themes listed under their parent theme, sub-themes marked with a dash."""

    def label_from_instance(self, theme):
        return f"— {theme.label}" if theme.parent_id else theme.label


class PersonProfileForm(core_forms.ModelForm):
    phone = core_forms.PhoneField(label=_("Phone"), required=False)
    commune = CommuneChoiceField(required=False)
    themes = ThemeMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.active()
        .select_related("parent")
        .order_by(
            Coalesce("parent__position", "position"),
            Coalesce("parent_id", "id"),
            F("parent_id").asc(nulls_first=True),
            "position",
            "name",
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "title",
            "actor_category",
            "commune",
            "bio",
            "themes",
            "email",
            "phone",
            "is_listed",
            "contact_consent",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contact_consent") and not cleaned.get("is_listed"):
            self.add_error(
                "contact_consent",
                _("Contact details can only be shown if you appear in the directory."),
            )
        return cleaned


class MembershipForm(core_forms.ModelForm):
    organisation = OrganisationChoiceField(label=_("Organisation"))

    class Meta:
        model = Membership
        fields = ["organisation", "role", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        list_id = f"{self.prefix}-suggestions"
        self.fields["organisation"].widget.attrs.update(
            {
                "list": list_id,
                "hx-get": reverse_lazy("directory:organisation_suggestions"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
            }
        )
        self.suggestions_id = list_id

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return cleaned

    def validate_constraints(self, exclude=None):
        # The end-after-start constraint is reported on the field by clean() above.
        return None


class BaseMembershipFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            organisation = form.cleaned_data.get("organisation")
            role = (form.cleaned_data.get("role") or "").strip().lower()
            if organisation is None:
                continue
            if (organisation.pk, role) in seen:
                form.add_error("organisation", _("This membership is listed twice."))
            seen.add((organisation.pk, role))

    def rows(self) -> list[dict]:
        """The edited rows as plain dicts for services.person_profile_save."""
        rows = []
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            data = dict(form.cleaned_data)
            instance = data.pop("id", None)
            rows.append(
                {
                    "id": instance.pk if instance else None,
                    "delete": bool(data.pop("DELETE", False)),
                    **{
                        key: data.get(key)
                        for key in ("organisation", "role", "start_date", "end_date")
                    },
                }
            )
        return rows


MembershipFormSet = forms.modelformset_factory(
    Membership,
    form=MembershipForm,
    formset=BaseMembershipFormSet,
    extra=1,
    can_delete=True,
    max_num=30,
    validate_max=True,
)
