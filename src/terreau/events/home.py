"""The events section of the home page: the next events of the agenda."""

from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from .selectors.agenda import AgendaFilters, agenda_events


def _upcoming():
    return agenda_events(filters=AgendaFilters(period="upcoming")).exclude(state="cancelled")


def changes_at():
    """The section changes by itself when the first of the coming events ends."""
    return _upcoming().aggregate(first_end=Min("ends_at"))["first_end"]


def summary() -> dict:
    upcoming = _upcoming()
    count = upcoming.count()
    return {
        "key": "events",
        "title": _("Events"),
        "text": _("Regional days, network meetings and trainings: programmes and registration."),
        "url": reverse("events:agenda"),
        "count": count,
        "count_label": npgettext("home page count", "upcoming event", "upcoming events", count),
        "items": list(upcoming[:3]),
        "position": 30,
    }
