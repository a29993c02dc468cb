"""The library's sections on the home page: resources, and the co-development board."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors
from .selectors import codevelopment


def summary() -> dict:
    return {
        "key": "library",
        "title": _("Resources"),
        "text": _(
            "The network's documents: publications, guides, interviews, news, event "
            "programmes, reports and calls for applications."
        ),
        "url": reverse("library:resource_list"),
        "count": selectors.resource_count(),
        "count_label": _("published resources"),
        "items": selectors.resource_latest(limit=3),
        "position": 35,
    }


def sections() -> list[dict]:
    return [
        summary(),
        {
            "key": "codevelopment",
            "title": _("Co-development"),
            "text": _("Needs that members bring to their peers: offer your help or experience."),
            "url": reverse("library:need_list"),
            "count": codevelopment.need_count_open(),
            "count_label": _("open needs"),
            "items": codevelopment.need_latest(limit=3),
            "position": 36,
        },
    ]
