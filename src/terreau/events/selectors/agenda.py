"""Reads of the public agenda: filtered lists, the month grid, map points and the feed."""

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from terreau.core.models import Theme
from terreau.territories.models import Department

from ..models import Event, EventState


@dataclass(frozen=True)
class AgendaFilters:
    kind: str = ""
    theme: Theme | None = None
    department: Department | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    period: str = "all"  # "upcoming", "past" or "all"


def agenda_events(*, filters: AgendaFilters | None = None, now=None) -> QuerySet[Event]:
    """Published and cancelled events (never drafts) matching the filters.

    Upcoming events come soonest first; past or mixed lists come most recent first."""
    filters = filters or AgendaFilters()
    now = now or timezone.now()
    events = (
        Event.objects.exclude(state=EventState.DRAFT)
        .select_related("venue__commune")
        .prefetch_related("themes")
    )
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.theme:
        events = events.filter(Q(themes=filters.theme) | Q(themes__parent=filters.theme)).distinct()
    if filters.department:
        events = events.filter(venue__commune__department=filters.department)
    if filters.date_from:
        events = events.filter(ends_at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(starts_at__date__lte=filters.date_to)
    if filters.period == "upcoming":
        return events.filter(ends_at__gte=now).order_by("starts_at", "pk")
    if filters.period == "past":
        events = events.filter(ends_at__lt=now)
    return events.order_by("-starts_at", "-pk")


@dataclass
class MonthDay:
    date: dt.date
    in_month: bool
    is_today: bool
    events: list[Event] = field(default_factory=list)


@dataclass
class Month:
    first: dt.date
    weeks: list[list[MonthDay]]
    previous: dt.date
    next: dt.date

    @property
    def event_count(self) -> int:
        return len({e.pk for week in self.weeks for d in week if d.in_month for e in d.events})


def agenda_month(*, year: int, month: int, filters: AgendaFilters | None = None) -> Month:
    """A Monday-first calendar grid of one month; each day lists the events running that day."""
    first = dt.date(year, month, 1)
    weeks_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    grid_start, grid_end = weeks_dates[0][0], weeks_dates[-1][-1]
    base = filters or AgendaFilters()
    scoped = AgendaFilters(
        kind=base.kind,
        theme=base.theme,
        department=base.department,
        date_from=max(grid_start, base.date_from or grid_start),
        date_to=min(grid_end, base.date_to or grid_end),
    )
    events = list(agenda_events(filters=scoped).order_by("starts_at", "pk"))
    today = timezone.localdate()
    by_day: dict[dt.date, list[Event]] = {}
    for event in events:
        current = max(timezone.localtime(event.starts_at).date(), grid_start)
        last = min(timezone.localtime(event.ends_at).date(), grid_end)
        while current <= last:
            by_day.setdefault(current, []).append(event)
            current += dt.timedelta(days=1)
    weeks = [
        [
            MonthDay(
                date=d, in_month=d.month == month, is_today=d == today, events=by_day.get(d, [])
            )
            for d in week
        ]
        for week in weeks_dates
    ]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return Month(first=first, weeks=weeks, previous=previous, next=following)


def event_coordinates(event: Event) -> tuple[float, float] | None:
    """Where an event sits on a map: its venue, or its venue's commune centroid."""
    venue = event.venue
    if venue is None:
        return None
    if venue.latitude is not None and venue.longitude is not None:
        return venue.latitude, venue.longitude
    commune = venue.commune
    if commune and commune.latitude is not None and commune.longitude is not None:
        return commune.latitude, commune.longitude
    return None


def agenda_map_points(*, events) -> list[dict]:
    """Plain map markers (title, date, place, link) for events that have a location."""
    points = []
    for event in events:
        coordinates = event_coordinates(event)
        if coordinates is None:
            continue
        points.append(
            {
                "lat": coordinates[0],
                "lon": coordinates[1],
                "title": event.title,
                "date": timezone.localtime(event.starts_at).strftime("%d/%m/%Y"),
                "place": event.venue.name,
                "url": event.get_absolute_url(),
            }
        )
    return points


def agenda_feed_events() -> QuerySet[Event]:
    """Every published or cancelled event for the subscribable iCalendar feed."""
    return (
        Event.objects.exclude(state=EventState.DRAFT)
        .select_related("venue__commune")
        .order_by("starts_at", "pk")
    )


def agenda_next_change(request=None, *, now=None):
    """When the agenda's pages change by themselves: the next start or end of a published
    event (it moves from coming to past), or the next midnight (the month view marks today).
    One query; the page cache bounds the agenda's pages with it."""
    from django.db.models import Min

    now = now or timezone.now()
    public = Event.objects.exclude(state=EventState.DRAFT)
    found = public.aggregate(
        start=Min("starts_at", filter=Q(starts_at__gt=now)),
        end=Min("ends_at", filter=Q(ends_at__gt=now)),
    )
    local = timezone.localtime(now)
    midnight = (local + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return min(moment for moment in (found["start"], found["end"], midnight) if moment)
