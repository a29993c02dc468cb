from django import forms
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms


class AccountDeleteForm(core_forms.Form):
    CHOICES = [
        ("keep", _("Keep what I wrote, signed “ancien membre”")),
        ("remove", _("Remove what I wrote")),
    ]
    content = forms.ChoiceField(
        label=_("What I wrote (needs, offers, comments)"),
        choices=CHOICES,
        widget=forms.RadioSelect,
        initial="keep",
    )
    password = forms.CharField(
        label=_("Your password, to confirm"), widget=forms.PasswordInput, max_length=200
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class RemovalRequestForm(core_forms.Form):
    email = forms.EmailField(label=_("The e-mail address of the directory entry"), max_length=254)
