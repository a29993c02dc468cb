"""The staff table of registrations: columns that sort, numbered pages, bulk actions on the
ticked rows through the registration services, after one confirmation."""

import pytest
from django.core import mail
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terreau.events.models import PaymentStatus, RegistrationAction, RegistrationStatus
from tests.events.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def table(event):
    return reverse("events:registration_table", kwargs={"slug": event.slug})


def bulk(event):
    return reverse("events:registration_bulk", kwargs={"slug": event.slug})


def test_a_heading_sorts_the_table_and_a_second_click_reverses_it(client, staff):
    client.force_login(staff)
    event = EventFactory()
    for name in ("Martin", "Aubry", "Dupont"):
        RegistrationFactory(event=event, last_name=name)
    response = client.get(table(event), {"sort": "name", "status": "confirmed"})
    assert [r.last_name for r in response.context["registrations"]] == ["Aubry", "Dupont", "Martin"]
    name = next(c for c in response.context["columns"] if c.label == "Nom")
    assert name.aria_sort == "ascending"
    assert QueryDict(name.href[1:]) == QueryDict("status=confirmed&sort=-name")  # filters kept
    assert 'aria-sort="ascending"' in response.content.decode()
    response = client.get(table(event), {"sort": "-name"})
    assert [r.last_name for r in response.context["registrations"]] == ["Martin", "Dupont", "Aubry"]
    # An unknown column is ignored, not an error.
    assert client.get(table(event), {"sort": "password"}).status_code == 200


def test_sorting_keeps_the_query_count_constant(client, staff):
    client.force_login(staff)
    event = EventFactory()
    RegistrationFactory(event=event)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(table(event), {"sort": "-tariff"})
        return len(queries)

    small = count()
    RegistrationFactory.create_batch(3, event=event)
    assert count() == small


def test_the_table_has_numbered_pages(client, staff):
    client.force_login(staff)
    event = EventFactory()
    RegistrationFactory.create_batch(51, event=event)
    body = client.get(table(event)).content.decode()
    assert 'aria-label="Page 2"' in body and 'aria-current="page"' in body


def test_a_bulk_action_asks_once_then_goes_through_each_service(client, staff):
    client.force_login(staff)
    event = EventFactory(requires_approval=True, capacity=10)
    pending = RegistrationFactory.create_batch(2, event=event, status=RegistrationStatus.PENDING)
    confirmed = RegistrationFactory(event=event, last_name="Zola")
    ids = [r.pk for r in (*pending, confirmed)]

    response = client.post(bulk(event), {"action": "approve", "ids": ids, "back": "?sort=name"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Zola" in body and "Confirmer l'action" in body.replace("&#x27;", "'")
    assert type(pending[0]).objects.get(pk=pending[0].pk).status == RegistrationStatus.PENDING

    response = client.post(
        bulk(event), {"action": "approve", "ids": ids, "confirmed": "on", "back": "?sort=name"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?sort=name")
    statuses = {r.pk: r.status for r in event.registrations.all()}
    assert [statuses[r.pk] for r in pending] == [RegistrationStatus.CONFIRMED] * 2
    assert RegistrationAction.objects.filter(kind="approved", by=staff).count() == 2
    assert len(mail.outbox) == 2  # each approval e-mailed, as one by one
    # The confirmed one was not pending: skipped, and staff are told why.
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Zola" in m for m in messages)


def test_mark_paid_and_cancel_in_bulk(client, staff):
    client.force_login(staff)
    event = EventFactory()
    rows = RegistrationFactory.create_batch(2, event=event, payment_status=PaymentStatus.UNPAID)
    ids = [r.pk for r in rows]
    client.post(bulk(event), {"action": "paid", "ids": ids, "confirmed": "on"})
    assert set(event.registrations.values_list("payment_status", flat=True)) == {"paid"}
    client.post(bulk(event), {"action": "cancel", "ids": ids[:1], "confirmed": "on"})
    assert event.registrations.get(pk=ids[0]).status == RegistrationStatus.CANCELLED
    assert event.registrations.get(pk=ids[1]).status == RegistrationStatus.CONFIRMED


def test_bulk_e_mail_opens_the_message_form_for_the_ticked_rows_only(client, staff):
    client.force_login(staff)
    event = EventFactory()
    chosen, _other = RegistrationFactory.create_batch(2, event=event)
    response = client.post(bulk(event), {"action": "email", "ids": [chosen.pk]})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.context["recipients"] == 1


def test_bulk_actions_touch_only_this_event_and_only_for_staff(client, staff, user):
    event, other = EventFactory(), EventFactory()
    stranger = RegistrationFactory(event=other)
    client.force_login(user)
    data = {"action": "cancel", "ids": [stranger.pk], "confirmed": "on"}
    assert client.post(bulk(event), data).status_code == 403
    client.force_login(staff)
    client.post(bulk(event), data)
    client.post(bulk(event), {"action": "cancel", "ids": ["x", "9" * 40], "confirmed": "on"})
    stranger.refresh_from_db()
    assert stranger.status == RegistrationStatus.CONFIRMED
    assert client.post(bulk(event), {"action": "cancel"}).status_code == 302


def test_moving_a_selection_to_the_waiting_list_releases_seats_and_tells_each_person(client, staff):
    client.force_login(staff)
    event = EventFactory(has_waiting_list=True)
    confirmed = RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED)
    cancelled = RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    mail.outbox.clear()
    response = client.post(
        bulk(event),
        {"action": "waitlist", "ids": [confirmed.pk, cancelled.pk], "confirmed": "on"},
    )
    assert response.status_code == 302
    confirmed.refresh_from_db()
    cancelled.refresh_from_db()
    assert confirmed.status == RegistrationStatus.WAITLISTED
    assert cancelled.status == RegistrationStatus.CANCELLED  # skipped, with the reason
    assert confirmed.actions.filter(kind="waitlisted", by=staff).exists()
    assert [m.to for m in mail.outbox] == [[confirmed.email]]


def test_an_event_without_a_waiting_list_refuses_the_move_and_changes_nothing():
    from django.core.exceptions import ValidationError

    from terreau.events.services.registration import registration_move_to_waitlist

    registration = RegistrationFactory(
        event=EventFactory(has_waiting_list=False), status=RegistrationStatus.CONFIRMED
    )
    with pytest.raises(ValidationError):
        registration_move_to_waitlist(registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert not registration.actions.exists()
