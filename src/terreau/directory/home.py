"""The directory's section on the home page."""

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

from . import selectors


def summary() -> dict:
    counts = selectors.directory_counts()
    return {
        "key": "directory",
        "title": _("Directory"),
        "text": ngettext(
            "%(people)s person who chose to be listed, in local authorities, associations, "
            "social centres, citizen collectives and universities.",
            "%(people)s people who chose to be listed, in local authorities, associations, "
            "social centres, citizen collectives and universities.",
            counts["people"],
        )
        % {"people": number_format(counts["people"], force_grouping=True)},
        "url": reverse("directory:organisation_list"),
        "count": counts["organisations"],
        "count_label": npgettext(
            "home page count", "organisation", "organisations", counts["organisations"]
        ),
        "items": selectors.organisation_latest(limit=4),
        "position": 30,
    }
