"""Values every page template needs."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .absolute import base_url


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": base_url(),
        # The operator named in the footer and the legal notice (SITE_OPERATOR in the environment).
        "SITE_OPERATOR": getattr(settings, "SITE_OPERATOR", "")
        or _("Regional resource centre for participatory democracy"),
    }
