"""Dates written as French writes them: "le 1er décembre", not "le 1 décembre".

`date_format` wraps Django's; the `date` template filter of every template is replaced by the one
in core/templatetags/dates.py (a template builtin), which does the same."""

import re

from django.utils import formats
from django.utils.translation import get_language

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
FIRST_OF_MONTH = re.compile(rf"(?<![\d.,:/])\b1 (?=(?:{MONTHS})\b)")


def with_ordinal(text: str) -> str:
    """French: the first day of a month is an ordinal ("1er mars"), the others are not."""
    if not text or not (get_language() or "").startswith("fr"):
        return text
    return FIRST_OF_MONTH.sub("1er\N{NO-BREAK SPACE}", str(text))


def date_format(value, format=None, use_l10n=None) -> str:
    return with_ordinal(formats.date_format(value, format, use_l10n))
