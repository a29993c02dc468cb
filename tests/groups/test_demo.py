"""The groups' demo: Est and Ouest 2013–2014 of seed 003, loaded once."""

import datetime as dt
import importlib
import io

import pytest
from django.utils import timezone

from terreau.groups import demo
from terreau.groups.models import (
    CitizensMeeting,
    ExchangeGroup,
    GroupMembership,
    MeetingAttendance,
    Minutes,
)

pytestmark = pytest.mark.django_db


def test_the_two_groups_of_the_2013_call_with_a_year_of_meetings():
    for name in ("accounts", "core", "directory"):
        importlib.import_module(f"terreau.{name}.demo").load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())  # loaded once
    groups = {g.slug: g for g in ExchangeGroup.objects.all()}
    assert set(groups) == {"groupe-echanges-est-2013-2014", "groupe-echanges-ouest-2013-2014"}
    for group in groups.values():
        members = GroupMembership.objects.filter(group=group, role="member").count()
        assert 12 <= members <= 15
        meetings = list(group.meetings.select_related("event__venue").order_by("number"))
        assert len(meetings) == 12
        first = meetings[0].event
        assert timezone.localtime(first.starts_at) == timezone.make_aware(
            dt.datetime(2013, 5, 17, 9, 30)
        )
        assert "Hoover" in first.venue.address
        assert len({m.event.venue_id for m in meetings}) == 12  # moving across the zone
        statuses = set(
            MeetingAttendance.objects.filter(meeting__group=group).values_list("status", flat=True)
        )
        assert statuses == {"present", "excused", "absent"}
        assert GroupMembership.objects.filter(group=group, absence_alert_at__isnull=False).exists()
        assert Minutes.objects.filter(meeting__group=group, is_published=True).count() == 3
    assert CitizensMeeting.objects.count() == 1
    assert groups["groupe-echanges-est-2013-2014"].productions.get().is_published


def test_the_est_group_takes_the_demo_calls_selection_once_it_is_formed(mailoutbox):
    from terreau.calls.models import ApplicationState, CallGroup, GroupAssignment
    from tests.calls.factories import ApplicationFactory, CallFactory
    from tests.territories.factories import ZoneFactory

    for name in ("accounts", "core", "directory"):
        importlib.import_module(f"terreau.{name}.demo").load(stdout=io.StringIO())
    call = CallFactory()
    est = CallGroup.objects.create(call=call, name="Est", zone=ZoneFactory(slug="est"))
    emails = set()
    for number in range(13):
        application = ApplicationFactory(
            call=call,
            applicant=None,
            applicant_name=f"Candidate {number}",
            applicant_email=f"retenue{number}@exemple.org",
            state=ApplicationState.SELECTED,
        )
        GroupAssignment.objects.create(group=est, application=application)
        emails.add(application.applicant_email)
    demo.load(stdout=io.StringIO())
    group = ExchangeGroup.objects.get(slug="groupe-echanges-est-2013-2014")
    assert group.call_group == est and group.call == call
    members = set(
        GroupMembership.objects.filter(group=group, role="member").values_list(
            "person__email", flat=True
        )
    )
    assert emails <= members and len(members) == 14  # and the demo member's account
    assert MeetingAttendance.objects.filter(meeting__group=group, status="absent").exists()


def test_est_and_ouest_take_their_members_from_the_2013_calls_confirmed_selection(mailoutbox):
    from terreau.calls import demo as calls_demo
    from terreau.calls.models import ApplicationState, Call
    from terreau.core.demo import DEMO_MEMBER_EMAIL
    from tests.territories.factories import ZoneFactory

    for name in ("accounts", "core", "directory"):
        importlib.import_module(f"terreau.{name}.demo").load(stdout=io.StringIO())
    ZoneFactory(name="Est", slug="est")
    ZoneFactory(name="Ouest", slug="ouest")
    calls_demo.load()
    mailoutbox.clear()
    demo.load(stdout=io.StringIO())
    call = Call.objects.get(title=calls_demo.TITLE_2013)
    with_member = []
    for side in ("est", "ouest"):
        group = ExchangeGroup.objects.get(slug=f"groupe-echanges-{side}-2013-2014")
        assert group.call == call and group.call_group.zone.slug == side
        selected = set(
            call.applications.filter(
                state=ApplicationState.SELECTED, group_assignment__group=group.call_group
            ).values_list("applicant_email", flat=True)
        )
        members = set(
            GroupMembership.objects.filter(group=group, role="member").values_list(
                "person__email", flat=True
            )
        )
        assert len(selected) == 14 and selected <= members
        assert members - selected <= {DEMO_MEMBER_EMAIL}
        assert 12 <= len(members) <= 15
        if DEMO_MEMBER_EMAIL in members:
            with_member.append(side)
        assert MeetingAttendance.objects.filter(meeting__group=group, status="absent").exists()
    assert len(with_member) == 1  # the demo member's account is in one group
    # The selected were told in 2013, and the minutes shared then: no welcome e-mail (its
    # link to the charter) nor minutes now; only the absence alerts, to demo accounts.
    assert not [m for m in mailoutbox if "/charte/" in m.body or "/compte-rendu/" in m.body]
    assert {a.split("@")[1] for m in mailoutbox for a in m.to} == {"terreau.localhost"}
