"""The events section of the home page: the next events of the agenda."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors.agenda import AgendaFilters, agenda_events


def summary() -> dict:
    upcoming = agenda_events(filters=AgendaFilters(period="upcoming")).exclude(state="cancelled")
    return {
        "key": "events",
        "title": _("Events"),
        "text": _("Regional days, network meetings and trainings: programmes and registration."),
        "url": reverse("events:agenda"),
        "count": upcoming.count(),
        "count_label": _("upcoming events"),
        "items": list(upcoming[:3]),
        "position": 30,
    }
