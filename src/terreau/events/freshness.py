"""Event.updated_at as the version stamp of what the registration form is built from.

The form's tariffs, options, questions, days, slots and sessions are read once per version and
cached (`selectors.registration.event_registration_form_spec`). Saving or deleting any of them
touches its event's `updated_at` in the database, so every server process sees the new version
on its next read of the event: a cache invalidation, not a business rule, hence a signal (it
also covers the admin and fixtures, which do not go through the services).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.utils import timezone


def _event_of(instance):
    """(event id, the event object when it is already loaded) of an event part."""
    from .models import EventDay, Session, Slot

    holder = instance
    if isinstance(holder, Session):
        if not Session.slot.is_cached(holder):
            query = Slot.objects.filter(pk=holder.slot_id).values_list("day__event_id", flat=True)
            return query.first(), None
        holder = holder.slot
    if isinstance(holder, Slot):
        if not Slot.day.is_cached(holder):
            query = EventDay.objects.filter(pk=holder.day_id).values_list("event_id", flat=True)
            return query.first(), None
        holder = holder.day
    event = holder.event if type(holder).event.is_cached(holder) else None
    return holder.event_id, event


def event_touch(sender, instance, **kwargs) -> None:
    from .models import Event

    event_id, event = _event_of(instance)
    if event_id is None:
        return
    now = timezone.now()
    Event.objects.filter(pk=event_id).update(updated_at=now)
    if event is not None:
        # Callers holding this event object see the new version too.
        event.updated_at = now


def connect() -> None:
    from .models import EventDay, EventOption, Question, Session, Slot, Tariff

    for model in (EventDay, Slot, Session, Tariff, EventOption, Question):
        uid = f"events.freshness.{model.__name__}"
        post_save.connect(event_touch, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(event_touch, sender=model, dispatch_uid=uid + ".delete")
