"""Template helpers of the registration area: answers as text, times of day as the programme
prints them."""

from django import template

from .. import clock
from ..models import Answer

register = template.Library()


@register.filter
def join_answer(value) -> str:
    """An answer as text: lists joined, yes/no spelt out."""
    return Answer.text(value)


@register.filter(expects_localtime=True)
def time_of_day(value) -> str:
    """A time of day in the programme's format ("16h30" in French)."""
    return clock.time_of_day(value)
