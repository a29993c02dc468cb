"""Times of day as the programme prints them ("16h30" in French, "16:30" in English)."""

import datetime as dt

from django.utils import timezone
from django.utils.dateformat import time_format
from django.utils.translation import pgettext


def time_of_day_format() -> str:
    """The format string of the programme pages, in the active language."""
    return pgettext("time of day, as programmes print it", "H:i")


def time_of_day(value: dt.time | dt.datetime | None) -> str:
    """A time (or the local time of an aware datetime) in the programme's format."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return time_format(value, time_of_day_format())
