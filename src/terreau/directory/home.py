"""The directory's section on the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors


def summary() -> dict:
    counts = selectors.directory_counts()
    return {
        "key": "directory",
        "title": _("Directory"),
        "text": _(
            "%(people)s people who chose to be listed, in local authorities, associations, "
            "social centres, citizen collectives and universities."
        )
        % {"people": counts["people"]},
        "url": reverse("directory:organisation_list"),
        "count": counts["organisations"],
        "count_label": _("organisations"),
        "items": selectors.organisation_latest(limit=4),
        "position": 30,
    }
