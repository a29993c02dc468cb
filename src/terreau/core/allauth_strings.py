"""The accounts library's words where they clash with the site's own ("Sign In" beside "Log in").

Listed here so that `makemessages` puts them in core's catalogues, which come before allauth's
in INSTALLED_APPS and so win: French and English both read "Se connecter / Log in" and
"Créer un compte / Sign up" everywhere. Nothing imports this module.
"""

from django.utils.translation import gettext_noop as _

STRINGS = [
    _("Sign In"),
    _("Sign Up"),
    _("Signup"),
    _("Sign Out"),
    _("Remember Me"),
    _("Forgot your password?"),
    _("Password Reset"),
    _("Change Password"),
    _("Set Password"),
    _("Email Addresses"),
    _("Sign in with a passkey"),
]
