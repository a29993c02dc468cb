"""E-mails of the workshop assignment: each participant's workshops, round by round."""

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.utils import translation

from ..models import Registration
from ..selectors.assignment import personal_workshops

KINDS = {"programme", "changed"}


def assignment_email_send(*, registration_ids: list[int], kind: str) -> int:
    """Send `kind` ("programme": after the assignment; "changed": a seat from a waiting list)."""
    if kind not in KINDS:
        return 0
    registrations = Registration.objects.select_related("event").filter(pk__in=registration_ids)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for registration in registrations.order_by("pk"):
            context = {
                "registration": registration,
                "event": registration.event,
                "workshops": personal_workshops(registration=registration),
                "changed": kind == "changed",
                "site_name": settings.SITE_NAME,
            }
            subject = render_to_string("events/assignment/email/programme_subject.txt", context)
            body = render_to_string("events/assignment/email/programme.txt", context)
            messages.append(
                EmailMessage(subject=" ".join(subject.split()), body=body, to=[registration.email])
            )
    if messages:
        mailers.default.send_messages(messages)
    return len(messages)
