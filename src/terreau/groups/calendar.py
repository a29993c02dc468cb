"""A year of monthly meetings, planned in one step: the dates and the venue of each (pure: no
Django, fed plain data).

Dates keep the first meeting's place in its month ("the third Friday"), so that members can
keep the day free all year; a month with no such day (a fifth Friday) takes the last one.
Venues move across the zone: the first meeting is where it is asked to be (the regional
council's seat), then the candidate places follow in turn and the round starts again.
"""

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class PlannedMeeting:
    number: int
    date: dt.date
    venue: object  # whatever key the caller gave (a venue id, a name)


def nth_weekday(date: dt.date) -> tuple[int, int]:
    """(weekday, rank in the month from 1) of a date: the 17 May 2013 is the 3rd Friday."""
    return date.weekday(), (date.day - 1) // 7 + 1


def same_weekday_in_month(year: int, month: int, weekday: int, rank: int) -> dt.date:
    """The rank-th such weekday of the month, or the last one when the month has fewer."""
    days = [
        day
        for day in _calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    return days[min(rank, len(days)) - 1]


def _months(start: dt.date, end: dt.date, skip_months: frozenset[int]):
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        if month not in skip_months:
            yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def plan_dates(
    *, first: dt.date, until: dt.date, count: int | None = None, skip_months=frozenset()
) -> list[dt.date]:
    """Monthly dates from `first` to `until` (both included), `count` at most."""
    if until < first:
        return []
    weekday, rank = nth_weekday(first)
    dates = [first]
    for year, month in _months(first, until, frozenset(skip_months)):
        if (year, month) == (first.year, first.month):
            continue
        date = same_weekday_in_month(year, month, weekday, rank)
        if date > until:
            break
        dates.append(date)
    return dates[:count] if count else dates


def rotate_venues(count: int, venues: list, first=None) -> list:
    """A venue for each of `count` meetings: `first` (or the first candidate) opens, then the
    candidates in turn and round again; the same place never twice in a row when there is
    another."""
    candidates = list(dict.fromkeys(venues))
    opening = first if first is not None else (candidates[0] if candidates else None)
    if opening is None or count <= 0:
        return []
    cycle = [opening, *[venue for venue in candidates if venue != opening]]
    return [cycle[index % len(cycle)] for index in range(count)]


def plan_year(
    *,
    first: dt.date,
    until: dt.date,
    venues: list,
    first_venue=None,
    count: int | None = None,
    skip_months=frozenset(),
) -> list[PlannedMeeting]:
    """The year's meetings: numbered from 1, dated monthly, each with a venue."""
    dates = plan_dates(first=first, until=until, count=count, skip_months=skip_months)
    places = rotate_venues(len(dates), venues, first=first_venue)
    if not places:
        places = [None] * len(dates)
    return [
        PlannedMeeting(number=number, date=date, venue=venue)
        for number, (date, venue) in enumerate(zip(dates, places, strict=True), start=1)
    ]
