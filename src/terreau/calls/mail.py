"""E-mails of the calls app: acknowledgement, deadline reminder and outcome, in French first.

Sent with Django's ordinary API inside the caller's transaction (the site's e-mail backend is an
outbox delivered by the worker), never from a view."""

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from terreau.core.markdown import markdown_to_text

from .models import Application, Call


def _message(template: str, context: dict, to: str) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"calls/email/{template}_subject.txt", context)
        body = render_to_string(f"calls/email/{template}.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[to])


def _context(application: Application) -> dict:
    return {
        "application": application,
        "call": application.call,
        "application_url": settings.SITE_URL + application.get_absolute_url(),
        "call_url": settings.SITE_URL + application.call.get_absolute_url(),
        "selection_text": markdown_to_text(application.call.selection_text),
    }


def application_acknowledge(*, application: Application) -> None:
    _message("submitted", _context(application), application.applicant_email).send()


def outcome_send(*, application_ids: list[int]) -> None:
    """Each applicant's outcome (selected, waiting list, not selected) with the call's reasons."""
    applications = Application.objects.select_related("call").filter(pk__in=application_ids)
    messages = [
        _message(f"outcome_{application.state}", _context(application), application.applicant_email)
        for application in applications
        if application.state in {"selected", "waiting_list", "not_selected"}
    ]
    if messages:
        mailers.default.send_messages(messages)


def reminder_send(*, call: Call, application_ids: list[int]) -> None:
    applications = Application.objects.select_related("call").filter(pk__in=application_ids)
    messages = [
        _message(
            "reminder",
            _context(application)
            | {"apply_url": settings.SITE_URL + reverse("calls:apply", kwargs={"slug": call.slug})},
            application.applicant_email,
        )
        for application in applications
    ]
    if messages:
        mailers.default.send_messages(messages)
