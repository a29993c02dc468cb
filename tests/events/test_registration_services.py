"""Registration services: every state change, the window, the audience rule and bad input."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from terreau.events.models import (
    Answer,
    Attendance,
    AttendanceRecord,
    Audience,
    Event,
    EventDay,
    EventState,
    PaymentStatus,
    Question,
    Registration,
    RegistrationStatus,
    WorkshopAssignment,
    WorkshopChoice,
)
from terreau.events.selectors.onsite import event_current_half_day
from terreau.events.services import onsite as onsite_services
from terreau.events.services import registration as services
from tests.events.factories import (
    EventFactory,
    PersonFactory,
    QuestionFactory,
    RegistrationFactory,
    TariffFactory,
)
from tests.events.registration_fixtures import make_lille_meetings, registration_data, rounds_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def register(event, email="claire.martin@lenord.fr", **fields):
    return services.registration_create(
        event=event, data=registration_data(event, email=email, **fields)
    )


@pytest.fixture
def lille(db):
    return make_lille_meetings()


def test_registering_confirms_and_emails_the_personal_programme_with_an_ics_file(
    lille, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(lille)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert WorkshopChoice.objects.filter(registration=registration).count() == 9
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire.martin@lenord.fr"]
    assert "confirmée" in message.subject
    first_round1 = rounds_of(lille)[1][0].title
    assert first_round1 in message.body
    assert "Ouverture officielle" in message.body
    assert "/evenements/mon-inscription/" in message.body
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar"
    content = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in content and "Ouverture officielle" in content


def test_registration_is_matched_to_the_directory_person_with_the_same_email(lille):
    person = PersonFactory(email="Claire.Martin@lenord.fr")
    assert register(lille).person == person


def test_registration_is_matched_through_the_account_email(lille):
    user = UserFactory(email="claire.martin@lenord.fr")
    person = PersonFactory(user=user)
    assert register(lille).person == person


def test_registration_needing_approval_is_pending_then_confirmed_on_approval(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(requires_approval=True, capacity=10)
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event)
    assert registration.status == RegistrationStatus.PENDING
    assert "reçue" in mail.outbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_approve(registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert "confirmée" in mail.outbox[-1].subject


def test_approving_when_full_puts_on_the_waiting_list():
    event = EventFactory(requires_approval=True, capacity=1)
    RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED)
    registration = register(event)
    services.registration_approve(registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.WAITLISTED


def test_rejecting_a_pending_registration_cancels_it_and_tells_the_person(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(requires_approval=True)
    registration = register(event)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_reject(registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert "pas été acceptée" in mail.outbox[-1].subject or "acceptée" in mail.outbox[-1].subject


def test_only_pending_registrations_can_be_approved_or_rejected():
    registration = RegistrationFactory(status=RegistrationStatus.CONFIRMED)
    with pytest.raises(ValidationError):
        services.registration_approve(registration=registration)
    with pytest.raises(ValidationError):
        services.registration_reject(registration=registration)


def test_a_full_event_puts_new_registrants_on_the_waiting_list(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    register(event, email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        second = register(event, email="b@example.org")
    assert second.status == RegistrationStatus.WAITLISTED
    assert "attente" in mail.outbox[-1].subject.lower()


def test_a_full_event_without_waiting_list_refuses_and_saves_nothing():
    event = EventFactory(capacity=1, has_waiting_list=False)
    register(event, email="a@example.org")
    with pytest.raises(ValidationError) as error:
        register(event, email="b@example.org")
    assert "complet" in str(error.value)
    assert Registration.objects.filter(event=event).count() == 1


def test_cancelling_promotes_the_first_waitlisted_person_and_tells_them(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1)
    first = register(event, email="a@example.org")
    second = register(event, email="b@example.org")
    third = register(event, email="c@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.CONFIRMED
    assert third.status == RegistrationStatus.WAITLISTED
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    promoted = next(m for m in mail.outbox if m.to == ["b@example.org"])
    assert promoted.attachments and "place" in promoted.subject.lower()


def test_cancelling_frees_the_workshop_seats(lille):
    registration = register(lille)
    session = rounds_of(lille)[1][0]
    WorkshopAssignment.objects.create(
        registration=registration, session=session, slot=session.slot, source="solver"
    )
    services.registration_cancel(registration=registration)
    assert not WorkshopAssignment.objects.filter(registration=registration).exists()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED and registration.cancelled_at


def test_cancelling_twice_is_refused():
    registration = RegistrationFactory(status=RegistrationStatus.CANCELLED)
    with pytest.raises(ValidationError):
        services.registration_cancel(registration=registration)


def test_promoting_without_a_free_seat_changes_nothing():
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    assert services.registration_promote_from_waitlist(event=event) is None
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITLISTED


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"registration_closes_at": timezone.now() - dt.timedelta(hours=1)}, "closes"),
        ({"registration_opens_at": timezone.now() + dt.timedelta(days=1)}, "pas encore"),
        (
            {
                "starts_at": timezone.now() - dt.timedelta(hours=1),
                "ends_at": timezone.now() + dt.timedelta(hours=5),
            },
            "commencé",
        ),
        ({"state": EventState.DRAFT}, "pas ouvert"),
    ],
)
def test_registration_outside_the_window_is_refused_and_nothing_saved(fields, message):
    event = EventFactory(**fields)
    with pytest.raises(ValidationError) as error:
        register(event)
    assert message in " ".join(error.value.messages)
    assert not Registration.objects.filter(event=event).exists()


def test_a_professional_only_event_refuses_a_non_public_employer(lille):
    with pytest.raises(ValidationError) as error:
        register(lille, employer="Association Les Amis", employer_kind="association")
    assert "employer_kind" in error.value.message_dict
    assert "professionnels" in error.value.message_dict["employer_kind"][0]
    assert not Registration.objects.exists()


def test_a_professional_only_event_asks_for_the_employer(lille):
    with pytest.raises(ValidationError) as error:
        register(lille, employer="", employer_kind="")
    assert {"employer", "employer_kind"} <= set(error.value.message_dict)


def test_an_invitation_only_event_needs_the_right_code():
    event = EventFactory(audience=Audience.INVITATION, invitation_code="LIEVIN2021")
    with pytest.raises(ValidationError) as error:
        register(event, invitation_code="wrong")
    assert "invitation_code" in error.value.message_dict
    assert register(event, invitation_code=" lievin2021 ").status == RegistrationStatus.CONFIRMED


def test_a_second_registration_with_the_same_email_is_refused_and_nothing_saved(lille):
    first = register(lille)
    with pytest.raises(services.AlreadyRegistered) as error:
        register(lille, email="Claire.MARTIN@lenord.fr ")
    assert error.value.registration == first
    assert "déjà inscrit" in error.value.message_dict["email"][0]
    assert Registration.objects.count() == 1


def test_a_cancelled_person_may_register_again(lille):
    services.registration_cancel(registration=register(lille))
    assert register(lille).status == RegistrationStatus.CONFIRMED


def test_a_workshop_of_another_round_is_refused(lille):
    rounds = rounds_of(lille)
    data = registration_data(lille)
    data.choices[rounds[1][0].slot_id] = [rounds[1][0].pk, rounds[2][0].pk]
    with pytest.raises(ValidationError) as error:
        services.registration_create(event=lille, data=data)
    assert f"round_{rounds[1][0].slot_id}" in error.value.message_dict
    assert not Registration.objects.exists()


def test_a_workshop_of_another_event_is_refused(lille):
    other = make_lille_meetings(days_ahead=60)
    foreign = rounds_of(other)[1][0]
    data = registration_data(lille)
    data.choices[foreign.slot_id] = [foreign.pk]
    with pytest.raises(ValidationError):
        services.registration_create(event=lille, data=data)
    assert not Registration.objects.filter(event=lille).exists()


def test_the_same_workshop_cannot_be_ranked_twice(lille):
    session = rounds_of(lille)[1][0]
    data = registration_data(lille)
    data.choices[session.slot_id] = [session.pk, session.pk]
    with pytest.raises(ValidationError):
        services.registration_create(event=lille, data=data)


def test_required_questions_and_choices_are_checked(lille):
    question = QuestionFactory(
        event=lille, is_required=True, kind=Question.Kind.CHOICE, choices="Oui\nNon"
    )
    with pytest.raises(ValidationError) as error:
        register(lille)
    assert f"question_{question.pk}" in error.value.message_dict
    with pytest.raises(ValidationError):
        register(lille, answers={question.pk: "Peut-être"})
    registration = register(lille, answers={question.pk: "Oui"})
    assert Answer.objects.get(registration=registration, question=question).value == "Oui"


def test_consent_is_required(lille):
    with pytest.raises(ValidationError) as error:
        register(lille, consent=False)
    assert "consent" in error.value.message_dict


def test_a_tariff_must_be_chosen_when_there_are_several(lille):
    TariffFactory(event=lille, label="Élu·e", amount=0)
    with pytest.raises(ValidationError) as error:
        register(lille)
    assert "tariff" in error.value.message_dict


def test_a_paying_tariff_starts_unpaid_and_a_free_event_is_exempt(lille):
    assert register(lille).payment_status == PaymentStatus.UNPAID
    assert register(EventFactory()).payment_status == PaymentStatus.EXEMPT


def test_updating_changes_choices_answers_and_options_but_not_the_email(lille):
    registration = register(lille)
    rounds = rounds_of(lille)
    question = lille.questions.get(kind=Question.Kind.TEXT)
    data = registration_data(lille, email="other@example.org", is_listed=True)
    data.choices = {rounds[1][0].slot_id: [rounds[1][4].pk]}
    data.answers = {question.pk: "Échanger entre pairs"}
    data.options = list(lille.options.all()[:1])
    services.registration_update(registration=registration, data=data)
    registration.refresh_from_db()
    assert registration.email == "claire.martin@lenord.fr"
    assert registration.is_listed
    assert list(registration.choices.values_list("session_id", flat=True)) == [rounds[1][4].pk]
    assert registration.answers.get().value == "Échanger entre pairs"
    assert registration.options.count() == 1


def _two_day_event(first_day: dt.date) -> Event:
    start = timezone.make_aware(dt.datetime.combine(first_day, dt.time(9, 0)))
    event = EventFactory(starts_at=start, ends_at=start + dt.timedelta(days=1, hours=8))
    for offset in (0, 1):
        EventDay.objects.create(
            event=event,
            date=first_day + dt.timedelta(days=offset),
            starts_at=dt.time(9, 0),
            ends_at=dt.time(17, 0),
        )
    return event


@pytest.mark.parametrize(
    ("days_from_now", "expected"),
    [
        (3, (0, "am")),  # before the event: its first half-day
        (-5, (1, "pm")),  # after the event: its last half-day (the sheets are done last)
    ],
)
def test_the_current_half_day_has_one_definition(days_from_now, expected):
    """One rule (`selectors.onsite.event_current_half_day`): before the event its first
    half-day, then the one running or next, and after the event its last one. (The services
    once had a second definition that answered the first half-day after the event.)"""
    event = _two_day_event(timezone.localdate() + dt.timedelta(days=days_from_now))
    current = event_current_half_day(event=event)
    days = list(event.days.order_by("date"))
    assert (days.index(current.day), current.half) == expected


def test_between_two_days_the_current_half_day_is_one_of_the_next_day():
    today = timezone.localdate()
    event = _two_day_event(today - dt.timedelta(days=1))
    assert event_current_half_day(event=event).day.date == today


def test_marking_attended_after_the_event_records_every_half_day():
    start = timezone.localtime() - dt.timedelta(days=3)
    event = EventFactory(starts_at=start, ends_at=start + dt.timedelta(days=1))
    EventDay.objects.create(
        event=event, date=start.date(), starts_at=dt.time(14, 0), ends_at=dt.time(18, 0)
    )
    EventDay.objects.create(
        event=event,
        date=start.date() + dt.timedelta(days=1),
        starts_at=dt.time(9, 0),
        ends_at=dt.time(16, 0),
    )
    registration = RegistrationFactory(event=event)
    services.registration_mark_attended(registration=registration)
    assert AttendanceRecord.objects.filter(registration=registration).count() == 3
    onsite_services.registration_mark_no_show(registration=registration)
    assert not AttendanceRecord.objects.filter(registration=registration).exists()
    assert registration.attendance == Attendance.NO_SHOW


def test_attendance_is_recorded_only_once_the_event_has_started():
    registration = RegistrationFactory(status=RegistrationStatus.CONFIRMED)
    with pytest.raises(ValidationError):
        services.registration_mark_attended(registration=registration)
    past = EventFactory(
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=1),
    )
    came = RegistrationFactory(event=past)
    absent = RegistrationFactory(event=past)
    services.registration_mark_attended(registration=came)
    onsite_services.registration_mark_no_show(registration=absent)
    came.refresh_from_db()
    absent.refresh_from_db()
    assert (came.attendance, absent.attendance) == (Attendance.ATTENDED, Attendance.NO_SHOW)


def test_payment_details_are_recorded():
    registration = RegistrationFactory()
    services.registration_set_payment(
        registration=registration,
        payment_status=PaymentStatus.PAID,
        invoice_number="F-2014-118",
        order_reference="BC 4521",
    )
    registration.refresh_from_db()
    assert (
        registration.payment_status,
        registration.invoice_number,
        registration.order_reference,
    ) == (
        PaymentStatus.PAID,
        "F-2014-118",
        "BC 4521",
    )
    with pytest.raises(ValidationError):
        services.registration_set_payment(registration=registration, payment_status="stolen")


def test_emailing_a_segment_sends_one_message_per_registrant(django_capture_on_commit_callbacks):
    event = EventFactory()
    registrations = RegistrationFactory.create_batch(3, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.registration_email_segment(
            registrations=registrations[:2], subject="Infos pratiques", body="Venez tôt."
        )
    assert count == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in registrations[:2])
    assert all("Venez tôt." in m.body and "/mon-inscription/" in m.body for m in mail.outbox)
    with pytest.raises(ValidationError):
        services.registration_email_segment(registrations=registrations, subject="", body="x")


def test_survey_answers_replace_earlier_ones_and_invitations_are_emailed(
    django_capture_on_commit_callbacks,
):
    event = EventFactory()
    question = services.question_save(
        event=event,
        values={
            "label": "Votre niveau d'expérience",
            "kind": Question.Kind.CHOICE,
            "choices": "Débutant\nConfirmé",
            "purpose": Question.Purpose.SURVEY,
        },
    )
    registration = RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    services.survey_answer(registration=registration, answers={question.pk: "Débutant"})
    services.survey_answer(registration=registration, answers={question.pk: "Confirmé"})
    assert [a.value for a in registration.answers.all()] == ["Confirmé"]
    with pytest.raises(ValidationError):
        services.survey_answer(registration=registration, answers={question.pk: "Expert"})
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_invite(event=event) == 1
    assert "/questionnaire/" in mail.outbox[-1].body


def test_a_choice_question_needs_its_answers():
    with pytest.raises(ValidationError) as error:
        services.question_save(
            event=EventFactory(), values={"label": "Choix", "kind": Question.Kind.CHOICE}
        )
    assert "choices" in error.value.message_dict


def test_a_too_long_answer_is_a_field_error_not_cut(lille):
    question = lille.questions.get(kind=Question.Kind.TEXT)
    data = registration_data(lille)
    data.answers = {question.pk: "x" * (services.MAX_ANSWER_LENGTH + 1)}
    with pytest.raises(ValidationError) as error:
        services.registration_create(event=lille, data=data)
    assert f"question_{question.pk}" in error.value.message_dict
    assert not Registration.objects.filter(event=lille).exists()


def test_a_too_long_invoice_number_is_a_field_error_not_cut():
    registration = RegistrationFactory()
    with pytest.raises(ValidationError) as error:
        services.registration_set_payment(
            registration=registration, payment_status="paid", invoice_number="F" * 41
        )
    assert list(error.value.message_dict) == ["invoice_number"]
    registration.refresh_from_db()
    assert registration.invoice_number == ""
