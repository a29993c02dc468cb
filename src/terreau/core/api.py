"""Hardened bases for the site's JSON APIs (django-ninja): schemas that screen every value,
ids bounded, and error answers in one documented shape.

- `InputSchema`: the base of every input schema (body, query). Every string is refused (422,
  on its field) when it holds control characters or is longer than `MULTI_LINE_MAX_LENGTH`;
  every integer outside a signed 64-bit column; every list longer than `MAX_VALUES`.
- `Id`: the type of an id in a path or a query (`def view(request, proposal_id: Id)`).
- `terreau_api(**kwargs)`: a NinjaAPI whose 401, 404 and 422 answers have the documented
  shapes (`Message`, `Errors`); declare them on each operation with `ERRORS` (or a subset).
"""

from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext
from ninja import Field, NinjaAPI
from ninja import Schema as NinjaSchema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import field_validator

from .forms import (
    CONTROL_MESSAGE,
    MAX_ID,
    MAX_VALUES,
    MIN_ID,
    MULTI_LINE_MAX_LENGTH,
    has_control_characters,
)

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def _screen(value):
    if isinstance(value, str):
        if has_control_characters(value):
            raise ValueError(str(CONTROL_MESSAGE))
        if len(value) > MULTI_LINE_MAX_LENGTH:
            raise ValueError(
                gettext("Ensure this value has at most %(limit)d characters.")
                % {"limit": MULTI_LINE_MAX_LENGTH}
            )
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not MIN_ID <= value <= MAX_ID:
            raise ValueError(gettext("This number is out of range."))
    elif isinstance(value, list | tuple | set):
        if len(value) > MAX_VALUES:
            raise ValueError(gettext("At most %(limit)d values.") % {"limit": MAX_VALUES})
        for item in value:
            _screen(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _screen(key)
            _screen(item)


class InputSchema(NinjaSchema):
    """The base of every input schema of the site (see the module docstring); output schemas
    stay plain ninja Schemas (what the site stored was screened when it came in)."""

    @field_validator("*", mode="after")
    @classmethod
    def _screen_value(cls, value):
        _screen(value)
        return value


class Message(NinjaSchema):
    detail: str


class FieldError(NinjaSchema):
    field: str
    message: str


class Errors(NinjaSchema):
    errors: list[FieldError]


ERRORS = {400: Message, 401: Message, 404: Message, 422: Errors}


def _field_name(location) -> str:
    parts = [str(part) for part in location]
    # ("body", "payload", "title") → "title"; ("query", "page") → "page"
    if parts and parts[0] in LOCATIONS:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "filters", "data"}:
        parts = parts[1:]
    return ".".join(parts)


def _message(error: dict) -> str:
    message = str(error.get("msg", ""))
    return message.removeprefix("Value error, ")


def terreau_api(**kwargs) -> NinjaAPI:
    """A NinjaAPI with the site's error answers (see the module docstring)."""
    api = NinjaAPI(**kwargs)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc):
        errors = [
            {"field": _field_name(error.get("loc", ())), "message": _message(error)}
            for error in exc.errors
        ]
        return api.create_response(request, {"errors": errors}, status=422)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return api.create_response(
            request, {"detail": gettext("Sign in to use this operation.")}, status=401
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": gettext("Not found.")}, status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    return api
