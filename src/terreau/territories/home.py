"""The territories section of the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from .models import Commune


def summary() -> dict | None:
    count = Commune.objects.count()
    if not count:
        return None
    return {
        "key": "territories",
        "title": _("Territories"),
        "text": _("Départements, intercommunal bodies, communes and the network's zones."),
        "url": reverse("territories:territory_index"),
        "count": count,
        "count_label": npgettext("home page count", "commune", "communes", count),
        "position": 90,
    }
