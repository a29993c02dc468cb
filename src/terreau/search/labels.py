"""Names of the kinds of the site search that no app's catalogue holds yet (translated in the
search app's catalogue)."""

from django.utils.translation import gettext_lazy as _

METHODS = _("Methods")
SESSIONS = _("Sessions")
NEEDS = _("Co-development needs")
