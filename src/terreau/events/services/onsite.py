"""Writes for the day of the event and after: check-in, walk-ins, attendance, certificates,
report-backs and the event's outputs.

Check-in is built for several staff tapping at once: each tap touches one attendance row
(created or deleted, idempotent thanks to a unique constraint) and updates the registration's
check-in columns with a single-row UPDATE, never a read-modify-write `save()` of the whole row,
so no tap can overwrite another change.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from terreau.events import hours, uploads
from terreau.events.models import (
    Attendance,
    AttendanceRecord,
    Event,
    EventDay,
    EventFile,
    Registration,
    RegistrationStatus,
    Session,
    WorkshopReport,
)
from terreau.events.selectors import onsite as selectors


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
        from terreau.directory.models import Person

        registration = Registration(
            event=locked,
            person=Person.objects.filter(email__iexact=email).first() if email else None,
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
        transaction.on_commit(
            lambda: send_registration_email.enqueue(registration.pk, "confirmed", language)
        )
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
    from terreau.events.pdf import render_pdf

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
        transaction.on_commit(
            lambda registration_id=registration_id: send_certificate.enqueue(registration_id)
        )
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
        kind = uploads.upload_kind(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages})
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
