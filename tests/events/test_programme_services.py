"""Services of the programme area: create, edit, duplicate, publish and cancel events."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from terreau.directory.models import Person
from terreau.events.models import (
    Event,
    EventDay,
    EventState,
    RegistrationStatus,
    Session,
    SessionSpeaker,
    Slot,
)
from terreau.events.services import programme as services
from tests.events.factories import (
    EventDayFactory,
    EventFactory,
    EventOptionFactory,
    QuestionFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlotFactory,
    TariffFactory,
    local,
)
from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def test_creating_an_event_makes_a_draft_with_one_day_per_date():
    theme = ThemeFactory()
    event = services.event_create(
        fields={
            "title": "Rencontres nationales",
            "kind": "national_meetings",
            "starts_at": local(2014, 11, 18, 14),
            "ends_at": local(2014, 11, 19, 16),
            "themes": [theme],
        }
    )
    assert event.state == EventState.DRAFT
    assert event.slug == "rencontres-nationales"
    assert list(event.themes.all()) == [theme]
    days = list(event.days.order_by("date"))
    assert [d.date for d in days] == [dt.date(2014, 11, 18), dt.date(2014, 11, 19)]
    assert days[0].starts_at == dt.time(14, 0)
    assert days[1].ends_at == dt.time(16, 0)


def test_a_second_event_with_the_same_title_gets_its_own_slug():
    fields = {
        "title": "Journée",
        "kind": "regional_day",
        "starts_at": local(2026, 3, 1),
        "ends_at": local(2026, 3, 1, 17),
    }
    first = services.event_create(fields=dict(fields))
    second = services.event_create(fields=dict(fields))
    assert first.slug != second.slug


def test_an_event_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValidationError):
        services.event_create(
            fields={
                "title": "À l'envers",
                "kind": "training",
                "starts_at": local(2026, 3, 2),
                "ends_at": local(2026, 3, 1),
            }
        )
    assert not Event.objects.exists()


def test_updating_an_event_never_changes_its_state():
    event = EventFactory(state=EventState.DRAFT)
    services.event_update(event=event, fields={"title": "Nouveau titre", "state": "published"})
    event.refresh_from_db()
    assert event.title == "Nouveau titre"
    assert event.state == EventState.DRAFT


def test_publishing_a_draft_makes_it_public():
    day = EventDayFactory(event__state=EventState.DRAFT)
    services.event_publish(event=day.event)
    day.event.refresh_from_db()
    assert day.event.state == EventState.PUBLISHED


def test_an_event_without_days_cannot_be_published():
    event = EventFactory(state=EventState.DRAFT)
    with pytest.raises(ValidationError) as error:
        services.event_publish(event=event)
    assert "days" in error.value.message_dict
    event.refresh_from_db()
    assert event.state == EventState.DRAFT


def test_a_cancelled_event_cannot_be_published_again():
    day = EventDayFactory(event__state=EventState.CANCELLED)
    with pytest.raises(ValidationError):
        services.event_publish(event=day.event)


def test_cancelling_notifies_every_registrant_but_those_who_cancelled(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(title="Journée de Liévin")
    confirmed = RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    pending = RegistrationFactory(event=event, status=RegistrationStatus.PENDING)
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    RegistrationFactory()  # another event's registrant

    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event, message="La salle est indisponible.")

    event.refresh_from_db()
    assert event.state == EventState.CANCELLED
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([confirmed.email, waiting.email, pending.email])
    message = mail.outbox[0]
    assert "Journée de Liévin" in message.subject
    assert "La salle est indisponible." in message.body
    assert "annulé" in message.body
    assert event.get_absolute_url() in message.body


def test_cancelling_twice_is_refused_and_sends_nothing_more():
    event = EventFactory(state=EventState.CANCELLED)
    RegistrationFactory(event=event)
    with pytest.raises(ValidationError):
        services.event_cancel(event=event)
    assert mail.outbox == []


def _full_event():
    event = EventFactory(
        starts_at=local(2014, 11, 18, 13),
        ends_at=local(2014, 11, 19, 16),
        registration_closes_at=local(2014, 11, 10, 12),
    )
    event.themes.add(ThemeFactory())
    day1 = EventDayFactory(event=event, date=dt.date(2014, 11, 18))
    day2 = EventDayFactory(event=event, date=dt.date(2014, 11, 19))
    room = RoomFactory(venue=event.venue)
    slot = SlotFactory(day=day1, starts_at=dt.time(16, 30), round_number=1)
    workshop = SessionFactory(slot=slot, kind="exchange_workshop", room=room, capacity=40)
    SessionSpeakerFactory(session=workshop, title_that_day="Chercheuse")
    SessionFactory(slot=SlotFactory(day=day2, starts_at=dt.time(9)), kind="plenary")
    TariffFactory(event=event)
    EventOptionFactory(event=event, day=day2, label="Déjeuner du mercredi")
    QuestionFactory(event=event)
    RegistrationFactory(event=event)
    return event


def test_duplicating_copies_the_whole_programme_shifted_in_time():
    event = _full_event()
    copy = services.event_duplicate(event=event, starts_on=dt.date(2015, 11, 17))

    assert copy.pk != event.pk and copy.state == EventState.DRAFT
    assert timezone.localtime(copy.starts_at) == local(2015, 11, 17, 13)
    assert timezone.localtime(copy.ends_at) == local(2015, 11, 18, 16)
    assert timezone.localtime(copy.registration_closes_at) == local(2015, 11, 9, 12)
    assert [d.date for d in copy.days.order_by("date")] == [
        dt.date(2015, 11, 17),
        dt.date(2015, 11, 18),
    ]
    assert Slot.objects.filter(day__event=copy).count() == 2
    workshop = Session.objects.get(slot__day__event=copy, kind="exchange_workshop")
    assert workshop.slot.round_number == 1 and workshop.capacity == 40
    assert workshop.speakers.get().title_that_day == "Chercheuse"
    assert copy.tariffs.get().amount == 75
    option = copy.options.get()
    assert option.day.event == copy and option.day.date == dt.date(2015, 11, 18)
    assert copy.questions.count() == 1
    assert copy.themes.count() == 1
    assert copy.registrations.count() == 0
    # The original is untouched.
    assert event.days.count() == 2 and event.registrations.count() == 1
    assert Session.objects.filter(slot__day__event=event).count() == 2


def test_duplicating_renames_the_days_that_tariffs_and_options_name():
    event = EventFactory(starts_at=local(2014, 11, 18, 13), ends_at=local(2014, 11, 19, 16))
    EventDayFactory(event=event, date=dt.date(2014, 11, 18))
    day2 = EventDayFactory(event=event, date=dt.date(2014, 11, 19))
    TariffFactory(
        event=event,
        includes="la soirée du mardi 18 novembre et le déjeuner du mercredi 19 novembre 2014",
    )
    EventOptionFactory(
        event=event, day=day2, label="Déjeuner du 19 novembre (Wednesday 19 November)"
    )
    # One day later: the 18th becomes the 19th and the 19th the 20th, each renamed once.
    copy = services.event_duplicate(event=event, starts_on=dt.date(2014, 11, 19))
    assert copy.tariffs.get().includes == (
        "la soirée du mercredi 19 novembre et le déjeuner du jeudi 20 novembre 2014"
    )
    assert copy.options.get().label == "Déjeuner du 20 novembre (Thursday 20 November)"
    assert event.tariffs.get().includes.startswith("la soirée du mardi 18 novembre")


def test_duplicating_keeps_local_times_across_daylight_saving():
    event = EventFactory(starts_at=local(2021, 9, 30, 9), ends_at=local(2021, 9, 30, 17))
    copy = services.event_duplicate(event=event, starts_on=dt.date(2022, 1, 13))
    assert timezone.localtime(copy.starts_at).hour == 9
    assert timezone.localtime(copy.ends_at).hour == 17


def test_a_slot_on_another_events_day_is_refused():
    event = EventFactory()
    other_day = EventDayFactory()
    with pytest.raises(ValidationError) as error:
        services.event_part_save(
            event=event,
            instance=Slot(),
            fields={"day": other_day, "starts_at": dt.time(9)},
        )
    assert "day" in error.value.message_dict
    assert not Slot.objects.exists()


def test_a_slot_that_ends_before_it_starts_is_refused():
    day = EventDayFactory()
    with pytest.raises(ValidationError) as error:
        services.event_part_save(
            event=day.event,
            instance=Slot(),
            fields={"day": day, "starts_at": dt.time(10), "ends_at": dt.time(9)},
        )
    assert "ends_at" in error.value.message_dict


def test_a_session_in_a_room_of_another_venue_is_refused():
    slot = SlotFactory()
    with pytest.raises(ValidationError) as error:
        services.event_part_save(
            event=slot.day.event,
            instance=Session(),
            fields={"slot": slot, "kind": "plenary", "title": "Ouverture", "room": RoomFactory()},
        )
    assert "room" in error.value.message_dict


def test_days_tariffs_options_and_questions_attach_to_the_event():
    event = EventFactory()
    day = services.event_part_save(
        event=event,
        instance=EventDay(),
        fields={"date": dt.date(2026, 5, 4), "starts_at": dt.time(9), "ends_at": dt.time(17)},
    )
    assert day.event == event


def test_a_speaker_is_found_in_the_directory_by_name_or_created():
    session = SessionFactory()
    known = Person.objects.create(first_name="Rémi", last_name="Lefebvre", slug="remi-lefebvre")
    speaker = services.speaker_add(
        event=session.slot.day.event,
        session=session,
        first_name="rémi",
        last_name="LEFEBVRE",
        title_that_day="Professeur de sciences politiques",
    )
    assert speaker.person == known
    other = services.speaker_add(
        event=session.slot.day.event, session=session, first_name="Alain", last_name="Bavay"
    )
    assert other.person.slug == "alain-bavay"
    assert list(session.speakers.values_list("position", flat=True)) == [0, 1]


def test_deleting_a_session_removes_its_speakers():
    speaker = SessionSpeakerFactory()
    event = speaker.session.slot.day.event
    services.event_part_delete(event=event, instance=speaker.session)
    assert not SessionSpeaker.objects.exists()


def test_deleting_another_events_part_is_refused():
    speaker = SessionSpeakerFactory()
    with pytest.raises(ValidationError):
        services.event_part_delete(event=EventFactory(), instance=speaker.session)
    assert Session.objects.count() == 1


def test_a_tariff_in_use_cannot_be_deleted():
    tariff = TariffFactory()
    RegistrationFactory(event=tariff.event, tariff=tariff)
    with pytest.raises(ValidationError):
        services.event_part_delete(event=tariff.event, instance=tariff)
    assert tariff.event.tariffs.count() == 1
