"""Account forms: the sign-up form asks for the name shown in the directory."""

from django import forms
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms


class SignupForm(core_forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])


def _login_form_class():
    from allauth.account.forms import LoginForm as AllauthLoginForm

    from terreau.core.forms import HardenedFormMixin

    class LoginForm(HardenedFormMixin, AllauthLoginForm):
        """The accounts library's sign-in form with the site's words ("Remember me", not
        "Remember Me")."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if "remember" in self.fields:
                self.fields["remember"].label = _("Stay signed in on this device")

    return LoginForm


LoginForm = _login_form_class()
