"""Template helpers of the registration area: answers as text, times of day as the programme
prints them."""

from django import template
from django.utils.translation import gettext as _

from .. import clock

register = template.Library()


@register.filter
def join_answer(value) -> str:
    """An answer as text: lists joined, yes/no spelt out."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


@register.filter(expects_localtime=True)
def time_of_day(value) -> str:
    """A time of day in the programme's format ("16h30" in French)."""
    return clock.time_of_day(value)
