"""Registration writes: sign-up, approval, waiting list, cancellation, attendance, payment, survey.

Every state change of a registration goes through one function here. Capacity holds under
concurrent sign-ups because each function that may take a seat locks the event row first
(`SELECT … FOR UPDATE` on PostgreSQL; on SQLite the IMMEDIATE transaction mode set in settings
serialises writers) and counts the seats inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terreau.core.tasks import task_enqueue_atomic
from terreau.directory.models import OrganisationKind
from terreau.directory.selectors import person_for_email

from ..models import (
    Answer,
    Attendance,
    Audience,
    Event,
    EventOption,
    EventState,
    PaymentStatus,
    Question,
    Registration,
    RegistrationAction,
    RegistrationStatus,
    Tariff,
    WorkshopChoice,
)
from ..rules import event_has_not_ended, event_has_not_started, registration_is_live
from ..selectors.onsite import event_half_days, event_has_ended, event_has_started
from ..selectors.registration import RegistrationFormSpec, event_registration_form_spec
from .actions import registration_action_record
from .assignment import assignment_place, assignment_release

# Employers a "public-service professionals only" event accepts.
PUBLIC_EMPLOYER_KINDS = frozenset(
    {
        OrganisationKind.COMMUNE,
        OrganisationKind.EPCI,
        OrganisationKind.DEPARTMENT,
        OrganisationKind.REGION,
        OrganisationKind.STATE_SERVICE,
        OrganisationKind.PUBLIC_BODY,
    }
)
MAX_RANKED_CHOICES = 3
# Bulk actions of the staff table, each an existing service applied to every ticked row.
BULK_ACTIONS = [
    ("approve", gettext_lazy("Confirm (pending registrations)")),
    ("waitlist", gettext_lazy("Move to the waiting list")),
    ("paid", gettext_lazy("Mark as paid")),
    ("cancel", gettext_lazy("Cancel")),
    ("email", gettext_lazy("E-mail them")),
]
BULK_LIMIT = 500  # rows one action may take: ten pages of the table
MAX_ANSWER_LENGTH = 5000
LIVE_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
)


class AlreadyRegistered(ValidationError):
    """The e-mail already has a live registration for the event (nothing was saved)."""

    def __init__(self, registration: Registration):
        self.registration = registration
        super().__init__(
            {
                "email": ValidationError(
                    _(
                        "You are already registered for this event with this e-mail address. "
                        "Use the link in your confirmation e-mail to view or change it, or ask for "
                        "it again with “Get your link again” above the form."
                    ),
                    code="duplicate",
                )
            }
        )


@dataclass
class RegistrationData:
    """What a registrant submits; the form builds it, services validate it again."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    employer: str = ""
    employer_kind: str = ""
    job_title: str = ""
    actor_category: str = ""
    tariff: Tariff | None = None
    options: list[EventOption] = field(default_factory=list)
    dietary_needs: str = ""
    accessibility_needs: str = ""
    consent: bool = False
    is_listed: bool = False
    invitation_code: str = ""
    # question id → value (str, list[str] or bool)
    answers: dict[int, object] = field(default_factory=dict)
    # slot id → session ids in rank order (first choice first)
    choices: dict[int, list[int]] = field(default_factory=dict)


# --- window and capacity -------------------------------------------------------------------


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def registration_closed_reason(event: Event, *, now=None, confirmed: int | None = None) -> str:
    """Why new registrations are refused right now ("" when they are accepted)."""
    now = now or timezone.now()
    if event.state != EventState.PUBLISHED:
        return _("This event is not open for registration.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Registration has not opened yet.")
    if event.registration_closes_at and now >= event.registration_closes_at:
        return _("Registration is closed.")
    if event.ends_at and now >= event.ends_at:
        return _("Registration is closed: the event is over.")
    if now >= event.starts_at:
        return _("Registration is closed: the event has started.")
    if (
        event.capacity is not None
        and not event.has_waiting_list
        and (_confirmed_count(event) if confirmed is None else confirmed) >= event.capacity
    ):
        return _("The event is full.")
    return ""


def _lock_event(event: Event) -> Event:
    """Lock the event row until the end of the transaction (serialises seat-taking writers)."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _has_free_seat(event: Event) -> bool:
    return event.capacity is None or _confirmed_count(event) < event.capacity


# --- validation of the submitted data ------------------------------------------------------


def _validate_audience(event: Event, data: RegistrationData, errors: dict) -> None:
    if event.audience == Audience.PROFESSIONALS:
        if not data.employer.strip():
            errors.setdefault("employer", []).append(
                _("This event is for public-service professionals: give your employer.")
            )
        if not data.employer_kind:
            errors.setdefault("employer_kind", []).append(
                _("This event is for public-service professionals: give your employer's kind.")
            )
        elif data.employer_kind not in PUBLIC_EMPLOYER_KINDS:
            errors.setdefault("employer_kind", []).append(
                _(
                    "This event is reserved for public-service professionals (local authorities, "
                    "State services, public bodies); your employer's kind is not accepted."
                )
            )
    elif event.audience == Audience.GROUP_MEMBERS:
        from ..audiences import is_group_member

        if not is_group_member(event, data.email.strip().lower()):
            errors.setdefault("email", []).append(
                _(
                    "This event is for the members of its group: this e-mail is not one of "
                    "theirs. Members are registered by the group's facilitator."
                )
            )
    elif event.audience == Audience.INVITATION:
        expected = event.invitation_code.strip().casefold()
        if not expected or data.invitation_code.strip().casefold() != expected:
            errors.setdefault("invitation_code", []).append(
                _("This event is by invitation only: the invitation code is not valid.")
            )


def _validate_answers(
    questions: Iterable[Question], answers: Mapping[int, object], errors: dict
) -> dict[int, object]:
    """Clean answers against the questions; return question id → stored value."""
    cleaned: dict[int, object] = {}
    for question in questions:
        key = f"question_{question.pk}"
        value = answers.get(question.pk)
        if question.kind == Question.Kind.YES_NO:
            if value in (None, ""):
                if question.is_required:
                    errors.setdefault(key, []).append(_("This field is required."))
                continue
            cleaned[question.pk] = bool(value) and value not in ("no", "false", "0")
            continue
        if question.kind == Question.Kind.MULTIPLE:
            values = [str(v) for v in (value or [])]
            if any(v not in question.choice_list for v in values):
                errors.setdefault(key, []).append(_("Choose among the proposed answers."))
                continue
            if not values and question.is_required:
                errors.setdefault(key, []).append(_("This field is required."))
                continue
            if values:
                cleaned[question.pk] = values
            continue
        text = str(value or "").strip()
        if not text:
            if question.is_required:
                errors.setdefault(key, []).append(_("This field is required."))
            continue
        if question.kind == Question.Kind.CHOICE and text not in question.choice_list:
            errors.setdefault(key, []).append(_("Choose among the proposed answers."))
            continue
        if len(text) > MAX_ANSWER_LENGTH:
            errors.setdefault(key, []).append(
                _("Answer in at most %(limit)s characters (this answer has %(length)s).")
                % {"limit": MAX_ANSWER_LENGTH, "length": len(text)}
            )
            continue
        cleaned[question.pk] = text
    return cleaned


def _validate_choices(
    spec: RegistrationFormSpec, choices: Mapping[int, list[int]], errors: dict
) -> list[tuple[int, int]]:
    """Check ranked choices: sessions of this event's round slots only, no repeats.

    Return (session id, rank) pairs.
    """
    sessions = {s.pk: s for r in spec.rounds for s in r.sessions}
    round_slots = {s.slot_id for s in sessions.values()}
    pairs: list[tuple[int, int]] = []
    for slot_id, session_ids in choices.items():
        key = f"round_{slot_id}"
        ids = [int(pk) for pk in session_ids if pk not in (None, "")]
        if slot_id not in round_slots:
            if ids:
                errors.setdefault(key, []).append(
                    _("This round does not belong to the event's programme.")
                )
            continue
        if len(ids) > MAX_RANKED_CHOICES:
            errors.setdefault(key, []).append(_("Rank at most three workshops."))
            continue
        if len(set(ids)) != len(ids):
            errors.setdefault(key, []).append(_("Choose a different workshop for each rank."))
            continue
        if any(pk not in sessions or sessions[pk].slot_id != slot_id for pk in ids):
            errors.setdefault(key, []).append(
                _("A chosen workshop does not belong to this round of the event.")
            )
            continue
        pairs.extend((pk, rank) for rank, pk in enumerate(ids, start=1))
    return pairs


def _validate_options(
    event: Event, spec: RegistrationFormSpec, data: RegistrationData, errors: dict
) -> None:
    if data.tariff is not None and data.tariff.event_id != event.pk:
        errors.setdefault("tariff", []).append(_("Choose one of this event's tariffs."))
    elif data.tariff is None and len(spec.tariffs) > 1:
        errors.setdefault("tariff", []).append(_("Choose a tariff."))
    if any(option.event_id != event.pk for option in data.options):
        errors.setdefault("options", []).append(_("Choose among this event's options."))


def _validate_person(data: RegistrationData, errors: dict, *, with_consent: bool) -> None:
    for name in ("first_name", "last_name", "email"):
        if not getattr(data, name).strip():
            errors.setdefault(name, []).append(_("This field is required."))
    if with_consent and not data.consent:
        errors.setdefault("consent", []).append(
            _("You must agree to the processing of your data to register.")
        )


def _validate_registration(
    event: Event, data: RegistrationData, *, with_consent: bool
) -> tuple[RegistrationFormSpec, dict[int, object], list[tuple[int, int]]]:
    """Check a registration's data against the event's form: (form spec, answers, choices).

    Raises ValidationError with a key per field (nothing is saved).
    """
    errors: dict = {}
    _validate_person(data, errors, with_consent=with_consent)
    _validate_audience(event, data, errors)
    spec = event_registration_form_spec(event)
    _validate_options(event, spec, data, errors)
    answers = _validate_answers(spec.questions, data.answers, errors)
    pairs = _validate_choices(spec, data.choices, errors)
    _raise(errors)
    return spec, answers, pairs


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(
            {key: [ValidationError(m) for m in messages] for key, messages in errors.items()}
        )


def _save_details(
    registration: Registration, data: RegistrationData, *, answers, pairs, is_new=False
) -> None:
    if is_new:
        if data.options:
            registration.options.add(*data.options)
    else:
        registration.options.set(data.options)
        Answer.objects.filter(
            registration=registration, question__purpose=Question.Purpose.REGISTRATION
        ).delete()
        registration.choices.all().delete()
    Answer.objects.bulk_create(
        Answer(registration=registration, question_id=qid, value=value)
        for qid, value in answers.items()
    )
    WorkshopChoice.objects.bulk_create(
        WorkshopChoice(registration=registration, session_id=sid, rank=rank) for sid, rank in pairs
    )


def _notify(registration: Registration, kind: str) -> None:
    """Write the registrant's e-mail to the outbox in the current transaction (it is sent by
    the worker once the change commits, and never if it rolls back)."""
    from ..mail.registration import registration_email_send

    language = translation.get_language() or "fr"
    registration_email_send(registration_id=registration.pk, kind=kind, language=language)


# --- state changes -------------------------------------------------------------------------


def registration_create(*, event: Event, data: RegistrationData, user=None) -> Registration:
    """Register someone for an event: pending, confirmed or on the waiting list.

    Walk-ins registered by staff at the door go through `services.onsite`'s
    `registration_create_walk_in` instead.
    Side effects: matches a directory person by e-mail; e-mails the registrant (confirmation
    with the personal programme and an .ics file, or pending / waiting-list notice).
    Raises AlreadyRegistered when the e-mail has a live registration (nothing saved).
    """
    data.email = data.email.strip().lower()
    spec, answers, pairs = _validate_registration(event, data, with_consent=True)
    # Read before taking the event's lock: every sign-up waits for whoever holds it.
    person = person_for_email(data.email, user=user)

    try:
        with transaction.atomic():
            event = _lock_event(event)
            confirmed = _confirmed_count(event) if event.capacity is not None else 0
            has_seat = event.capacity is None or confirmed < event.capacity
            reason = registration_closed_reason(event, confirmed=confirmed)
            if reason:
                raise ValidationError(reason, code="closed")
            existing = (
                event.registrations.filter(email__iexact=data.email, status__in=LIVE_STATUSES)
                .order_by("pk")
                .first()
            )
            if existing is not None:
                raise AlreadyRegistered(existing)
            if event.requires_approval:
                status = RegistrationStatus.PENDING
            elif has_seat:
                status = RegistrationStatus.CONFIRMED
            elif event.has_waiting_list:
                status = RegistrationStatus.WAITLISTED
            else:
                raise ValidationError(_("The event is full."), code="full")
            tariff = data.tariff or (spec.tariffs[0] if spec.tariffs else None)
            registration = Registration.objects.create(
                event=event,
                person=person,
                first_name=data.first_name.strip(),
                last_name=data.last_name.strip(),
                email=data.email,
                phone=data.phone.strip(),
                employer=data.employer.strip(),
                employer_kind=data.employer_kind,
                job_title=data.job_title.strip(),
                actor_category=data.actor_category,
                status=status,
                tariff=tariff,
                dietary_needs=data.dietary_needs.strip(),
                accessibility_needs=data.accessibility_needs.strip(),
                consent=data.consent,
                is_listed=data.is_listed,
                payment_status=(
                    PaymentStatus.UNPAID if tariff and tariff.amount > 0 else PaymentStatus.EXEMPT
                ),
            )
            _save_details(registration, data, answers=answers, pairs=pairs, is_new=True)
            _notify(registration, status)
    except IntegrityError:
        # The partial unique index caught a duplicate the lock did not (another database).
        existing = event.registrations.filter(
            email__iexact=data.email, status__in=LIVE_STATUSES
        ).first()
        if existing is None:
            raise
        raise AlreadyRegistered(existing)
    return registration


def registration_invite(*, event: Event, person, notify: bool = True) -> Registration:
    """Register a directory person the organiser invites (a group's member to its meeting):
    confirmed at once, whatever the window, the capacity or the form. Idempotent: a live
    registration of the same e-mail is returned as it is.

    Side effects: the confirmation e-mail with the .ics file when `notify` (written to the
    outbox in the same transaction). Raises ValidationError (key `person`) when the person
    has no e-mail.
    """
    email = (person.email or "").strip().lower()
    if not email:
        raise ValidationError(
            {"person": _("%(name)s has no e-mail in the directory.") % {"name": person}}
        )
    with transaction.atomic():
        existing = (
            event.registrations.filter(email__iexact=email, status__in=LIVE_STATUSES)
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing
        registration = Registration.objects.create(
            event=event,
            person=person,
            first_name=person.first_name,
            last_name=person.last_name,
            email=email,
            job_title=person.title[:255],
            actor_category=person.actor_category,
            status=RegistrationStatus.CONFIRMED,
            consent=True,
            payment_status=PaymentStatus.EXEMPT,
        )
        if notify:
            _notify(registration, RegistrationStatus.CONFIRMED)
    return registration


def registration_update(*, registration: Registration, data: RegistrationData) -> Registration:
    """Change a live registration through its personal link (not the e-mail nor the status).

    Side effects: none (the registrant sees the change on the page).
    """
    if not registration_is_live(None, registration):
        raise ValidationError(_("This registration is cancelled."), code="cancelled")
    event = registration.event
    if not event_has_not_started(None, registration):
        raise ValidationError(
            _("The event has started: the registration can no longer be changed."),
            code="started",
        )
    data.first_name = data.first_name or registration.first_name
    data.last_name = data.last_name or registration.last_name
    data.email = registration.email
    _spec, answers, pairs = _validate_registration(event, data, with_consent=False)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        for name in (
            "first_name",
            "last_name",
            "phone",
            "employer",
            "job_title",
            "dietary_needs",
            "accessibility_needs",
        ):
            setattr(registration, name, getattr(data, name).strip())
        registration.employer_kind = data.employer_kind
        registration.actor_category = data.actor_category
        registration.is_listed = data.is_listed
        if data.tariff is not None:
            registration.tariff = data.tariff
        registration.save()
        _save_details(registration, data, answers=answers, pairs=pairs)
    return registration


def registration_approve(*, registration: Registration, by=None) -> Registration:
    """Approve a pending registration: confirmed when a seat is free, else waiting list.

    Side effects: e-mails the registrant (confirmation with programme and .ics, or waiting list).
    """
    with transaction.atomic():
        event = _lock_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.PENDING:
            raise ValidationError(_("Only a pending registration can be approved."))
        if _has_free_seat(event):
            registration.status = RegistrationStatus.CONFIRMED
        elif event.has_waiting_list:
            registration.status = RegistrationStatus.WAITLISTED
        else:
            raise ValidationError(_("The event is full."), code="full")
        registration.save(update_fields=["status", "updated_at"])
        registration_action_record(
            registration=registration,
            kind=RegistrationAction.Kind.APPROVED,
            by=by,
            detail=registration.get_status_display(),
        )
        if registration.status == RegistrationStatus.CONFIRMED:
            assignment_place(registration=registration)
        _notify(registration, registration.status)
    return registration


def registration_move_to_waitlist(*, registration: Registration, by=None) -> Registration:
    """Staff move a pending or confirmed registration to the event's waiting list (a seat kept
    for another public, say). The freed seat is not given away here: the waiting list is
    promoted when someone cancels, as always.

    Side effects: its workshop seats go to each workshop's waiting list (`assignment_release`);
    e-mails the registrant the waiting-list notice; the action log.
    """
    with transaction.atomic():
        event = _lock_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not event.has_waiting_list:
            raise ValidationError(_("This event has no waiting list."), code="no_waiting_list")
        if registration.status not in (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED):
            raise ValidationError(
                _("Only a pending or confirmed registration can be moved to the waiting list."),
                code="invalid_status",
            )
        registration.status = RegistrationStatus.WAITLISTED
        registration.save(update_fields=["status", "updated_at"])
        assignment_release(registration=registration)
        registration_action_record(
            registration=registration, kind=RegistrationAction.Kind.WAITLISTED, by=by
        )
        _notify(registration, RegistrationStatus.WAITLISTED)
    return registration


def registration_reject(*, registration: Registration, by=None) -> Registration:
    """Refuse a pending registration (it becomes cancelled).

    Side effects: e-mails the registrant that the registration was not accepted.
    """
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.PENDING:
            raise ValidationError(_("Only a pending registration can be rejected."))
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        registration_action_record(
            registration=registration, kind=RegistrationAction.Kind.REJECTED, by=by
        )
        _notify(registration, "rejected")
    return registration


def registration_cancel(*, registration: Registration, by=None) -> Registration:
    """Cancel a live registration; a freed seat goes to the first person on the waiting list.

    Side effects: frees the registration's workshop seats for each workshop's waiting list
    (`assignment_release`, which e-mails whoever moves); e-mails the registrant; promotes and
    e-mails the first waitlisted person.
    """
    with transaction.atomic():
        event = _lock_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise ValidationError(_("This registration is already cancelled."))
        if event_has_ended(event=event):
            raise ValidationError(_("The event is over: the registration can no longer change."))
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        registration_action_record(
            registration=registration, kind=RegistrationAction.Kind.CANCELLED, by=by
        )
        # Its workshop seats go to each workshop's waiting list (assignment area).
        assignment_release(registration=registration)
        _notify(registration, "cancelled")
        if was_confirmed:
            registration_promote_from_waitlist(event=event)
    return registration


def registration_promote_from_waitlist(*, event: Event) -> Registration | None:
    """Give a free seat to the first person on the waiting list (by registration time).

    Side effects: seats them in free workshop places if the assignment ran (`assignment_place`);
    e-mails the promoted person their confirmation (programme and .ics).
    """
    with transaction.atomic():
        event = _lock_event(event)
        if not _has_free_seat(event):
            return None
        registration = (
            event.registrations.select_for_update()
            .filter(status=RegistrationStatus.WAITLISTED)
            .order_by("created_at", "pk")
            .first()
        )
        if registration is None:
            return None
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        # Seated in free workshop places when the assignment has already run.
        assignment_place(registration=registration)
        _notify(registration, "promoted")
    return registration


def _require_started(registration: Registration) -> None:
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Only a confirmed registration has an attendance."))
    if not event_has_started(event=registration.event):
        raise ValidationError(_("Attendance is recorded once the event has started."))


def registration_mark_attended(*, registration: Registration, by=None) -> Registration:
    """Record after the fact that a confirmed participant attended the whole event (from its
    start): one attendance record per half-day, as a fully signed sign-in sheet would give.

    Side effects: none.
    """
    from .onsite import attendance_check_in

    _require_started(registration)
    halves = event_half_days(event=registration.event)
    with transaction.atomic():
        registration_action_record(
            registration=registration, kind=RegistrationAction.Kind.ATTENDED, by=by
        )
        for half_day in halves:
            attendance_check_in(
                registration=registration, day=half_day.day, half=half_day.half, by=by
            )
        if not halves:
            Registration.objects.filter(pk=registration.pk).update(
                attendance=Attendance.ATTENDED, updated_at=timezone.now()
            )
    registration.refresh_from_db(fields=["attendance", "checked_in_at", "updated_at"])
    return registration


def registration_set_payment(
    *,
    registration: Registration,
    payment_status: str,
    invoice_number: str = "",
    order_reference: str = "",
    by=None,
) -> Registration:
    """Record payment by administrative order: invoice number, order reference, paid/exempt.

    Side effects: none.
    """
    invoice_number, order_reference = invoice_number.strip(), order_reference.strip()
    errors: dict = {}
    if payment_status not in PaymentStatus.values:
        errors["payment_status"] = [_("Choose a payment status.")]
    for name, value in (("invoice_number", invoice_number), ("order_reference", order_reference)):
        limit = Registration._meta.get_field(name).max_length
        if len(value) > limit:
            errors[name] = [
                _("At most %(limit)s characters (this one has %(length)s).")
                % {"limit": limit, "length": len(value)}
            ]
    _raise(errors)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.payment_status = payment_status
        registration.invoice_number = invoice_number
        registration.order_reference = order_reference
        registration.save(
            update_fields=["payment_status", "invoice_number", "order_reference", "updated_at"]
        )
        registration_action_record(
            registration=registration,
            kind=RegistrationAction.Kind.PAYMENT,
            by=by,
            detail=" · ".join(
                part
                for part in (
                    registration.get_payment_status_display(),
                    invoice_number,
                    order_reference,
                )
                if part
            ),
        )
    return registration


def registration_email_segment(
    *, registrations: Iterable[Registration], subject: str, body: str, by=None
) -> int:
    """E-mail a segment of registrants (one message each, in the background).

    Side effects: queues one task that sends the messages. Returns the number of recipients.
    """
    from ..tasks import send_segment_email

    subject, body = subject.strip(), body.strip()
    errors: dict = {}
    if not subject:
        errors["subject"] = [_("This field is required.")]
    if not body:
        errors["body"] = [_("This field is required.")]
    _raise(errors)
    ids = [r.pk for r in registrations]
    if ids:
        task_enqueue_atomic(send_segment_email, ids, subject, body)
    return len(ids)


@dataclass
class BulkResult:
    done: list[Registration] = field(default_factory=list)
    skipped: list[tuple[Registration, str]] = field(default_factory=list)  # with the reason


def registration_bulk_apply(
    *, registrations: Iterable[Registration], action: str, by=None
) -> BulkResult:
    """Apply one staff action to each registration through its own service, each in its own
    transaction: one that the rule refuses (an already confirmed one to confirm, a cancelled
    one to cancel) is skipped with the reason, the others go through.

    Side effects: those of the service (e-mails of approval or cancellation, a freed seat given
    to the waiting list, the action log). "email" is not applied here: the view sends the
    selection to the segment e-mail form.
    """
    services = {
        "approve": lambda r: registration_approve(registration=r, by=by),
        "waitlist": lambda r: registration_move_to_waitlist(registration=r, by=by),
        "cancel": lambda r: registration_cancel(registration=r, by=by),
        "paid": lambda r: registration_set_payment(
            registration=r,
            payment_status=PaymentStatus.PAID,
            invoice_number=r.invoice_number,
            order_reference=r.order_reference,
            by=by,
        ),
    }
    if action not in services:
        raise ValidationError({"action": [_("Choose an action.")]})
    result = BulkResult()
    for registration in registrations:
        try:
            services[action](registration)
        except ValidationError as error:
            result.skipped.append((registration, " ".join(error.messages)))
        else:
            result.done.append(registration)
    return result


# --- questions and survey ------------------------------------------------------------------


def question_save(
    *, event: Event, question: Question | None = None, values: Mapping[str, object]
) -> Question:
    """Create or change a question of the registration form or of the survey. No side effects."""
    question = question or Question(event=event)
    if question.event_id != event.pk:
        raise ValidationError(_("This question belongs to another event."))
    for name in ("label", "kind", "choices", "is_required", "position", "purpose"):
        if name in values:
            setattr(question, name, values[name])
    if question.kind in (Question.Kind.CHOICE, Question.Kind.MULTIPLE) and not question.choice_list:
        raise ValidationError({"choices": _("Give the proposed answers, one per line.")})
    question.full_clean()
    question.save()
    return question


def question_delete(*, question: Question) -> None:
    """Delete a question and its answers. No side effects."""
    question.delete()


def survey_answer(*, registration: Registration, answers: Mapping[int, object]) -> list[Answer]:
    """Save a registrant's answers to the event's survey (replacing earlier ones).

    Side effects: none.
    """
    if not registration_is_live(None, registration):
        raise ValidationError(_("This registration is cancelled."))
    if not event_has_not_ended(None, registration):
        raise ValidationError(_("The survey is closed."))
    questions = list(registration.event.questions.filter(purpose=Question.Purpose.SURVEY))
    errors: dict = {}
    cleaned = _validate_answers(questions, answers, errors)
    _raise(errors)
    with transaction.atomic():
        Answer.objects.filter(
            registration=registration, question__purpose=Question.Purpose.SURVEY
        ).delete()
        return Answer.objects.bulk_create(
            Answer(registration=registration, question_id=qid, value=value)
            for qid, value in cleaned.items()
        )


def survey_invite(*, event: Event, by=None) -> int:
    """E-mail every confirmed or waitlisted registrant their personal link to the survey.

    Side effects: queues one task sending the invitations. Returns the number of recipients.
    """
    from ..tasks import send_registration_emails

    ids = list(
        event.registrations.filter(
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
        ).values_list("pk", flat=True)
    )
    if ids:
        language = translation.get_language() or "fr"
        task_enqueue_atomic(send_registration_emails, ids, "survey", language)
    return len(ids)
