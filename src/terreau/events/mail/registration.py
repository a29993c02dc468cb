"""E-mails to registrants: confirmation with the personal programme and an .ics file, notices."""

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.utils import translation

from terreau.core.qr import qr_png

from ..models import Registration
from ..selectors.registration import (
    registration_checkin_code,
    registration_ics,
    registration_manage_url,
    registration_personal_programme,
    registration_survey_url,
)

# kind → template name; confirmations carry the programme and the .ics file.
KINDS = {
    "confirmed": "confirmed",
    "promoted": "promoted",
    "pending": "pending",
    "waitlisted": "waitlisted",
    "cancelled": "cancelled",
    "rejected": "rejected",
    "survey": "survey",
}
WITH_PROGRAMME = {"confirmed", "promoted"}
CHECKIN_CODE_FILENAME = "check-in-code.png"


def _render(kind: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"events/registration/email/{kind}_subject.txt", context)
    body = render_to_string(f"events/registration/email/{kind}.txt", context)
    return " ".join(subject.split()), body


def registration_email_send(*, registration_id: int, kind: str, language: str = "fr") -> None:
    registration = (
        Registration.objects.select_related("event", "event__venue", "tariff")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or kind not in KINDS:
        return
    with translation.override(language):
        programme = registration_personal_programme(registration) if kind in WITH_PROGRAMME else []
        context = {
            "registration": registration,
            "event": registration.event,
            "programme": programme,
            "manage_url": registration_manage_url(registration),
            "survey_url": registration_survey_url(registration),
        }
        subject, body = _render(KINDS[kind], context)
        message = EmailMessage(subject=subject, body=body, to=[registration.email])
        if kind in WITH_PROGRAMME:
            message.attach(
                f"{registration.event.slug}.ics",
                registration_ics(registration, programme),
                "text/calendar",
            )
            # The check-in code, as on the badge: shown at the welcome desk, read by its scan.
            message.attach(
                CHECKIN_CODE_FILENAME, qr_png(registration_checkin_code(registration)), "image/png"
            )
        message.send()


def segment_email_send(*, registration_ids: list[int], subject: str, body: str) -> None:
    registrations = Registration.objects.select_related("event").filter(pk__in=registration_ids)
    messages = []
    for registration in registrations:
        with translation.override(settings.LANGUAGE_CODE):
            footer = render_to_string(
                "events/registration/email/segment_footer.txt",
                {"registration": registration, "manage_url": registration_manage_url(registration)},
            )
        messages.append(
            EmailMessage(subject=subject, body=f"{body}\n\n{footer}", to=[registration.email])
        )
    if messages:
        mailers.default.send_messages(messages)
