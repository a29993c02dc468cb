"""Hardened bases for every form: hostile input refused field by field, before any query.

Every form of Terreau derives from `Form` or `ModelForm` here (or mixes `HardenedFormMixin` into
a third-party base); every django-filter FilterSet from `terreau.core.filters.FilterSet`. Before
any field is cleaned, the submitted values are screened:

- control characters (NUL, the other C0 and C1 controls, DEL, lone surrogates) are refused in
  every field; line breaks in single-line inputs too;
- every text field gets a maximum length when it has none (`SINGLE_LINE_MAX_LENGTH`,
  `MULTI_LINE_MAX_LENGTH` for textareas, `EMAIL_MAX_LENGTH` for e-mail addresses), and every
  raw value is bounded before a custom field's lookups run;
- ids and integers outside what the database stores (a signed 64-bit integer) are a validation
  error of the field (`ModelChoiceField`, `ModelMultipleChoiceField`, `IntegerField`);
- a many-valued field takes at most `MAX_VALUES` values.

The refused value is also removed from the data the form shows again, so that re-rendering the
invalid form (a widget that looks the value up) cannot reach the database with it. A test
(tests/core/test_forms.py) checks that every form class of the project uses these bases; see
docs/security.md.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; lone surrogates
# (JSON can carry them, no database stores them).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
LINE_BREAKS = re.compile("[\r\n\u2028\u2029]")
MAX_ID = 2**63 - 1
MIN_ID = -(2**63)
SINGLE_LINE_MAX_LENGTH = 1_000
MULTI_LINE_MAX_LENGTH = 30_000
MAX_VALUES = 500
# RFC 5321's longest address; a longer one would be cut by the database, and mail sent to the
# cut address.
EMAIL_MAX_LENGTH = 254
INTEGER = re.compile(r"\s*[+-]?\d+\s*")
SINGLE_LINE_WIDGETS = (
    forms.TextInput,
    forms.EmailInput,
    forms.URLInput,
    forms.NumberInput,
    forms.PasswordInput,
    forms.DateInput,
    forms.TimeInput,
    forms.DateTimeInput,
)

CONTROL_MESSAGE = _("This field contains control characters (such as NUL): remove them.")
LINE_BREAK_MESSAGE = _("This field takes a single line.")
TOO_LONG_MESSAGE = ngettext_lazy(
    "Ensure this value has at most %(limit)d character (it has %(length)d).",
    "Ensure this value has at most %(limit)d characters (it has %(length)d).",
    "limit",
)
TOO_MANY_MESSAGE = ngettext_lazy("At most %(limit)d value.", "At most %(limit)d values.", "limit")
OUT_OF_RANGE_MESSAGE = _("This number is out of range.")


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text))


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def validate_no_control_characters(value) -> None:
    """Validator (models, forms, imports): refuse text with control characters."""
    if isinstance(value, str) and has_control_characters(value):
        raise forms.ValidationError(CONTROL_MESSAGE, code="control_characters")


def is_integer_in_range(text: str) -> bool:
    """Whether `text` is an integer literal a signed 64-bit column can store."""
    if not INTEGER.fullmatch(text) or len(text.strip()) > 25:
        return False
    return MIN_ID <= int(text) <= MAX_ID


def text_max_length(field: forms.Field) -> int:
    """The length a field's raw value may have: its own limit, else the site's default."""
    own = getattr(field, "max_length", None)
    if isinstance(field, forms.EmailField):  # Django's default is 320
        return min(own or EMAIL_MAX_LENGTH, EMAIL_MAX_LENGTH)
    if own:
        return own
    return (
        MULTI_LINE_MAX_LENGTH
        if isinstance(field.widget, forms.Textarea)
        else SINGLE_LINE_MAX_LENGTH
    )


def _is_integer_key(field: forms.ModelChoiceField) -> bool:
    model = field.queryset.model
    key = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    while key.is_relation:  # a one-to-one primary key
        key = key.target_field
    return isinstance(key, models.IntegerField | models.AutoField)


def _bound_field(field: forms.Field) -> None:
    """Give a field the limits it lacks (once per form instance: fields are copies)."""
    if getattr(field, "_terreau_bounded", False):
        return
    field._terreau_bounded = True
    if isinstance(field, forms.CharField) and field.max_length != text_max_length(field):
        field.max_length = text_max_length(field)
        field.validators.append(MaxLengthValidator(field.max_length))
    if isinstance(field, forms.IntegerField):
        if field.max_value is None:
            field.validators.append(MaxValueValidator(MAX_ID))
        if field.min_value is None:
            field.validators.append(MinValueValidator(MIN_ID))


def screen_value(field: forms.Field, text: str) -> tuple[str, forms.ValidationError | None]:
    """A raw submitted value checked for one field: (the value to keep, the error or None)."""
    if has_control_characters(text):
        return strip_control_characters(text), forms.ValidationError(
            CONTROL_MESSAGE, code="control_characters"
        )
    if isinstance(field.widget, SINGLE_LINE_WIDGETS) and LINE_BREAKS.search(text.strip()):
        return LINE_BREAKS.sub(" ", text), forms.ValidationError(
            LINE_BREAK_MESSAGE, code="line_break"
        )
    limit = text_max_length(field) if isinstance(field, forms.CharField) else SINGLE_LINE_MAX_LENGTH
    if len(text) > limit:
        return text[:limit], forms.ValidationError(
            TOO_LONG_MESSAGE,
            code="max_length",
            params={"limit": limit, "length": len(text)},
        )
    if (
        isinstance(field, forms.ModelChoiceField)
        and text.strip()
        and INTEGER.fullmatch(text)
        and not is_integer_in_range(text)
        and _is_integer_key(field)
    ):
        code = (
            "invalid_pk_value"
            if isinstance(field, forms.ModelMultipleChoiceField)
            else "invalid_choice"
        )
        return "", forms.ValidationError(
            field.error_messages[code], code=code, params={"pk": text[:30], "value": text[:30]}
        )
    if (
        isinstance(field, forms.IntegerField)
        and INTEGER.fullmatch(text)
        and not is_integer_in_range(text)
    ):
        return "", forms.ValidationError(OUT_OF_RANGE_MESSAGE, code="max_value")
    return text, None


PHONE_CHARACTERS = frozenset("0123456789 +.-()")
PHONE_MESSAGE = _("Enter a phone number (digits, spaces, + . - and brackets).")


def validate_phone(value: str) -> None:
    """A phone number: digits, spaces, + . - and brackets, at least six digits (no line break,
    no markup: it ends up in e-mails, exports and badges)."""
    if value and (not set(value) <= PHONE_CHARACTERS or sum(c.isdigit() for c in value) < 6):
        raise forms.ValidationError(PHONE_MESSAGE, code="phone")


class PhoneField(forms.CharField):
    """A phone number, checked by `validate_phone`."""

    default_validators = [validate_phone]
    widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)


class HardenedFormMixin:
    """Screens the submitted data before the fields are cleaned (see the module docstring)."""

    def _field_keys(self, data, name: str) -> list[str]:
        html_name = self.add_prefix(name)
        return [key for key in data if key == html_name or key.startswith(html_name + "_")]

    def _screen_data(self) -> dict:
        data = self.data
        getlist = getattr(data, "getlist", None)
        copy = data.copy() if getlist else dict(data)
        errors = {}
        for name, field in self.fields.items():
            _bound_field(field)
            if isinstance(field, forms.FileField):
                continue
            for key in self._field_keys(data, name):
                if getlist:
                    values, many = getlist(key), True
                else:
                    raw = data[key]
                    many = isinstance(raw, list | tuple)
                    values = list(raw) if many else [raw]
                if len(values) > MAX_VALUES:
                    values = values[:MAX_VALUES]
                    errors.setdefault(
                        name,
                        forms.ValidationError(
                            TOO_MANY_MESSAGE, code="max_values", params={"limit": MAX_VALUES}
                        ),
                    )
                kept = []
                for value in values:
                    if isinstance(value, str):
                        value, error = screen_value(field, value)
                        if error is not None:
                            errors.setdefault(name, error)
                    kept.append(value)
                if getlist:
                    copy.setlist(key, kept)
                else:
                    copy[key] = kept if many else kept[0]
        if errors:
            self.data = copy
        return errors

    def full_clean(self):
        errors = self._screen_data() if self.is_bound and self.data is not None else {}
        super().full_clean()
        if not errors or not hasattr(self, "cleaned_data"):
            return
        for name, error in errors.items():
            # The screen's message replaces what the field said about the neutralised value.
            self._errors.pop(name, None)
            self.cleaned_data.pop(name, None)
            self.add_error(name, error)


class Form(HardenedFormMixin, forms.Form):
    """The base of every plain form of the site."""


class ModelForm(HardenedFormMixin, forms.ModelForm):
    """The base of every model form of the site."""


def harden(form_class: type) -> type:
    """The same form class with the screen mixed in (for forms that third-party code builds)."""
    if issubclass(form_class, HardenedFormMixin):
        return form_class
    return type(
        form_class.__name__, (HardenedFormMixin, form_class), {"__module__": form_class.__module__}
    )


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on a form: each error on its field where the form has
    that field, above the form otherwise (the error summary lists both)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)
