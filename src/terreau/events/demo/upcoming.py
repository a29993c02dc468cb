"""Demo of a coming event: a copy of the Lille national meetings (2014), dated some weeks after
the demo is loaded, published and open for registration, so that a visitor can register with
ranked workshop choices at once and staff can try the assignment on a live event.

The seed events are all in the past; this copy says in its title that it is a demonstration
edition and invents nothing else: programme, speakers, tariffs and questions are Lille's.
Run by `events/demo/__init__.py` after the seed events exist.
"""

import datetime as dt

from django.utils import timezone

from ..models import Event
from ..services.programme import event_duplicate, event_publish

ORDER = 50
LILLE_SLUG = "rencontres-nationales-democratie-participative-lille-2014"
SLUG = "rencontres-nationales-edition-de-demonstration"
TITLE_SUFFIX = " — édition de démonstration"
WEEKS_AHEAD = 8
CLOSES_DAYS_BEFORE = 7


def starts_on(source: Event, today: dt.date) -> dt.date:
    """The same weekday as the source event, WEEKS_AHEAD weeks from `today` or just after."""
    weekday = timezone.localtime(source.starts_at).weekday()
    first = today + dt.timedelta(weeks=WEEKS_AHEAD)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7)


def load(stdout=None) -> None:
    source = Event.objects.filter(slug=LILLE_SLUG).first()
    if source is None or Event.objects.filter(slug=SLUG).exists():
        return
    copy = event_duplicate(
        event=source,
        starts_on=starts_on(source, timezone.localdate()),
        title=source.title + TITLE_SUFFIX,
    )
    copy.slug = SLUG
    copy.registration_opens_at = None
    copy.registration_closes_at = copy.starts_at - dt.timedelta(days=CLOSES_DAYS_BEFORE)
    copy.save(update_fields=["slug", "registration_opens_at", "registration_closes_at"])
    event_publish(event=copy)
    if stdout:
        stdout.write("Events: a demonstration copy of the Lille meetings, open for registration.")
