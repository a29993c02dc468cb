"""Forms of the territories app, and `CommuneChoiceField` for other apps' forms.

    from terreau.territories.forms import CommuneChoiceField

    class OrganisationForm(forms.ModelForm):
        commune = CommuneChoiceField(required=False)

The field renders a plain text input tied to a <datalist>; `territories/commune-autocomplete.js`
fills the list with suggestions from `territories:commune_search` as the person types (the
browser's native, keyboard- and screen-reader-accessible suggestion list). Without JavaScript,
typing the INSEE code ("62510"), "Liévin (62)" or a name only one commune has works the same.
The cleaned value is a `Commune`; anything else is refused with a French message saying what to
type. Render forms with `{% include "components/form.html" %}`: the widget carries its script.
"""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms

from .models import Commune
from .selectors import commune_resolve


class CommuneInput(forms.TextInput):
    template_name = "territories/widgets/commune_input.html"

    class Media:
        js = ["territories/commune-autocomplete.js"]

    def __init__(self, attrs=None):
        defaults = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}
        super().__init__({**defaults, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        list_id = f"{widget_attrs.get('id') or 'id_' + name}-suggestions"
        widget_attrs["list"] = list_id
        widget_attrs["data-commune-search"] = reverse("territories:commune_search")
        context["widget"]["datalist_id"] = list_id
        return context


class CommuneChoiceField(forms.Field):
    """A commune typed as its INSEE code or "Name (département)", with suggestions."""

    widget = CommuneInput
    default_error_messages = {
        "invalid": _(
            "No commune matches “%(value)s”. Type the name followed by the département number, "
            "e.g. “Liévin (62)”, or the INSEE code, e.g. “62510”, and pick a suggestion."
        ),
        "ambiguous": _(
            "Several communes match “%(value)s”. Add the département number in brackets, "
            "e.g. “Liévin (62)”, or type the INSEE code."
        ),
    }

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("label", _("Commune"))
        kwargs.setdefault(
            "help_text",
            _("Type the first letters of the name, a postal code or the INSEE code, then pick "
              "a commune from the suggestions, e.g. “Liévin (62)”."),
        )  # fmt: skip
        super().__init__(**kwargs)
        self.queryset = queryset

    def prepare_value(self, value):
        if isinstance(value, Commune):
            return str(value)
        if value and isinstance(value, str) and value.isalnum() and len(value) == 5:
            commune = Commune.objects.select_related("department").filter(insee=value).first()
            return str(commune) if commune else value
        return value

    def to_python(self, value):
        if isinstance(value, Commune):
            return value
        text = (value or "").strip()
        if not text:
            return None
        commune, error = commune_resolve(text)
        if commune is not None and self.queryset is not None:
            commune = self.queryset.filter(pk=commune.pk).first()
            error = None if commune else "invalid"
        if error:
            raise forms.ValidationError(
                self.error_messages[error], code=error, params={"value": text[:80]}
            )
        return commune

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        initial_pk = initial.pk if isinstance(initial, Commune) else initial
        try:
            commune = self.to_python(data)
        except forms.ValidationError:
            return True
        return (initial_pk or None) != (commune.pk if commune else None)


class CommuneSearchForm(core_forms.Form):
    """The search box of the commune lists."""

    q = forms.CharField(
        label=_("Search a commune"),
        required=False,
        max_length=100,
        help_text=_("Name, postal code or INSEE code."),
    )


class CommuneJumpForm(core_forms.Form):
    """ "Find a commune": go straight to the page of the commune typed."""

    commune = CommuneChoiceField()
