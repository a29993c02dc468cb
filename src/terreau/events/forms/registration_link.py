from django import forms
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms


class RegistrationLinkForm(core_forms.Form):
    email = forms.EmailField(
        label=_("E-mail address you registered with"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
