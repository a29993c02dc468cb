"""The library's sections on the home page: news, open calls for applications, resources, and
the co-development board."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from . import selectors
from .selectors import codevelopment, newsletter


def changes_at():
    """The open calls' section changes by itself when a call opens or closes."""
    from terreau.calls.selectors import published_calls_next_change

    return published_calls_next_change()


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


def sections() -> list[dict]:
    """What is new in the library: the latest news first on the page, then resources and the
    co-development board."""
    return [
        {
            "key": "news",
            "title": _("News"),
            "text": _("Regional information, calls for applications, event reports."),
            "url": reverse("library:resource_list") + "?type=news",
            "items": selectors.news_latest(limit=4),
            "position": 5,
        },
        {
            "key": "open-calls",
            "title": _("Open calls for applications"),
            "text": _("No call is open at the moment: see the calls and their results."),
            "url": reverse("calls:call_list"),
            "items": newsletter.calls_open(limit=3, opening_soon=False),
            "position": 6,
        },
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
