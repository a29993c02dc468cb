"""Writes for the day of the event and after: check-in, walk-ins, attendance, certificates,
report-backs and the event's outputs.

Check-in is built for several staff tapping at once: each tap touches one attendance row
(created or deleted, idempotent thanks to a unique constraint) and updates the registration's
check-in columns with a single-row UPDATE, never a read-modify-write `save()` of the whole row,
so no tap can overwrite another change.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from terreau.core import uploads
from terreau.core.tasks import task_enqueue_atomic
from terreau.directory.selectors import person_for_email
from terreau.events import hours
from terreau.events.models import (
    Attendance,
    AttendanceRecord,
    Event,
    EventDay,
    EventDocument,
    EventFile,
    Registration,
    RegistrationStatus,
    Session,
    WorkshopReport,
)
from terreau.events.selectors import onsite as selectors

logger = logging.getLogger(__name__)


def _check_half_day(*, registration: Registration, day: EventDay, half: str) -> None:
    if day.event_id != registration.event_id:
        raise ValidationError({"day": _("This day is not one of the event's days.")})
    if half not in hours.half_spans(day.starts_at, day.ends_at):
        raise ValidationError({"half": _("The event does not run during this half-day.")})


def attendance_check_in(
    *, registration: Registration, day: EventDay, half: str, by=None
) -> AttendanceRecord:
    """Record that a confirmed registrant is present for a half-day (idempotent).

    Side effects: sets the registration's `checked_in_at` (first check-in only) and its
    attendance to "attended", with single-row UPDATEs.
    """
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(
            {"registration": _("Only a confirmed registration can be checked in.")}
        )
    _check_half_day(registration=registration, day=day, half=half)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record, _created = AttendanceRecord.objects.get_or_create(
                    registration=registration, day=day, half=half, defaults={"recorded_by": by}
                )
        except IntegrityError:
            # Another member of staff tapped the same person at the same moment.
            record = AttendanceRecord.objects.get(registration=registration, day=day, half=half)
        now = timezone.now()
        Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
            checked_in_at=now
        )
        Registration.objects.filter(pk=registration.pk).exclude(
            attendance=Attendance.ATTENDED
        ).update(attendance=Attendance.ATTENDED, updated_at=now)
    return record


def attendance_undo(*, registration: Registration, day: EventDay, half: str, by=None) -> None:
    """Take back a check-in for a half-day (idempotent: nothing happens when there was none).

    Side effects: when no half-day is left, the registration is no longer checked in and its
    attendance returns to "not recorded" (one conditional UPDATE, safe against a concurrent tap).
    """
    _check_half_day(registration=registration, day=day, half=half)
    with transaction.atomic():
        AttendanceRecord.objects.filter(registration=registration, day=day, half=half).delete()
        Registration.objects.filter(pk=registration.pk).exclude(
            Exists(AttendanceRecord.objects.filter(registration=OuterRef("pk")))
        ).update(checked_in_at=None, attendance=Attendance.UNKNOWN, updated_at=timezone.now())


def registration_create_walk_in(
    *,
    event: Event,
    day: EventDay,
    half: str,
    first_name: str,
    last_name: str,
    email: str,
    employer: str = "",
    job_title: str = "",
    actor_category: str = "",
    override_capacity: bool = False,
    by=None,
) -> Registration:
    """Register someone who turns up on the day: confirmed at once and checked in.

    Unlike `registration_create`, the registration window, the approval step, the audience
    rule and the event's questions do not apply (staff are at the door); the event's capacity
    does (the event row is locked, so two walk-ins cannot take the last seat together) unless
    staff override it knowingly.
    Side effects: the confirmation e-mail with the personal link (queued after the commit).
    """
    from terreau.events.tasks import send_registration_email

    email = email.strip().lower()
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        live = Registration.objects.filter(event=locked).exclude(
            status=RegistrationStatus.CANCELLED
        )
        existing = live.filter(email__iexact=email).first()
        if existing is not None:
            raise ValidationError(
                {
                    "email": _(
                        "%(name)s is already registered with this e-mail (%(status)s): "
                        "search for them in the list instead."
                    )
                    % {"name": existing.full_name, "status": existing.get_status_display()}
                }
            )
        if locked.capacity is not None and not override_capacity:
            confirmed = live.filter(status=RegistrationStatus.CONFIRMED).count()
            if confirmed >= locked.capacity:
                raise ValidationError(
                    {
                        "override_capacity": _(
                            "The event is full (confirmed: %(confirmed)s, capacity: "
                            "%(capacity)s). Tick “register over capacity” to register this "
                            "person anyway."
                        )
                        % {"confirmed": confirmed, "capacity": locked.capacity}
                    }
                )
        registration = Registration(
            event=locked,
            person=person_for_email(email),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email,
            employer=employer.strip(),
            job_title=job_title.strip(),
            actor_category=actor_category,
            status=RegistrationStatus.CONFIRMED,
        )
        registration.full_clean(exclude=["token"])
        registration.save()
        attendance_check_in(registration=registration, day=day, half=half, by=by)
        language = translation.get_language() or settings.LANGUAGE_CODE
        task_enqueue_atomic(send_registration_email, registration.pk, "confirmed", language)
    registration.refresh_from_db()
    return registration


def registration_mark_no_show(*, registration: Registration, by=None) -> Registration:
    """Record that a confirmed registrant did not come (only once the event has started).

    Side effects: their attendance records, if any, are removed.
    """
    if not selectors.event_has_started(event=registration.event):
        raise ValidationError(_("No-shows are recorded once the event has started."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Only a confirmed registration can be marked as a no-show."))
    with transaction.atomic():
        AttendanceRecord.objects.filter(registration=registration).delete()
        Registration.objects.filter(pk=registration.pk).update(
            attendance=Attendance.NO_SHOW, checked_in_at=None, updated_at=timezone.now()
        )
    registration.refresh_from_db()
    return registration


def event_attendance_close(*, event: Event, by=None) -> dict[str, int]:
    """After the event: every confirmed registrant never checked in becomes a no-show (through
    `registration_mark_no_show`, the one rule for it); those checked in already count as
    attended. Returns the two counts.
    """
    if not selectors.event_has_started(event=event):
        raise ValidationError(_("Attendance is closed once the event has started."))
    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    was_there = Exists(AttendanceRecord.objects.filter(registration=OuterRef("pk")))
    absent = list(confirmed.exclude(was_there).exclude(attendance=Attendance.NO_SHOW))
    with transaction.atomic():
        for registration in absent:
            registration_mark_no_show(registration=registration, by=by)
    return {
        "attended": confirmed.filter(was_there).count(),
        "no_show": confirmed.filter(attendance=Attendance.NO_SHOW).count(),
    }


def certificate_render(*, registration: Registration) -> bytes:
    """The certificate of an attendee, as PDF bytes (raises ValidationError otherwise)."""
    from terreau.events.documents.pdf import render_pdf

    if not selectors.registration_is_certificate_eligible(registration=registration):
        raise ValidationError(_("Certificates are issued to people recorded as present."))
    data = selectors.certificate_data(registration=registration)
    return render_pdf(
        "events/pdf/certificate.html",
        {"data": data, "pdf_title": f"{data.title} — {data.event.title}"},
        stylesheets=("events/pdf/certificate.css",),
    )


def certificate_filename(*, registration: Registration) -> str:
    return f"attestation-{slugify(registration.event.slug)[:60]}-{registration.pk}.pdf"


def certificate_send(*, registration: Registration) -> None:
    """E-mail an attendee their certificate, as a PDF attachment, in the site's language.

    Side effects: one e-mail.
    """
    with translation.override(settings.LANGUAGE_CODE):
        content = certificate_render(registration=registration)
        event = registration.event
        subject = _("Your certificate — %(event)s") % {"event": event.title}
        body = _(
            "Hello %(name)s,\n\nThank you for taking part in “%(event)s”. "
            "Your certificate is attached to this message; you can also download it again "
            "from your registration's page:\n%(url)s\n\nThe organising team"
        ) % {
            "name": registration.first_name,
            "event": event.title,
            "url": selectors.certificate_url(registration=registration),
        }
    message = EmailMessage(subject=subject, body=body, to=[registration.email])
    message.attach(certificate_filename(registration=registration), content, "application/pdf")
    message.send()


def event_certificates_send(*, event: Event, by=None) -> int:
    """Queue one e-mail with the certificate for every attendee; returns how many.

    Side effects: one `send_certificate` task per attendee, queued after the transaction commits.
    """
    from terreau.events.tasks import send_certificate

    if not selectors.event_has_started(event=event):
        raise ValidationError(_("Certificates are sent once the event has started."))
    ids = list(selectors.event_certificate_recipients(event=event).values_list("pk", flat=True))
    for registration_id in ids:
        task_enqueue_atomic(send_certificate, registration_id)
    return len(ids)


def workshop_report_save(
    *, session: Session, recommendations: str, notes: str, is_published: bool, by=None
) -> WorkshopReport:
    """Write a workshop's report-back; publishing it shows it on the event's page."""
    with transaction.atomic():
        report, _created = WorkshopReport.objects.select_for_update().get_or_create(session=session)
        report.recommendations = recommendations.strip()
        report.notes = notes.strip()
        if is_published and not (report.recommendations or report.notes):
            raise ValidationError(
                {"recommendations": _("Write recommendations or notes before publishing.")}
            )
        if is_published and not report.is_published:
            report.published_at = timezone.now()
        report.is_published = is_published
        report.updated_by = by
        report.full_clean()
        report.save()
    return report


def event_file_add(
    *,
    event: Event,
    upload,
    title: str,
    alt_text: str = "",
    session: Session | None = None,
    by=None,
) -> EventFile:
    """Attach a photo or a PDF document to an event (or to one of its workshops' report-backs).

    The file's type is read from its content; photos need a text alternative.
    """
    if session is not None and session.slot.day.event_id != event.pk:
        raise ValidationError({"session": _("This workshop belongs to another event.")})
    try:
        kind = uploads.validate_upload(upload, documents=uploads.PDF_ONLY)
    except ValidationError as error:
        raise ValidationError({"file": error.messages})
    kind = EventFile.Kind.PHOTO if kind == uploads.IMAGE else EventFile.Kind.DOCUMENT
    if kind == EventFile.Kind.PHOTO and not alt_text.strip():
        raise ValidationError(
            {"alt_text": _("Describe what the photo shows, for people who cannot see it.")}
        )
    item = EventFile(
        event=event,
        session=session,
        kind=kind,
        file=upload,
        title=title.strip(),
        alt_text=alt_text.strip(),
        size=upload.size,
        uploaded_by=by,
    )
    item.full_clean(exclude=["file"])
    with transaction.atomic():
        item.save()
    return item


def event_file_delete(*, item: EventFile, by=None) -> None:
    """Remove a photo or document and its stored file."""
    storage, name = item.file.storage, item.file.name
    with transaction.atomic():
        item.delete()
        transaction.on_commit(lambda: storage.delete(name))


# A request still pending after this long is taken as lost (a worker restarted): asking again
# queues a new one instead of waiting for it.
DOCUMENT_PENDING_TIMEOUT = dt.timedelta(minutes=10)


def event_document_request(
    *, event: Event, kind: str, day: EventDay | None = None, half: str = "", by=None
) -> EventDocument:
    """Ask for a large printed document to be drawn in the background; returns the request.

    A request for the same document still pending (for less than `DOCUMENT_PENDING_TIMEOUT`)
    is returned instead of queueing a second one, so a double click draws it once.
    Side effects: one `build_event_document` task, queued after the transaction commits.
    """
    from terreau.events.tasks import build_event_document

    if kind not in EventDocument.Kind.values:
        raise ValidationError({"kind": _("Unknown document.")})
    if kind == EventDocument.Kind.BADGES and (day is not None or half):
        raise ValidationError({"day": _("Badges are not printed per day.")})
    if kind == EventDocument.Kind.SIGN_IN_SHEET:
        if day is None or day.event_id != event.pk:
            raise ValidationError({"day": _("This day is not one of the event's days.")})
        if not selectors.event_sign_in_sheet_half_days(event=event, day=day.pk, half=half or None):
            raise ValidationError({"half": _("The event does not run during this half-day.")})
    with transaction.atomic():
        # One request at a time per event, so two members of staff cannot queue it twice.
        Event.objects.select_for_update().filter(pk=event.pk).first()
        pending = (
            EventDocument.objects.filter(
                event=event,
                kind=kind,
                day=day,
                half=half,
                state=EventDocument.State.PENDING,
                requested_at__gte=timezone.now() - DOCUMENT_PENDING_TIMEOUT,
            )
            .order_by("-requested_at")
            .first()
        )
        if pending is not None:
            return pending
        document = EventDocument.objects.create(
            event=event,
            kind=kind,
            day=day,
            half=half,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            requested_by=by,
        )
        task_enqueue_atomic(build_event_document, document.pk)
    return document


def event_document_build(*, document: EventDocument) -> EventDocument:
    """Draw a requested document from the event's current data and store its file.

    Side effects: a PDF written to the default storage; older ready copies of the same document
    are removed (rows at once, files after the commit). A failure is logged and leaves the
    request "failed", so staff see it and can ask again.
    """
    from terreau.events.documents import onsite as documents

    try:
        with translation.override(document.language):
            content, stem = documents.event_document_render(document=document)
    except Exception:
        logger.exception("Drawing %s failed", document)
        EventDocument.objects.filter(pk=document.pk).update(
            state=EventDocument.State.FAILED, finished_at=timezone.now()
        )
        document.refresh_from_db()
        return document
    document.file.save(f"{stem}.pdf", ContentFile(content), save=False)
    document.filename = f"{slugify(stem)[:190] or 'document'}.pdf"
    document.state = EventDocument.State.READY
    document.finished_at = timezone.now()
    with transaction.atomic():
        document.save(update_fields=["file", "filename", "state", "finished_at"])
        older = (
            EventDocument.objects.filter(
                event=document.event_id,
                kind=document.kind,
                day=document.day_id,
                half=document.half,
                requested_at__lte=document.requested_at,
            )
            .exclude(pk=document.pk)
            .exclude(state=EventDocument.State.PENDING)
        )
        names = [name for name in older.values_list("file", flat=True) if name]
        older.delete()
        storage = document.file.storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return document
