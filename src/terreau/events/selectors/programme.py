"""Reads of the programme area: an event's page, its programme and its registration status."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terreau.library.selectors import resources_published_prefetch
from terreau.observatory.models import Initiative, PublicationState

from ..models import (
    Audience,
    Event,
    EventDay,
    EventState,
    RegistrationStatus,
    Session,
    SessionKind,
    SessionSpeaker,
    Slot,
)

#: Who may attend, as the event page says it (its own context: other apps share the words).
AUDIENCE_LABELS = {
    Audience.OPEN: pgettext_lazy("event audience", "Open to all"),
    Audience.PROFESSIONALS: pgettext_lazy("event audience", "Public-service professionals only"),
    Audience.GROUP_MEMBERS: pgettext_lazy("event audience", "Members of a group"),
    Audience.INVITATION: pgettext_lazy("event audience", "Invitation only"),
}

#: How the programme titles a group of parallel sessions of one kind.
KIND_PLURALS = {
    SessionKind.EXCHANGE_WORKSHOP: _("Exchange workshops"),
    SessionKind.SPOTLIGHT: _("Spotlights"),
    SessionKind.CODEVELOPMENT: _("Co-development workshops"),
    SessionKind.TALK: _("Talks"),
    SessionKind.ROUND_TABLE: _("Round tables"),
}


def event_queryset_for_page() -> QuerySet[Event]:
    """Events with everything the event page shows, in a fixed number of queries."""
    return Event.objects.select_related(
        "venue__commune__department", "certificate_issuer"
    ).prefetch_related(
        "organisers",
        "partners",
        "themes",
        "tariffs",
        "options",
        Prefetch(
            "initiatives",
            Initiative.objects.filter(state=PublicationState.PUBLISHED)
            .select_related("commune")
            .only("pk", "title", "slug", "summary", "commune__name")
            .order_by("title"),
        ),
        resources_published_prefetch(),
    )


def _sessions_queryset() -> QuerySet[Session]:
    speakers = SessionSpeaker.objects.select_related("person").order_by("position", "pk")
    return Session.objects.select_related("room").prefetch_related(
        Prefetch("speakers", queryset=speakers)
    )


@dataclass
class ProgrammeSlot:
    slot: Slot
    sessions: list[Session]

    @property
    def is_parallel(self) -> bool:
        return len(self.sessions) > 1

    @property
    def groups(self) -> list[tuple[str, list[Session]]]:
        """Parallel sessions grouped by kind (spotlights, then exchange workshops…), in the
        order they first appear, as the seed programmes list them."""
        groups: dict[str, list[Session]] = {}
        for session in self.sessions:
            groups.setdefault(session.kind, []).append(session)
        return [
            (KIND_PLURALS.get(kind, sessions[0].get_kind_display()), sessions)
            for kind, sessions in groups.items()
        ]


@dataclass
class ProgrammeDay:
    day: EventDay
    slots: list[ProgrammeSlot] = field(default_factory=list)


def event_programme(*, event: Event) -> list[ProgrammeDay]:
    """Days → slots → sessions → speakers of an event, in four queries whatever its size."""
    slots = Slot.objects.order_by("starts_at", "pk").prefetch_related(
        Prefetch("sessions", queryset=_sessions_queryset().order_by("position", "pk"))
    )
    days = event.days.order_by("date").prefetch_related(Prefetch("slots", queryset=slots))
    return [
        ProgrammeDay(
            day=day,
            slots=[
                ProgrammeSlot(slot=slot, sessions=list(slot.sessions.all()))
                for slot in day.slots.all()
            ],
        )
        for day in days
    ]


def session_for_event(*, event: Event, session_pk: int) -> Session | None:
    """One session of an event (with its slot, day and speakers), or None."""
    return (
        _sessions_queryset()
        .select_related("slot__day")
        .filter(slot__day__event=event, pk=session_pk)
        .first()
    )


def event_speakers(*, event: Event) -> list[SessionSpeaker]:
    """Everyone who speaks or facilitates at an event, once each, in programme order."""
    seen, speakers = set(), []
    rows = (
        SessionSpeaker.objects.filter(session__slot__day__event=event)
        .select_related("person")
        .order_by("session__slot__day__date", "session__slot__starts_at", "position", "pk")
    )
    for speaker in rows:
        if speaker.person_id not in seen:
            seen.add(speaker.person_id)
            speakers.append(speaker)
    return speakers


class RegistrationState:
    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    FULL = "full"
    WAITING_LIST = "waiting_list"
    CANCELLED = "cancelled"
    PAST = "past"


@dataclass
class RegistrationStatusInfo:
    state: str
    confirmed: int
    places_left: int | None

    @property
    def accepts_registrations(self) -> bool:
        return self.state in {RegistrationState.OPEN, RegistrationState.WAITING_LIST}


def event_registration_status(*, event: Event, now: dt.datetime | None = None):
    """Whether the event takes registrations now, and how many places are left."""
    now = now or timezone.now()
    counts = event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
    )
    confirmed = counts["confirmed"]
    places_left = None if event.capacity is None else max(event.capacity - confirmed, 0)
    if event.state == EventState.CANCELLED:
        state = RegistrationState.CANCELLED
    elif event.ends_at < now:
        state = RegistrationState.PAST
    elif event.starts_at <= now or (
        event.registration_closes_at and event.registration_closes_at <= now
    ):
        state = RegistrationState.CLOSED
    elif event.registration_opens_at and event.registration_opens_at > now:
        state = RegistrationState.NOT_YET_OPEN
    elif places_left == 0:
        state = RegistrationState.WAITING_LIST if event.has_waiting_list else RegistrationState.FULL
    else:
        state = RegistrationState.OPEN
    return RegistrationStatusInfo(state=state, confirmed=confirmed, places_left=places_left)


def event_attendance_count(*, event: Event) -> int:
    """How many people took part (checked in, or confirmed when no check-in was recorded)."""
    registrations = event.registrations.exclude(status=RegistrationStatus.CANCELLED)
    attended = registrations.filter(attendance="attended").count()
    return attended or registrations.filter(status=RegistrationStatus.CONFIRMED).count()
