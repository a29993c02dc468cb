"""Writes of the programme area: events and their days, slots, sessions, speakers, rooms,
tariffs, options and questions; duplication, publication and cancellation."""

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from terreau.core.absolute import base_url
from terreau.core.dates import date_format
from terreau.core.slugs import slug_unique
from terreau.core.tasks import task_enqueue_atomic
from terreau.directory.services import person_find_or_create

from ..models import (
    Event,
    EventDay,
    EventOption,
    EventState,
    Question,
    RegistrationStatus,
    Room,
    Session,
    SessionSpeaker,
    Slot,
    Tariff,
    Venue,
)

#: Parts of an event that staff edit one by one (key used in URLs and forms).
EVENT_PARTS = {
    "day": EventDay,
    "slot": Slot,
    "session": Session,
    "speaker": SessionSpeaker,
    "room": Room,
    "tariff": Tariff,
    "option": EventOption,
    "question": Question,
}

_EVENT_M2M = ("themes", "organisers", "partners", "initiatives")
# A new edition keeps its themes and organisers; what it presents is its own.
_DUPLICATED_M2M = ("themes", "organisers", "partners")


def _assign(instance: models.Model, fields: dict) -> dict:
    """Set plain fields on an instance; return the many-to-many values for after the save."""
    m2m = {}
    for name, value in fields.items():
        if name in _EVENT_M2M:
            m2m[name] = value
        else:
            setattr(instance, name, value)
    return m2m


def _days_between(start: dt.datetime, end: dt.datetime) -> list[tuple]:
    start, end = timezone.localtime(start), timezone.localtime(end)
    days, current = [], start.date()
    while current <= end.date() and len(days) < 31:
        starts = start.time() if current == start.date() else dt.time(9, 0)
        ends = end.time() if current == end.date() else dt.time(18, 0)
        days.append((current, starts, max(starts, ends)))
        current += dt.timedelta(days=1)
    return days


def event_create(*, fields: dict) -> Event:
    """Create a draft event and one programme day per calendar date it spans.

    `fields` holds model field values (themes, organisers and partners as iterables).
    Side effects: none (a draft is visible to staff only)."""
    with transaction.atomic():
        event = Event(state=EventState.DRAFT)
        m2m = _assign(event, fields)
        if not event.slug:
            event.slug = slug_unique(model=Event, text=event.title, fallback="evenement")
        event.full_clean()
        event.save()
        for name, values in m2m.items():
            getattr(event, name).set(values)
        for date, starts, ends in _days_between(event.starts_at, event.ends_at):
            EventDay.objects.create(event=event, date=date, starts_at=starts, ends_at=ends)
        return event


def event_update(*, event: Event, fields: dict) -> Event:
    """Change an event's fields (state changes go through publish / cancel). Side effects: none."""
    with transaction.atomic():
        fields = {k: v for k, v in fields.items() if k != "state"}
        m2m = _assign(event, fields)
        event.full_clean()
        event.save()
        for name, values in m2m.items():
            getattr(event, name).set(values)
        return event


def event_publish(*, event: Event) -> Event:
    """Make a draft visible to everyone in the agenda. Side effects: none.

    A cancelled event cannot be published again; an event needs at least one day."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.state == EventState.CANCELLED:
            raise ValidationError({"state": _("A cancelled event cannot be published.")})
        if not event.days.exists():
            raise ValidationError({"days": _("Add at least one day before publishing.")})
        event.state = EventState.PUBLISHED
        event.save(update_fields=["state", "updated_at"])
        return event


def event_cancel(*, event: Event, message: str = "") -> Event:
    """Cancel an event.

    Side effects: after commit, queues the `send_event_cancelled` task, which e-mails every
    registrant (all registrations not already cancelled) with the staff's message."""
    from ..tasks import send_event_cancelled

    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.state == EventState.CANCELLED:
            raise ValidationError({"state": _("This event is already cancelled.")})
        event.state = EventState.CANCELLED
        event.save(update_fields=["state", "updated_at"])
        event_id, text = event.pk, message.strip()
        task_enqueue_atomic(send_event_cancelled, event_id, text)
        return event


def event_cancellation_notify(*, event: Event, message: str = "") -> int:
    """E-mail the cancellation notice to every registrant of a cancelled event, in French.

    Side effects: one e-mail per registration not already cancelled. Returns how many."""
    registrants = list(
        event.registrations.exclude(status=RegistrationStatus.CANCELLED).values_list(
            "first_name", "last_name", "email"
        )
    )
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Cancelled: %(title)s") % {"title": event.title}
        for first_name, last_name, email in registrants:
            body = render_to_string(
                "events/programme/email_event_cancelled.txt",
                {
                    "event": event,
                    "name": f"{first_name} {last_name}".strip(),
                    "message": message.strip(),
                    "SITE_URL": base_url(),
                },
            )
            messages.append(EmailMessage(subject, body, None, [email]))
    if messages:
        mailers.default.send_messages(messages)
    return len(messages)


def _shift(value: dt.datetime | None, days: int) -> dt.datetime | None:
    """The same local wall-clock time `days` later (stays right across daylight saving)."""
    if value is None:
        return None
    local = timezone.localtime(value)
    naive = local.replace(tzinfo=None) + dt.timedelta(days=days)
    return timezone.make_aware(naive, timezone.get_current_timezone())


def event_duplicate(*, event: Event, starts_on: dt.date, title: str = "") -> Event:
    """Deep-copy an event (e.g. last year's) as a new draft starting on `starts_on`.

    Copies days, slots, sessions with their speakers, tariffs, options, questions, themes,
    organisers and partners; every date is shifted by the same number of days, and so are the
    days that tariffs and options name ("le déjeuner du mercredi 19 novembre"). Registrations
    are not copied. Side effects: none."""
    with transaction.atomic():
        shift = (starts_on - timezone.localtime(event.starts_at).date()).days
        copy = Event.objects.get(pk=event.pk)
        copy.pk = None
        copy.title = title or event.title
        copy.slug = slug_unique(
            model=Event, text=f"{copy.title} {starts_on.year}", fallback="evenement"
        )
        copy.state = EventState.DRAFT
        copy.starts_at = _shift(event.starts_at, shift)
        copy.ends_at = _shift(event.ends_at, shift)
        copy.registration_opens_at = _shift(event.registration_opens_at, shift)
        copy.registration_closes_at = _shift(event.registration_closes_at, shift)
        copy.save()
        for name in _DUPLICATED_M2M:
            getattr(copy, name).set(getattr(event, name).all())

        day_map = {}
        for day in event.days.prefetch_related("slots__sessions__speakers"):
            old_day_pk = day.pk
            day.pk, day.event = None, copy
            day.date += dt.timedelta(days=shift)
            day.save()
            day_map[old_day_pk] = day
            for slot in Slot.objects.filter(day_id=old_day_pk).prefetch_related(
                "sessions__speakers"
            ):
                sessions = list(slot.sessions.all())
                slot.pk, slot.day = None, day
                slot.save()
                for session in sessions:
                    speakers = list(session.speakers.all())
                    session.pk, session.slot = None, slot
                    session.save()
                    for speaker in speakers:
                        speaker.pk, speaker.session = None, session
                        speaker.save()
        redate = _day_renamer(
            [(day.date - dt.timedelta(days=shift), day.date) for day in day_map.values()]
        )
        for tariff in event.tariffs.all():
            tariff.pk, tariff.event = None, copy
            tariff.label, tariff.includes = redate(tariff.label), redate(tariff.includes)
            tariff.save()
        for option in event.options.all():
            option.pk, option.event = None, copy
            option.day = day_map.get(option.day_id)
            option.label = redate(option.label)
            option.save()
        for question in event.questions.all():
            question.pk, question.event = None, copy
            question.save()
        return copy


def _day_renamer(days: list[tuple[dt.date, dt.date]]):
    """A function that rewrites, in a text, each old day's written date into its new one, in
    French and English, long forms first ("mardi 18 novembre 2014", "18 novembre"), all at once
    (a shift by one day does not rename a day twice)."""
    names: dict[str, str] = {}
    for form in ("l j F Y", "j F Y", "l j F", "j F"):
        for language in ("fr", "en"):
            with translation.override(language):
                for old, new in days:
                    after = date_format(new, form)
                    # A text may write the first of a month either way ("1 décembre", "1er").
                    for before in {formats.date_format(old, form), date_format(old, form)}:
                        names.setdefault(before, after)
                        names.setdefault(
                            before[:1].upper() + before[1:], after[:1].upper() + after[1:]
                        )
    if not names:
        return lambda text: text
    pattern = re.compile(
        r"(?<!\w)("
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r")(?!\w)"
    )
    return lambda text: pattern.sub(lambda match: names[match.group(1)], text) if text else text


def _check_belongs(event: Event, instance: models.Model) -> None:
    """Refuse a part whose links point to another event (or to another venue's room)."""
    errors = {}
    owned = isinstance(instance, EventDay | Tariff | EventOption | Question)
    if owned and instance.event_id != event.pk:
        errors[NON_FIELD_ERRORS] = _("This item belongs to another event.")
    if isinstance(instance, EventOption) and instance.day_id and instance.day.event_id != event.pk:
        errors["day"] = _("This day belongs to another event.")
    if isinstance(instance, Slot) and instance.day_id and instance.day.event_id != event.pk:
        errors["day"] = _("This day belongs to another event.")
    if isinstance(instance, Session):
        if instance.slot_id and instance.slot.day.event_id != event.pk:
            errors["slot"] = _("This time slot belongs to another event.")
        if instance.room_id and instance.room.venue_id != event.venue_id:
            errors["room"] = _("This room is not at the event's venue.")
    if (
        isinstance(instance, SessionSpeaker)
        and instance.session_id
        and instance.session.slot.day.event_id != event.pk
    ):
        errors["session"] = _("This session belongs to another event.")
    if isinstance(instance, Room) and instance.venue_id != event.venue_id:
        errors["venue"] = _("Rooms are added to the event's venue.")
    if errors:
        raise ValidationError(errors)


def event_part_save(*, event: Event, instance: models.Model, fields: dict) -> models.Model:
    """Create or change a day, slot, session, speaker, room, tariff, option or question of
    `event` (one of EVENT_PARTS). Side effects: none."""
    if type(instance) not in EVENT_PARTS.values():
        raise ValueError(f"Not an event part: {instance!r}")
    with transaction.atomic():
        m2m = _assign(instance, fields)
        if isinstance(instance, EventDay | Tariff | EventOption | Question):
            instance.event = event
        if isinstance(instance, Room) and not instance.venue_id:
            instance.venue_id = event.venue_id
        _check_belongs(event, instance)
        instance.full_clean()
        ends, starts = getattr(instance, "ends_at", None), getattr(instance, "starts_at", None)
        if isinstance(instance, Slot | EventDay) and ends and ends < starts:
            raise ValidationError({"ends_at": _("The end comes before the start.")})
        instance.save()
        for name, values in m2m.items():  # a session's initiatives
            getattr(instance, name).set(values)
        return instance


def event_part_delete(*, event: Event, instance: models.Model) -> None:
    """Delete a part of `event`; a session or slot goes with its speakers and choices.

    Side effects: none. Raises ValidationError when the part is still in use (e.g. a tariff
    chosen by registrants)."""
    with transaction.atomic():
        _check_belongs(event, instance)
        try:
            instance.delete()
        except models.ProtectedError:
            raise ValidationError(_("This item is in use and cannot be deleted."))


def venue_save(*, venue: Venue, fields: dict) -> Venue:
    """Create or change a venue (shared by events). Side effects: none."""
    with transaction.atomic():
        _assign(venue, fields)
        venue.full_clean()
        venue.save()
        return venue


def speaker_add(
    *,
    event: Event,
    session: Session,
    first_name: str,
    last_name: str,
    title_that_day: str = "",
    role: str = SessionSpeaker.Role.SPEAKER,
    position: int | None = None,
) -> SessionSpeaker:
    """Add a speaker (found in the directory by name, or created) to a session of `event`.

    Side effects: may create a directory Person."""
    with transaction.atomic():
        person = person_find_or_create(first_name=first_name, last_name=last_name)
        if position is None:
            position = session.speakers.count()
        return event_part_save(
            event=event,
            instance=SessionSpeaker(session=session),
            fields={
                "person": person,
                "title_that_day": title_that_day,
                "role": role,
                "position": position,
            },
        )
