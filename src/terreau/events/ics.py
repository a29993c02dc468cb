"""iCalendar files: the agenda feed, a whole event (one entry per day) and its sessions.

Other areas reuse `sessions_calendar` (e.g. a registrant's personal programme)."""

import datetime as dt
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

from terreau.core.absolute import base_url
from terreau.core.markdown import markdown_to_text

from .models import Event, EventState, Session

PRODID = "-//Terreau//Events//FR"


def _calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _finish(cal: icalendar.Calendar) -> bytes:
    cal.add_missing_timezones()
    return cal.to_ical()


def _location(event: Event) -> str:
    venue = event.venue
    if venue is None:
        return event.online_url
    parts = [venue.name, venue.address]
    if venue.commune_id:
        parts.append(f"{venue.commune.postal_code} {venue.commune.name}".strip())
    return ", ".join(part for part in parts if part)


def _local(date: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(date, time, tzinfo=timezone.get_current_timezone())


def _entry(*, uid: str, start, end, summary: str, description: str, location: str, url: str):
    entry = icalendar.Event()
    entry.add("uid", f"{uid}@{settings.SITE_URL.split('://')[-1]}")
    entry.add("dtstamp", dt.datetime.now(dt.UTC))
    entry.add("dtstart", start)
    entry.add("dtend", end)
    entry.add("summary", summary)
    if description:
        entry.add("description", description)
    if location:
        entry.add("location", location)
    entry.add("url", url)
    return entry


def _event_entry(event: Event) -> icalendar.Event:
    entry = _entry(
        uid=f"event-{event.pk}",
        start=timezone.localtime(event.starts_at),
        end=timezone.localtime(event.ends_at),
        summary=event.title,
        description=event.summary or markdown_to_text(event.description)[:500],
        location=_location(event),
        url=base_url() + event.get_absolute_url(),
    )
    if event.state == EventState.CANCELLED:
        entry.add("status", "CANCELLED")
    else:
        entry.add("status", "CONFIRMED")
    return entry


def agenda_calendar(*, events: Iterable[Event], name: str) -> bytes:
    """The subscribable feed: one entry per event (cancelled ones marked CANCELLED)."""
    cal = _calendar(name)
    for event in events:
        cal.add_component(_event_entry(event))
    return _finish(cal)


def event_calendar(*, event: Event, days) -> bytes:
    """A whole event: one entry per day, from the day's start to its end, with the day's
    programme (times and titles) as description. `days` are selectors' ProgrammeDay."""
    cal = _calendar(event.title)
    url = base_url() + event.get_absolute_url()
    for programme_day in days:
        day = programme_day.day
        lines = []
        for item in programme_day.slots:
            titles = " / ".join(session.title for session in item.sessions) or item.slot.title
            lines.append(f"{item.slot.starts_at:%H:%M} {titles}".strip())
        entry = _entry(
            uid=f"event-{event.pk}-day-{day.pk}",
            start=_local(day.date, day.starts_at),
            end=_local(day.date, day.ends_at),
            summary=event.title,
            description="\n".join(lines),
            location=_location(event),
            url=url,
        )
        if event.state == EventState.CANCELLED:
            entry.add("status", "CANCELLED")
        cal.add_component(entry)
    return _finish(cal)


def session_end(session: Session) -> dt.time:
    """A session ends with its slot, or an hour after it starts when no end is set."""
    slot = session.slot
    if slot.ends_at:
        return slot.ends_at
    later = dt.datetime.combine(slot.day.date, slot.starts_at) + dt.timedelta(hours=1)
    return later.time() if later.date() == slot.day.date else dt.time(23, 59)


def sessions_calendar(*, event: Event, sessions: Iterable[Session], name: str = "") -> bytes:
    """Sessions of an event, one entry each (session.slot.day must be loaded)."""
    cal = _calendar(name or event.title)
    url = base_url() + event.get_absolute_url()
    for session in sessions:
        day = session.slot.day
        speakers = ", ".join(
            f"{s.person.display_name}, {s.title_that_day}"
            if s.title_that_day
            else s.person.display_name
            for s in session.speakers.all()
        )
        description = "\n".join(
            part for part in (session.description, session.brief, speakers) if part
        )
        location = _location(event)
        if session.room_id:
            location = f"{session.room.name} — {location}"
        cal.add_component(
            _entry(
                uid=f"session-{session.pk}",
                start=_local(day.date, session.slot.starts_at),
                end=_local(day.date, session_end(session)),
                summary=f"{session.title} — {event.title}",
                description=description,
                location=location,
                url=url,
            )
        )
    return _finish(cal)
