"""The library's section on the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from . import selectors


def summary() -> dict:
    return {
        "key": "library",
        "title": _("Resources"),
        "text": _(
            "The network's documents: publications, guides, interviews, news, event "
            "programmes, reports and calls for applications."
        ),
        "url": reverse("library:resource_list"),
        "count": (count := selectors.resource_count()),
        "count_label": npgettext(
            "home page count", "published resource", "published resources", count
        ),
        "items": selectors.resource_latest(limit=3),
        "position": 35,
    }
