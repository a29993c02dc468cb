"""Reads of the programme area: an event's page, its programme and its registration status."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terreau.core.models import Theme
from terreau.core.pagecache import next_change
from terreau.directory.models import Organisation
from terreau.library.models import Resource, ResourceState
from terreau.library.selectors import NEWEST_FIRST
from terreau.observatory.models import Initiative, PublicationState

from ..models import (
    Audience,
    Event,
    EventDay,
    EventFile,
    EventOption,
    EventState,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    SessionSpeaker,
    Slot,
    Tariff,
    WorkshopReport,
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


def _presented_initiatives() -> QuerySet[Initiative]:
    """The published initiatives as a programme names them (title, commune)."""
    return (
        Initiative.objects.filter(state=PublicationState.PUBLISHED)
        .select_related("commune")
        .only("pk", "title", "slug", "summary", "commune__name")
        .order_by("title", "pk")
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


def session_links(event: Event):
    """A function giving a session of this event its page and .ics addresses (`page_url`,
    `ics_url`, and `speaker_list`, its speakers read once): two URL reversals for the whole
    programme instead of one or two per session."""
    page = reverse("events:session", kwargs={"slug": event.slug, "pk": 0}).removesuffix("0/")
    ics = reverse("events:session_ics", kwargs={"slug": event.slug, "pk": 0}).removesuffix("0.ics")

    def link(session: Session, *, with_speakers: bool = True) -> Session:
        session.page_url = f"{page}{session.pk}/"
        session.ics_url = f"{ics}{session.pk}.ics"
        if with_speakers:
            session.speaker_list = list(session.speakers.all())
        return session

    return link


def event_programme(*, event: Event) -> list[ProgrammeDay]:
    """Days → slots → sessions → speakers and the published initiatives each session presented
    (`session.presented`), in five queries whatever its size."""
    sessions = (
        _sessions_queryset()
        .prefetch_related(
            Prefetch("initiatives", queryset=_presented_initiatives(), to_attr="presented")
        )
        .order_by("position", "pk")
    )
    slots = Slot.objects.order_by("starts_at", "pk").prefetch_related(
        Prefetch("sessions", queryset=sessions)
    )
    days = event.days.order_by("date").prefetch_related(Prefetch("slots", queryset=slots))
    link = session_links(event)
    return [
        ProgrammeDay(
            day=day,
            slots=[
                ProgrammeSlot(
                    slot=slot, sessions=[link(session) for session in slot.sessions.all()]
                )
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


@dataclass
class SessionPage:
    session: Session
    speakers: list[SessionSpeaker]
    report: WorkshopReport | None
    report_files: list[EventFile]
    parallel: list[Session]  # the other sessions of its slot (a round's other workshops)
    initiatives: list[Initiative]  # the published initiatives it presented


def session_page(*, event: Event, session_pk: int) -> SessionPage | None:
    """A session's page: its slot, day, room, speakers (with the title they held that day and,
    for people in the directory's public list, their biography), its published report-back and
    files, the published initiatives it presented and the other sessions of its slot. Five
    queries whatever the session."""
    speakers = SessionSpeaker.objects.select_related("person").order_by("position", "pk")
    published_files = EventFile.objects.filter(is_published=True).order_by("uploaded_at", "pk")
    reports = WorkshopReport.objects.filter(is_published=True)
    session = (
        Session.objects.select_related("slot__day", "room")
        .prefetch_related(
            Prefetch("speakers", queryset=speakers),
            Prefetch("report", queryset=reports),
            Prefetch("initiatives", queryset=_presented_initiatives(), to_attr="presented"),
        )
        .filter(slot__day__event=event, pk=session_pk)
        .first()
    )
    if session is None:
        return None
    try:
        report = session.report
    except WorkshopReport.DoesNotExist:
        report = None
    files = list(published_files.filter(session=session)) if report is not None else []
    link = session_links(event)
    parallel = [
        link(other, with_speakers=False)
        for other in Session.objects.filter(slot_id=session.slot_id)
        .exclude(pk=session.pk)
        .only("pk", "title", "kind")
        .order_by("position", "pk")
    ]
    return SessionPage(
        session=link(session),
        speakers=session.speaker_list,
        report=report,
        report_files=files,
        parallel=parallel,
        initiatives=session.presented,
    )


def event_initiatives(*, event: Event) -> list[Initiative]:
    """The published initiatives an event presented, itself or in one of its sessions (one
    query), each once, by title."""
    in_sessions = Session.initiatives.through.objects.filter(
        session__slot__day__event=event
    ).values("initiative_id")
    in_event = Event.initiatives.through.objects.filter(event=event).values("initiative_id")
    return list(_presented_initiatives().filter(Q(pk__in=in_event) | Q(pk__in=in_sessions)))


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
    return _registration_status(event, counts["confirmed"], now)


def _registration_status(event: Event, confirmed: int, now: dt.datetime) -> RegistrationStatusInfo:
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


@dataclass
class EventPage:
    """Everything the event page shows, read by `event_page`."""

    event: Event
    registration: RegistrationStatusInfo
    attendance: int
    participants: list[dict]
    speakers: list[SessionSpeaker]
    organisers: list[Organisation]
    partners: list[Organisation]
    themes: list[Theme]
    tariffs: list[Tariff]
    options: list[EventOption]
    initiatives: list[Initiative]
    resources: list[Resource]
    outputs: object  # selectors.onsite.EventOutputs
    changes_at: dt.datetime | None  # when the page changes by itself (registration closes…)


def event_page(*, slug: str, now: dt.datetime | None = None) -> EventPage | None:
    """The event page in a few queries: the event with flags saying which of its relations are
    empty (those are not read), then one query per relation it has, one for the registration
    counts, one for the speakers. None when there is no such event (visibility is the caller's,
    `events.view_event`)."""
    from .onsite import EventOutputs, event_outputs

    now = now or timezone.now()
    published_initiatives = Initiative.objects.filter(state=PublicationState.PUBLISHED)
    published_resources = Resource.objects.filter(state=ResourceState.PUBLISHED)
    event = (
        Event.objects.select_related("venue__commune__department", "certificate_issuer")
        .annotate(
            has_organisations=Exists(
                Event.organisers.through.objects.filter(event_id=OuterRef("pk"))
            )
            | Exists(Event.partners.through.objects.filter(event_id=OuterRef("pk"))),
            has_themes=Exists(Event.themes.through.objects.filter(event_id=OuterRef("pk"))),
            has_tariffs=Exists(Tariff.objects.filter(event_id=OuterRef("pk"))),
            has_options=Exists(EventOption.objects.filter(event_id=OuterRef("pk"))),
            has_initiatives=Exists(published_initiatives.filter(events=OuterRef("pk")))
            | Exists(published_initiatives.filter(sessions__slot__day__event=OuterRef("pk"))),
            has_resources=Exists(published_resources.filter(events=OuterRef("pk"))),
            has_outputs=Exists(
                WorkshopReport.objects.filter(
                    session__slot__day__event=OuterRef("pk"), is_published=True
                )
            )
            | Exists(EventFile.objects.filter(event=OuterRef("pk"), is_published=True)),
        )
        .filter(slug=slug)
        .first()
    )
    if event is None:
        return None
    counts = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        listed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED, is_listed=True)),
        attended=Count("pk", filter=Q(attendance="attended") & ~Q(status="cancelled")),
    )
    participants = []
    if counts["listed"]:
        from .registration import event_public_participants

        participants = list(event_public_participants(event))
    organisers, partners = [], []
    if event.has_organisations:
        organisations = (
            Organisation.objects.only("pk", "name", "slug")
            .annotate(
                as_organiser=Exists(
                    Event.organisers.through.objects.filter(
                        event_id=event.pk, organisation_id=OuterRef("pk")
                    )
                ),
                as_partner=Exists(
                    Event.partners.through.objects.filter(
                        event_id=event.pk, organisation_id=OuterRef("pk")
                    )
                ),
            )
            .filter(Q(as_organiser=True) | Q(as_partner=True))
            .order_by("name")
        )
        for organisation in organisations:
            if organisation.as_organiser:
                organisers.append(organisation)
            if organisation.as_partner:
                partners.append(organisation)
    return EventPage(
        event=event,
        registration=_registration_status(event, counts["confirmed"], now),
        attendance=counts["attended"] or counts["confirmed"],
        participants=participants,
        speakers=event_speakers(event=event),
        organisers=organisers,
        partners=partners,
        themes=list(event.themes.order_by("position", "name")) if event.has_themes else [],
        tariffs=list(event.tariffs.all()) if event.has_tariffs else [],
        options=list(event.options.all()) if event.has_options else [],
        initiatives=event_initiatives(event=event) if event.has_initiatives else [],
        resources=list(
            published_resources.filter(events=event)
            .only("pk", "title", "slug", "kind", "summary", "published_on")
            .order_by(*NEWEST_FIRST)
        )
        if event.has_resources
        else [],
        outputs=event_outputs(event=event) if event.has_outputs else EventOutputs([], [], []),
        changes_at=next_change(
            event.registration_opens_at,
            event.registration_closes_at,
            event.starts_at,
            event.ends_at,
            now=now,
        ),
    )
