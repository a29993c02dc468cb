"""Demo of the day and after: Liévin's four report-backs, Lille's check-ins."""

import datetime as dt

import pytest

from terreau.events.demo import onsite as demo_onsite
from terreau.events.models import AttendanceRecord, SessionKind, WorkshopReport
from terreau.events.selectors.onsite import event_outputs, registration_attended_minutes
from tests.events.factories import (
    EventDayFactory,
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    SlotFactory,
)

pytestmark = pytest.mark.django_db


def test_the_four_lievin_workshops_get_a_published_report_back_drawn_from_their_brief():
    event = EventFactory(slug=demo_onsite.LIEVIN_SLUG)
    slot = SlotFactory(day=EventDayFactory(event=event), round_number=1)
    for prefix in demo_onsite.LIEVIN_REPORTS:
        SessionFactory(
            slot=slot, kind=SessionKind.EXCHANGE_WORKSHOP, title=f"{prefix} : …", brief="Consigne"
        )
    demo_onsite.load()
    demo_onsite.load()  # loading twice changes nothing
    assert WorkshopReport.objects.filter(is_published=True).count() == 4
    outputs = event_outputs(event=event)
    assert len(outputs.reports) == 4
    assert all("consigne" in report.notes.lower() for report in outputs.reports)


def test_some_lille_registrants_are_checked_in_over_the_two_days():
    event = EventFactory(slug=demo_onsite.LILLE_SLUG)
    tuesday = EventDayFactory(event=event, starts_at=dt.time(13), ends_at=dt.time(23))
    EventDayFactory(event=event, date=tuesday.date + dt.timedelta(days=1))
    registrations = RegistrationFactory.create_batch(30, event=event)
    demo_onsite.load()
    checked_in = {record.registration_id for record in AttendanceRecord.objects.all()}
    assert len(checked_in) == demo_onsite.LILLE_CHECKED_IN
    assert registration_attended_minutes(registration=registrations[0]) > 0
