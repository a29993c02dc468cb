"""A meeting that moves or is cancelled tells its members (once, through the outbox, in the
change's transaction); a meeting's event page takes no public registration."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from terreau.core.outbox.models import OutboxMessage
from terreau.events.models import EventState, Registration
from terreau.groups import services
from tests.events.factories import VenueFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _update(meeting, **changes):
    event = meeting.event
    start = timezone.localtime(event.starts_at)
    values = {
        "date": start.date(),
        "starts_at": start.time(),
        "ends_at": timezone.localtime(event.ends_at).time(),
        "venue": event.venue,
        "themes_worked": meeting.themes_worked,
    } | changes
    return services.meeting_update(meeting=meeting, **values)


def test_a_new_date_or_place_reaches_each_member_once(world, mailoutbox):
    new_date = timezone.localdate() + dt.timedelta(days=21)
    _update(world.future, date=new_date)
    members = sorted(m.person.email for m in world.members)
    assert sorted(m.to[0] for m in mailoutbox) == members
    message = mailoutbox[0]
    assert world.group.name in message.subject
    assert new_date.strftime("%d/%m/%Y") in message.body
    assert message.attachments[0][2] == "text/calendar"
    mailoutbox.clear()
    _update(world.future, themes_worked="Un thème")  # nothing members need to know
    _update(world.future, date=new_date)  # the same again: no change
    assert mailoutbox == []
    _update(world.future, venue=VenueFactory(name="Maison des associations"))
    assert len(mailoutbox) == 3 and "Maison des associations" in mailoutbox[0].body


def test_a_cancelled_meeting_is_told_once_and_then_frozen(world, mailoutbox):
    services.meeting_cancel(meeting=world.future, reason="Grève des trains")
    world.future.event.refresh_from_db()
    assert world.future.event.state == EventState.CANCELLED
    assert len(mailoutbox) == 3 and "Grève des trains" in mailoutbox[0].body
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=world.future)
    with pytest.raises(ValidationError):
        _update(world.future, date=timezone.localdate() + dt.timedelta(days=22))
    with pytest.raises(ValidationError):
        services.excuse_send(meeting=world.future, membership=world.members[0])
    assert len(mailoutbox) == 3
    with pytest.raises(ValidationError):  # a meeting held is not cancelled
        services.meeting_cancel(meeting=world.past)


def test_the_notice_is_written_in_the_transaction_of_the_change(
    world, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {"BACKEND": "terreau.core.outbox.backend.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }
    before = OutboxMessage.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.meeting_cancel(meeting=world.future)
        assert OutboxMessage.objects.count() == before + 3
        raise RuntimeError  # the change is rolled back: so are its e-mails
    assert OutboxMessage.objects.count() == before
    with django_capture_on_commit_callbacks(execute=False):
        services.meeting_cancel(meeting=world.future)
    assert OutboxMessage.objects.count() == before + 3


def test_the_facilitator_cancels_from_the_meeting_page(client, world, mailoutbox):
    url = reverse("groups:meeting_cancel", args=[world.group.slug, world.future.pk])
    client.force_login(world.members[0].user)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(world.facilitator.user)
    assert client.post(url, {"reason": "Salle indisponible"}).status_code == 302
    assert len(mailoutbox) == 3
    page = client.get(reverse("groups:meeting", args=[world.group.slug, world.future.pk]))
    assert url not in page.content.decode()  # no second cancellation offered
    client.post(url, {"reason": "again"})
    assert len(mailoutbox) == 3


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member"])
def test_a_meeting_page_shows_no_registration_form(client, world, who):
    if who == "outsider":
        client.force_login(UserFactory())
    elif who == "member":
        client.force_login(world.members[0].user)
    event = world.future.event
    page = client.get(event.get_absolute_url())
    text = page.content.decode()
    register = reverse("events:register", args=[event.slug])
    assert page.status_code == 200 and register not in text
    assert reverse("groups:detail", args=[world.group.slug]) in text
    # The registration address itself sends back to the page, and takes nothing.
    count = Registration.objects.filter(event=event).count()
    response = client.post(
        register, {"first_name": "A", "last_name": "B", "email": "a@b.org", "consent": "on"}
    )
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert Registration.objects.filter(event=event).count() == count
    group_page = client.get(reverse("groups:detail", args=[world.group.slug])).content.decode()
    if who != "member":
        assert 'id="s-join"' in group_page
