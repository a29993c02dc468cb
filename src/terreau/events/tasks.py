"""Background jobs of the events app (Django's tasks framework): they take ids, call a service."""

from django.tasks import task


@task
def send_certificate(registration_id: int) -> None:
    """E-mail one attendee their certificate (queued in bulk by `event_certificates_send`)."""
    from terreau.events.models import Registration
    from terreau.events.services.onsite import certificate_send

    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is not None:
        certificate_send(registration=registration)


# workshop assignment


@task()
def send_assignment_emails(registration_ids: list[int], kind: str) -> None:
    """Each participant's workshops ("programme"), or their new seat ("changed")."""
    from .mail.assignment import assignment_email_send

    assignment_email_send(registration_ids=registration_ids, kind=kind)


# programme


@task()
def send_event_cancelled(event_id: int, message: str) -> None:
    """Tell every registrant that an event is cancelled (queued by `event_cancel`)."""
    from terreau.events.models import Event
    from terreau.events.services.programme import event_cancellation_notify

    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        event_cancellation_notify(event=event, message=message)


# registration


@task()
def send_registration_email(registration_id: int, kind: str, language: str = "fr") -> None:
    """E-mail one registrant about their registration (kind: confirmed, promoted, …)."""
    from .mail.registration import registration_email_send

    registration_email_send(registration_id=registration_id, kind=kind, language=language)


@task()
def send_registration_emails(registration_ids: list[int], kind: str, language: str = "fr") -> None:
    """The same kind of e-mail to several registrants (survey invitations)."""
    from .mail.registration import registration_email_send

    for registration_id in registration_ids:
        registration_email_send(registration_id=registration_id, kind=kind, language=language)


@task()
def send_segment_email(registration_ids: list[int], subject: str, body: str) -> None:
    """A message written by staff to a segment of registrants, one e-mail each."""
    from .mail.registration import segment_email_send

    segment_email_send(registration_ids=registration_ids, subject=subject, body=body)


# printed documents


@task()
def build_event_document(document_id: int) -> None:
    """Draw a large printed document requested by staff (queued by `event_document_request`)."""
    from terreau.events.models import EventDocument
    from terreau.events.services.onsite import event_document_build

    document = EventDocument.objects.select_related("event").filter(pk=document_id).first()
    if document is not None and document.is_pending:
        event_document_build(document=document)
