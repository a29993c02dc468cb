"""The events' kinds in the site-wide search: events and the sessions of their programmes."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terreau.core.markdown import markdown_to_text
from terreau.search import labels
from terreau.search.registry import Document, SearchKind

from .models import Event, EventState, Session

PUBLIC = [EventState.PUBLISHED, EventState.CANCELLED]


def event_document(event: Event) -> Document:
    commune = event.venue.commune if event.venue_id and event.venue.commune_id else None
    return Document(
        title=event.title,
        url=event.get_absolute_url(),
        summary=event.summary,
        body=markdown_to_text(event.description) + "\n" + markdown_to_text(event.objectives),
        date=timezone.localdate(event.starts_at) if event.starts_at else None,
        department_code=commune.department_id if commune else "",
        theme_ids=[theme.pk for theme in event.themes.all()],
    )


def session_document(session: Session) -> Document:
    event = session.slot.day.event
    return Document(
        title=session.title,
        url=event.get_absolute_url(),
        summary=f"{event.title} — {session.brief}" if session.brief else event.title,
        body=session.description,
        date=session.slot.day.date,
        theme_ids=[theme.pk for theme in event.themes.all()],
    )


KINDS = [
    SearchKind(
        key="events",
        label=_("Events"),
        position=30,
        model=Event,
        objects=lambda: (
            Event.objects.filter(state__in=PUBLIC)
            .select_related("venue__commune")
            .prefetch_related("themes")
        ),
        document=event_document,
    ),
    SearchKind(
        key="sessions",
        label=labels.SESSIONS,
        position=35,
        model=Session,
        objects=lambda: (
            Session.objects.filter(slot__day__event__state__in=PUBLIC)
            .select_related("slot__day__event")
            .prefetch_related("slot__day__event__themes")
        ),
        document=session_document,
    ),
]
