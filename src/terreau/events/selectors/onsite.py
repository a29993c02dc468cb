"""Reads for the day of the event and after: check-in list, half-days, hours, outputs."""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, time

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from terreau.core.absolute import base_url
from terreau.core.dates import date_format
from terreau.events import hours
from terreau.events.models import (
    AttendanceRecord,
    Event,
    EventDay,
    EventDocument,
    EventFile,
    Half,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    SessionSpeaker,
    Slot,
    WorkshopReport,
)
from terreau.events.selectors.registration import registration_checkin_qr

CHECKIN_LIST_LIMIT = 40
# Sessions that call for a report-back: the workshops and spotlights of the rounds.
WORKSHOP_KINDS = (
    SessionKind.EXCHANGE_WORKSHOP,
    SessionKind.SPOTLIGHT,
    SessionKind.CODEVELOPMENT,
)
# Slots that are not training time: the welcome coffee, meals and the evening are left out of
# the hours attended.
NON_TRAINING_KINDS = {SessionKind.WELCOME, SessionKind.MEAL, SessionKind.EVENING}


@dataclass(frozen=True)
class HalfDay:
    day: EventDay
    half: str
    starts_at: time
    ends_at: time

    @property
    def label(self) -> str:
        return f"{date_format(self.day.date, 'l j F Y')} — {Half(self.half).label.lower()}"

    @property
    def day_label(self) -> str:
        return date_format(self.day.date, "l j F Y")

    @property
    def half_label(self) -> str:
        return Half(self.half).label


def _sort_key(text: str) -> str:
    """Accent- and case-insensitive order, as people expect a list of names to read."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def registration_sort_key(registration: Registration) -> tuple[str, str]:
    return (_sort_key(registration.last_name), _sort_key(registration.first_name))


def event_half_days(*, event: Event) -> list[HalfDay]:
    """Every half-day of the event, in order (a day starting at 14:00 has only an afternoon)."""
    result = []
    for day in event.days.all():
        for half, (start, end) in hours.half_spans(day.starts_at, day.ends_at).items():
            result.append(
                HalfDay(
                    day=day,
                    half=half,
                    starts_at=time(start // 60, start % 60),
                    ends_at=time(end // 60, end % 60),
                )
            )
    return result


def event_sign_in_sheet_half_days(
    *, event: Event, day: int, half: str | None = None
) -> list[HalfDay]:
    """The half-days a sign-in sheet covers: those of one day, or only one of them (empty when
    the day or the half-day is not the event's)."""
    return [
        item
        for item in event_half_days(event=event)
        if item.day.pk == day and (half is None or item.half == half)
    ]


def event_half_days_by_day(*, event: Event) -> list[tuple[EventDay, list[HalfDay]]]:
    """The event's days, each with its half-days (the sign-in sheets' menu)."""
    groups: list[tuple[EventDay, list[HalfDay]]] = []
    for half_day in event_half_days(event=event):
        if groups and groups[-1][0].pk == half_day.day.pk:
            groups[-1][1].append(half_day)
        else:
            groups.append((half_day.day, [half_day]))
    return groups


def event_current_half_day(*, event: Event, half_days: list[HalfDay] | None = None) -> HalfDay:
    """The half-day happening now, else the next one, else the last one (after the event)."""
    half_days = half_days if half_days is not None else event_half_days(event=event)
    now = timezone.localtime()
    for half_day in half_days:
        if (half_day.day.date, half_day.ends_at) >= (now.date(), now.time()):
            return half_day
    return half_days[-1]


@dataclass(frozen=True)
class DayHours:
    """What counts as training time in a day: a window and the breaks inside it."""

    starts_at: time
    ends_at: time
    breaks: list[tuple[time, time]]


def event_day_hours(*, event: Event) -> dict[int, DayHours]:
    """Per day: the programme's training window (welcome, meals and the evening left out)."""
    slots = (
        Slot.objects.filter(day__event=event)
        .annotate(
            session_count=Count("sessions"),
            training_count=Count("sessions", filter=~Q(sessions__kind__in=NON_TRAINING_KINDS)),
        )
        .order_by("day", "starts_at")
    )
    by_day: dict[int, list[hours.Slot]] = {}
    for slot in slots:
        if slot.session_count:
            by_day.setdefault(slot.day_id, []).append(
                (slot.starts_at, slot.ends_at, bool(slot.training_count))
            )
    result = {}
    for day in event.days.all():
        day_slots = by_day.get(day.pk, [])
        start, end = hours.training_window(day.starts_at, day.ends_at, day_slots)
        result[day.pk] = DayHours(start, end, hours.breaks(day.ends_at, day_slots))
    return result


def checkin_list(
    *, event: Event, day: EventDay, half: str, query: str = "", limit: int = CHECKIN_LIST_LIMIT
) -> tuple[list[Registration], int]:
    """Confirmed registrants matching the words typed (name, organisation or e-mail), with
    `is_present` for the half-day; returns (first `limit` rows, total matching)."""
    registrations = Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED
    ).annotate(
        is_present=Exists(
            AttendanceRecord.objects.filter(registration=OuterRef("pk"), day=day, half=half)
        )
    )
    for word in query.split()[:5]:
        registrations = registrations.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(employer__icontains=word)
        )
    registrations = registrations.order_by("last_name", "first_name", "pk")
    # Always two queries (the page's query count does not depend on the list's length).
    return list(registrations[:limit]), registrations.count()


def checkin_row(*, registration: Registration, day: EventDay, half: str) -> Registration:
    """One registrant re-read with `is_present` (what the row shows after a tap)."""
    return Registration.objects.annotate(
        is_present=Exists(
            AttendanceRecord.objects.filter(registration=OuterRef("pk"), day=day, half=half)
        )
    ).get(pk=registration.pk)


@dataclass(frozen=True)
class CheckinCounts:
    present: int
    expected: int


def checkin_counts(*, event: Event, day: EventDay, half: str) -> CheckinCounts:
    counts = Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED
    ).aggregate(
        expected=Count("pk", distinct=True),
        present=Count(
            "attendance_records",
            filter=Q(attendance_records__day=day, attendance_records__half=half),
            distinct=True,
        ),
    )
    return CheckinCounts(present=counts["present"], expected=counts["expected"])


def event_confirmed_registrations(*, event: Event) -> list[Registration]:
    """Confirmed registrants sorted by last name (badges, sign-in sheets)."""
    registrations = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    return sorted(registrations, key=registration_sort_key)


def event_confirmed_count(*, event: Event) -> int:
    return Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()


def registration_attended_minutes(
    *, registration: Registration, day_hours: dict[int, DayHours] | None = None
) -> int:
    """Minutes attended: the half-days recorded, within each day's training window."""
    if day_hours is None:
        day_hours = event_day_hours(event=registration.event)
    halves_by_day: dict[int, set[str]] = {}
    for day_id, half in AttendanceRecord.objects.filter(registration=registration).values_list(
        "day_id", "half"
    ):
        halves_by_day.setdefault(day_id, set()).add(half)
    return sum(
        hours.attended_minutes(
            day_hours[day_id].starts_at,
            day_hours[day_id].ends_at,
            halves,
            day_hours[day_id].breaks,
        )
        for day_id, halves in halves_by_day.items()
        if day_id in day_hours
    )


def certificate_url(*, registration: Registration) -> str:
    """The absolute link to an attendee's certificate, signed like their registration's page."""
    from django.urls import reverse

    from terreau.events.selectors.registration import registration_signed_token

    path = reverse(
        "events:certificate",
        kwargs={
            "slug": registration.event.slug,
            "signed_token": registration_signed_token(registration),
        },
    )
    return base_url() + path


def registration_is_certificate_eligible(*, registration: Registration) -> bool:
    """Attendees only: confirmed, not marked no-show, and present at least one half-day."""
    return (
        registration.status == RegistrationStatus.CONFIRMED
        and registration.attendance != "no_show"
        and registration.attendance_records.exists()
    )


def event_certificate_recipients(*, event: Event) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .exclude(attendance="no_show")
        .filter(Exists(AttendanceRecord.objects.filter(registration=OuterRef("pk"))))
        .order_by("last_name", "first_name", "pk")
    )


@dataclass
class CertificateData:
    registration: Registration
    event: Event
    title: str
    issuer: str
    organisers: list[str]
    partners: list[str]
    dates: str
    place: str
    minutes: int
    duration: str
    attended: list[str] = field(default_factory=list)
    signed_on: date | None = None
    signed_in: str = ""


def certificate_data(*, registration: Registration) -> CertificateData:
    """What a certificate states: who, what, when, where, hours attended, issued by whom."""
    event = (
        Event.objects.select_related("venue__commune", "certificate_issuer")
        .prefetch_related("organisers", "partners", "days")
        .get(pk=registration.event_id)
    )
    organisers = [organisation.name for organisation in event.organisers.all()]
    partners = [organisation.name for organisation in event.partners.all()]
    if event.certificate_issuer:
        issuer = event.certificate_issuer.name
    else:
        issuer = organisers[0] if organisers else ""
    days = list(event.days.all())
    if days:
        dates = ", ".join(date_format(day.date, "l j F Y") for day in days)
        signed_on = days[-1].date
    else:
        dates = date_format(timezone.localtime(event.starts_at).date(), "l j F Y")
        signed_on = timezone.localtime(event.ends_at).date()
    place = ""
    if event.venue:
        place = event.venue.name
        if event.venue.commune:
            place = f"{place}, {event.venue.commune.name}"
    records = registration.attendance_records.select_related("day").order_by("day__date", "half")
    attended = [
        f"{date_format(record.day.date, 'l j F Y')} ({Half(record.half).label.lower()})"
        for record in records
    ]
    minutes = registration_attended_minutes(registration=registration)
    title = _("Training certificate") if event.has_certificate else _("Certificate of attendance")
    return CertificateData(
        registration=registration,
        event=event,
        title=title,
        issuer=issuer,
        organisers=organisers,
        partners=partners,
        dates=dates,
        place=place,
        minutes=minutes,
        duration=hours.format_hours(minutes),
        attended=attended,
        signed_on=signed_on,
        signed_in=event.venue.commune.name if event.venue and event.venue.commune else "",
    )


def event_workshops(*, event: Event) -> QuerySet[Session]:
    """The sessions that get a report-back: workshops, spotlights and every session of a round."""
    return (
        Session.objects.filter(slot__day__event=event)
        .filter(Q(kind__in=WORKSHOP_KINDS) | Q(slot__round_number__isnull=False))
        .select_related("slot__day", "room", "report")
        .order_by("slot__day__date", "slot__starts_at", "position", "pk")
    )


def session_can_report(*, user, session: Session) -> bool:
    """Staff, or one of the session's facilitators or reporters signed in with their account."""
    if not (user and user.is_authenticated):
        return False
    if user.is_staff:
        return True
    return SessionSpeaker.objects.filter(
        session=session,
        role__in=[SessionSpeaker.Role.FACILITATOR, SessionSpeaker.Role.REPORTER],
        person__user=user,
    ).exists()


def event_workshops_reportable_by(*, event: Event, user) -> list[Session]:
    """The workshops whose report-back this person may write (staff: all of them)."""
    if not (user and user.is_authenticated):
        return []
    workshops = event_workshops(event=event)
    if not user.is_staff:
        workshops = workshops.filter(
            speakers__person__user=user,
            speakers__role__in=[SessionSpeaker.Role.FACILITATOR, SessionSpeaker.Role.REPORTER],
        ).distinct()
    return list(workshops)


@dataclass
class EventOutputs:
    reports: list[WorkshopReport]
    photos: list[EventFile]
    documents: list[EventFile]

    @property
    def is_empty(self) -> bool:
        return not (self.reports or self.photos or self.documents)


def event_outputs(*, event: Event) -> EventOutputs:
    """What the event left: published report-backs (with their files), photos and documents."""
    published_files = EventFile.objects.filter(is_published=True).order_by("uploaded_at", "pk")
    reports = list(
        WorkshopReport.objects.filter(session__slot__day__event=event, is_published=True)
        .select_related("session__slot__day", "session__room")
        .prefetch_related(
            Prefetch("session__files", queryset=published_files, to_attr="published_files"),
            Prefetch(
                "session__speakers",
                queryset=SessionSpeaker.objects.select_related("person"),
            ),
        )
        .order_by("session__slot__day__date", "session__slot__starts_at", "session__position")
    )
    event_files = list(published_files.filter(event=event, session__isnull=True))
    return EventOutputs(
        reports=reports,
        photos=[item for item in event_files if item.kind == EventFile.Kind.PHOTO],
        documents=[item for item in event_files if item.kind == EventFile.Kind.DOCUMENT],
    )


def event_has_ended(*, event: Event) -> bool:
    return event.ends_at <= timezone.now()


def event_has_started(*, event: Event) -> bool:
    return event.starts_at <= timezone.now()


@dataclass(frozen=True)
class Badge:
    registration: Registration
    category: str
    category_label: str
    qr_code: str = ""  # inline SVG: the signed check-in code that the scan mode reads


BADGES_PER_SHEET = 8


def event_badge_sheets(*, event: Event) -> list[list[Badge]]:
    """Badges of the confirmed registrants by last name, eight to an A4 sheet; the colour band
    says the actor category (written on the band too, so colour is never the only cue)."""
    from terreau.directory.models import ActorCategory

    badges = [
        Badge(
            registration=registration,
            qr_code=registration_checkin_qr(registration, size="22mm"),
            category=registration.actor_category or ActorCategory.OTHER,
            category_label=(
                ActorCategory(registration.actor_category).label
                if registration.actor_category
                else _("Participant")
            ),
        )
        for registration in event_confirmed_registrations(event=event)
    ]
    return [
        badges[start : start + BADGES_PER_SHEET]
        for start in range(0, len(badges), BADGES_PER_SHEET)
    ]


def event_people(*, event: Event) -> tuple[list[str], list[str], str]:
    """(organisers, partners, place) as printed on sign-in sheets and certificates."""
    organisers = [organisation.name for organisation in event.organisers.all()]
    partners = [organisation.name for organisation in event.partners.all()]
    place = ""
    if event.venue_id:
        venue = event.venue
        place = venue.name
        if venue.address:
            place = f"{place}, {venue.address}"
        if venue.commune_id:
            place = f"{place}, {venue.commune.name}"
    return organisers, partners, place


def event_document_latest(
    *, event: Event, kind: str, day: int | None = None, half: str = ""
) -> EventDocument | None:
    """The most recent request for one of the event's prepared documents, if any."""
    return (
        EventDocument.objects.filter(event=event, kind=kind, day_id=day, half=half)
        .order_by("-requested_at", "-pk")
        .first()
    )
