"""The `date` filter of every template (a builtin in settings.TEMPLATES), with the French
ordinal of the first day of a month (see terreau.core.dates)."""

from django import template
from django.template.defaultfilters import date as django_date
from django.utils.safestring import SafeData, mark_safe

from terreau.core.dates import with_ordinal

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    text = django_date(value, arg)
    result = with_ordinal(text)
    return mark_safe(result) if isinstance(text, SafeData) else result
