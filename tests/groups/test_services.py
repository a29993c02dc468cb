"""Services of the exchange groups: the issue's bad input, attendance, alert, minutes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from terreau.events.models import (
    AttendanceRecord,
    Audience,
    EventKind,
    Registration,
    RegistrationStatus,
)
from terreau.events.services.onsite import attendance_check_in
from terreau.events.services.registration import RegistrationData, registration_create
from terreau.groups import services
from terreau.groups.models import (
    AttendanceSource,
    AttendanceStatus,
    GroupMeeting,
    GroupMembership,
    MeetingAttendance,
    MemberRole,
    Minutes,
)
from terreau.library.models import Resource
from terreau.observatory.models import Initiative
from tests.events.factories import VenueFactory
from tests.factories import UserFactory
from tests.groups.factories import ExchangeGroupFactory, PersonFactory, member

pytestmark = pytest.mark.django_db


def _check_in(meeting, membership):
    registration = meeting.event.registrations.get(person=membership.person)
    day = meeting.event.days.get()
    attendance_check_in(registration=registration, day=day, half="am")


# --- bad input --------------------------------------------------------------------------


def test_a_member_added_twice_is_refused_and_nothing_more_is_saved(world):
    person = world.members[0].person
    with pytest.raises(ValidationError) as error:
        services.membership_add(group=world.group, person=person)
    assert "fait déjà partie du groupe" in str(error.value)
    assert GroupMembership.objects.filter(group=world.group, person=person).count() == 1


def test_a_person_without_e_mail_cannot_join(world):
    person = PersonFactory(email="")
    with pytest.raises(ValidationError) as error:
        services.membership_add(group=world.group, person=person)
    assert "person" in error.value.error_dict


def test_a_meeting_outside_the_period_is_refused_and_no_event_is_created(world):
    count = GroupMeeting.objects.count()
    with pytest.raises(ValidationError) as error:
        services.meeting_create(group=world.group, date=world.group.ends_on + dt.timedelta(days=1))
    assert "date" in error.value.error_dict
    assert "pendant la période du groupe" in str(error.value)
    assert GroupMeeting.objects.count() == count
    with pytest.raises(ValidationError):
        services.meeting_update(
            meeting=world.future,
            date=world.group.starts_on - dt.timedelta(days=1),
            starts_at=dt.time(9, 30),
            ends_at=dt.time(16, 30),
            venue=None,
        )
    world.future.event.refresh_from_db()
    assert world.future.event.starts_at > timezone.now()


def test_a_member_of_another_group_cannot_be_recorded_at_this_meeting(world):
    with pytest.raises(ValidationError) as error:
        services.attendance_set(
            meeting=world.past, membership=world.outsider, status=AttendanceStatus.PRESENT
        )
    assert "n'est pas membre du groupe de cette rencontre" in str(error.value)
    assert not MeetingAttendance.objects.filter(membership=world.outsider).exists()


def test_a_check_in_to_another_groups_meeting_is_not_counted(world):
    # The outsider walks in at the other group's... no: at *this* group's past meeting.
    registration = Registration.objects.create(
        event=world.past.event,
        person=world.outsider.person,
        first_name="X",
        last_name="Y",
        email=world.outsider.person.email,
        status=RegistrationStatus.CONFIRMED,
    )
    attendance_check_in(registration=registration, day=world.past.event.days.get(), half="am")
    counts = services.attendance_from_checkin(meeting=world.past)
    assert counts["ignored"] == 1
    assert not MeetingAttendance.objects.filter(membership=world.outsider).exists()


def test_the_public_form_refuses_non_members_of_a_group_meeting(world):
    data = RegistrationData(
        first_name="Ann", last_name="Other", email="someone@example.org", consent=True
    )
    with pytest.raises(ValidationError) as error:
        registration_create(event=world.future.event, data=data)
    assert "réservé aux membres de son groupe" in str(error.value)


def test_an_excuse_after_the_meeting_has_started_is_refused(world, mailoutbox):
    with pytest.raises(ValidationError) as error:
        services.excuse_send(meeting=world.past, membership=world.members[0], reason="Malade")
    assert "une excuse s'envoie avant" in str(error.value)
    assert not world.past.excuses.exists()
    assert mailoutbox == []


def test_an_excuse_before_the_meeting_reaches_the_facilitators(world, mailoutbox):
    excuse = services.excuse_send(
        meeting=world.future, membership=world.members[0], reason="Conseil municipal"
    )
    assert excuse.pk
    assert [m.to for m in mailoutbox] == [[world.facilitator.person.email]]
    assert "Conseil municipal" in mailoutbox[0].body


def test_an_excuse_without_the_charter_accepted_is_refused(world):
    newcomer = member(world.group, charter=False)
    with pytest.raises(ValidationError) as error:
        services.excuse_send(meeting=world.future, membership=newcomer)
    assert "Acceptez d'abord la charte" in str(error.value)


def test_a_charter_not_ticked_is_not_recorded(world):
    newcomer = member(world.group, charter=False)
    with pytest.raises(ValidationError) as error:
        services.charter_accept(membership=newcomer, accepted=False)
    assert "accepted" in error.value.error_dict
    newcomer.refresh_from_db()
    assert newcomer.charter_accepted_at is None
    services.charter_accept(membership=newcomer, accepted=True)
    newcomer.refresh_from_db()
    assert newcomer.charter_accepted_at is not None


def test_minutes_by_a_member_who_is_not_a_facilitator_are_refused(world):
    with pytest.raises(ValidationError) as error:
        services.minutes_save(meeting=world.past, body="Mon compte rendu", by=world.members[0].user)
    assert "Seule l'animation du groupe" in str(error.value)
    assert not Minutes.objects.exists()
    with pytest.raises(ValidationError):
        services.minutes_save(meeting=world.past, body="x", by=world.outsider.user)


# --- meetings are events -------------------------------------------------------------------


def test_a_meeting_is_a_members_only_event_with_each_member_registered(world, mailoutbox):
    event = world.future.event
    assert event.kind == EventKind.GROUP_MEETING
    assert event.audience == Audience.GROUP_MEMBERS
    start = timezone.localtime(event.starts_at)
    assert (start.hour, start.minute) == (9, 30)
    assert timezone.localtime(event.ends_at).time() == dt.time(16, 30)
    assert event.days.count() == 1
    people = set(event.registrations.values_list("person", flat=True))
    assert people == {m.person_id for m in world.members}
    assert set(event.registrations.values_list("status", flat=True)) == {"confirmed"}


def test_a_member_who_joins_is_invited_to_the_meetings_to_come(world):
    newcomer = member(world.group)
    assert world.future.event.registrations.filter(person=newcomer.person).exists()
    assert not world.past.event.registrations.filter(person=newcomer.person).exists()


def test_the_year_calendar_is_created_in_one_step_and_sent_to_members(db, mailoutbox):
    group = ExchangeGroupFactory(
        starts_on=timezone.localdate() + dt.timedelta(days=1),
        ends_on=timezone.localdate() + dt.timedelta(days=365),
    )
    member(group, role=MemberRole.FACILITATOR)
    members = [member(group) for _ in range(2)]
    seat, a, b = VenueFactory(), VenueFactory(), VenueFactory()
    meetings = services.meetings_plan_year(
        group=group, first=group.starts_on + dt.timedelta(days=5), venues=[a, b], first_venue=seat
    )
    assert 11 <= len(meetings) <= 12
    assert [m.event.venue for m in meetings[:4]] == [seat, a, b, seat]
    assert [m.number for m in meetings] == list(range(1, len(meetings) + 1))
    assert Registration.objects.filter(event__group_meeting__group=group).count() == 2 * len(
        meetings
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(m.person.email for m in members)
    assert mailoutbox[0].attachments[0][2] == "text/calendar"
    with pytest.raises(ValidationError) as error:
        services.meetings_plan_year(group=group, first=group.starts_on, venues=[a])
    assert "a déjà des rencontres" in str(error.value)


def test_moving_a_meeting_renumbers_the_year(world):
    services.meeting_update(
        meeting=world.future,
        date=world.group.starts_on,
        starts_at=dt.time(10, 0),
        ends_at=dt.time(16, 0),
        venue=None,
    )
    world.future.refresh_from_db()
    world.past.refresh_from_db()
    assert (world.future.number, world.past.number) == (1, 2)
    assert world.future.event.days.get().date == world.group.starts_on


# --- attendance and the alert --------------------------------------------------------------


def test_attendance_comes_from_the_events_check_in(world):
    first, second, third = world.members
    _check_in(world.past, first)
    services.attendance_set(meeting=world.past, membership=third, status="excused")
    counts = services.attendance_from_checkin(meeting=world.past)
    assert counts == {"present": 1, "excused": 0, "absent": 1, "kept": 1, "ignored": 0}
    rows = {a.membership_id: a for a in MeetingAttendance.objects.filter(meeting=world.past)}
    assert rows[first.pk].status == AttendanceStatus.PRESENT
    assert rows[first.pk].source == AttendanceSource.CHECK_IN
    assert rows[second.pk].status == AttendanceStatus.ABSENT
    assert rows[third.pk].source == AttendanceSource.MANUAL


def test_attendance_cannot_be_taken_before_the_meeting(world):
    with pytest.raises(ValidationError):
        services.attendance_from_checkin(meeting=world.future)
    with pytest.raises(ValidationError):
        services.attendance_set(meeting=world.future, membership=world.members[0], status="present")


def test_two_unexcused_absences_alert_staff_and_the_facilitator_once(world, mailoutbox):
    staff = UserFactory(is_staff=True)
    absentee = world.members[0]
    second = services.meeting_create(
        group=world.group, date=timezone.localdate() - dt.timedelta(days=3)
    )
    mailoutbox.clear()  # the new meeting's invitations
    services.attendance_set(meeting=world.past, membership=absentee, status="absent")
    assert mailoutbox == []
    services.attendance_set(meeting=second, membership=world.members[1], status="excused")
    services.attendance_set(meeting=second, membership=absentee, status="absent")
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([staff.email, world.facilitator.person.email])
    assert absentee.person.last_name in mailoutbox[0].subject
    absentee.refresh_from_db()
    assert absentee.absence_alert_at is not None
    third = services.meeting_create(
        group=world.group, date=timezone.localdate() - dt.timedelta(days=1)
    )
    del mailoutbox[2:]  # the third meeting's invitations
    services.attendance_set(meeting=third, membership=absentee, status="absent")
    assert len(mailoutbox) == 2  # once only


def test_excused_absences_do_not_alert(world, mailoutbox):
    second = services.meeting_create(
        group=world.group, date=timezone.localdate() - dt.timedelta(days=3)
    )
    mailoutbox.clear()
    for m in (world.past, second):
        services.attendance_set(meeting=m, membership=world.members[0], status="excused")
    assert mailoutbox == []


# --- minutes -------------------------------------------------------------------------------


def test_every_change_of_the_minutes_is_a_revision_with_its_diff(world):
    by = world.facilitator.user
    minutes = services.minutes_save(
        meeting=world.past,
        body="Premier jet",
        by=by,
        new_experiences=["Budget participatif de Lille"],
    )
    services.minutes_save(
        meeting=world.past, body="Premier jet", by=by, initiatives=list(minutes.initiatives.all())
    )
    services.minutes_save(meeting=world.past, body="Premier jet relu", by=by, new_experiences=[])
    revisions = list(minutes.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]  # saving the same content twice adds none
    assert revisions[1].author == by
    changes = services.revision_changes(revision=revisions[1], previous=revisions[0])
    names = {c.name: c for c in changes}
    assert ("insert", " relu") in names["body"].segments
    assert names["experiences"].removed == ["Budget participatif de Lille"]


def test_experiences_presented_link_or_create_observatory_initiatives(world):
    existing = Initiative.objects.create(title="Jardin partagé", slug="jardin", summary="s")
    minutes = services.minutes_save(
        meeting=world.past,
        body="Texte",
        by=world.facilitator.user,
        new_experiences=["jardin partagé", "Conseil citoyen de Roubaix"],
    )
    titles = set(minutes.initiatives.values_list("title", flat=True))
    assert titles == {"Jardin partagé", "Conseil citoyen de Roubaix"}
    created = Initiative.objects.get(title="Conseil citoyen de Roubaix")
    assert created.state == "draft" and created.created_by == world.facilitator.user
    assert Initiative.objects.filter(pk=existing.pk).count() == 1


def test_publishing_minutes_e_mails_the_group_once(world, mailoutbox):
    by = world.facilitator.user
    minutes = services.minutes_save(meeting=world.past, body="Texte", by=by)
    services.minutes_publish(minutes=minutes, by=by)
    sent = sorted(m.to[0] for m in mailoutbox)
    expected = sorted([world.facilitator.person.email, *(m.person.email for m in world.members)])
    assert sent == expected
    services.minutes_publish(minutes=minutes, by=by, is_public=True)
    assert len(mailoutbox) == len(expected)
    assert minutes.revisions.count() == 3


def test_empty_minutes_cannot_be_shared(world):
    minutes = services.minutes_save(meeting=world.past, body="", by=world.facilitator.user)
    with pytest.raises(ValidationError):
        services.minutes_publish(minutes=minutes, by=world.facilitator.user)


# --- productions and citizens' meetings --------------------------------------------------


def test_a_production_is_published_to_the_library_signed_by_the_group(world):
    production = services.production_save(
        group=world.group,
        title="Contribution au forum",
        kind="forum_contribution",
        summary="Ce que nous retenons",
        by=world.members[0].user,
    )
    with pytest.raises(ValidationError):
        services.production_publish(production=production, by=world.members[0].user)
    services.production_publish(production=production, by=world.facilitator.user)
    resource = Resource.objects.get()
    assert resource.is_published and resource.title == "Contribution au forum"
    assert [o.name for o in resource.organisations.all()] == [world.group.name]


def test_a_citizens_meeting_is_an_open_event_linked_to_the_group(world):
    item = services.citizens_meeting_create(
        group=world.group, title="Rencontre citoyenne", date=timezone.localdate()
    )
    assert item.event.kind == EventKind.CITIZENS_MEETING
    assert item.event.audience == Audience.OPEN
    assert item.group == world.group


def test_the_facilitator_runs_the_door_of_the_groups_meetings_only(world):
    user = world.facilitator.user
    assert user.has_perm("events.check_in_registrants", world.past.event)
    assert not user.has_perm("events.check_in_registrants", world.other_meeting.event)
    assert not world.members[0].user.has_perm("events.check_in_registrants", world.past.event)
    assert AttendanceRecord.objects.count() == 0


def test_a_member_who_leaves_is_no_longer_expected_at_meetings_to_come(world):
    leaver = world.members[0]
    services.membership_end(membership=leaver)
    statuses = dict(
        Registration.objects.filter(person=leaver.person).values_list("event", "status")
    )
    assert statuses[world.future.event_id] == RegistrationStatus.CANCELLED
    assert statuses[world.past.event_id] == RegistrationStatus.CONFIRMED
    with pytest.raises(ValidationError):
        services.membership_end(
            membership=world.members[1], left_on=world.group.starts_on - dt.timedelta(days=1)
        )
