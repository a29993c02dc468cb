"""Check-in codes: signed, not guessable, of one event; scanned into the check-in service; on
the badges, the personal page and the confirmation e-mail."""

import datetime as dt
import html
import io

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from terreau.core.qr import qr_modules
from terreau.events.mail.registration import CHECKIN_CODE_FILENAME, registration_email_send
from terreau.events.models import AttendanceRecord, RegistrationStatus
from terreau.events.selectors.onsite import event_badge_sheets
from terreau.events.selectors.registration import (
    registration_checkin_code,
    registration_from_checkin_code,
    registration_manage_path,
)
from tests.events.factories import EventDayFactory, EventFactory, RegistrationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def an_event_today():
    starts = timezone.now() - dt.timedelta(hours=1)
    event = EventFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=8))
    day = EventDayFactory(
        event=event, date=timezone.localdate(), starts_at=dt.time(0, 0), ends_at=dt.time(23, 59)
    )
    return event, day


def scan(client, event, day, code, **headers):
    return client.post(
        reverse("events:checkin_scan", args=[event.slug]),
        {"day": day.pk, "half": "morning", "code": code},
        **headers,
    )


def test_a_code_is_signed_and_names_only_its_event_registration():
    event, _day = an_event_today()
    other, _other_day = an_event_today()
    registration = RegistrationFactory(event=event)
    code = registration_checkin_code(registration)
    assert registration.token not in code  # it does not open the personal link
    assert registration_from_checkin_code(event, code) == registration
    assert registration_from_checkin_code(other, code) is None
    assert registration_from_checkin_code(event, str(registration.pk)) is None
    forged = signing.Signer(salt="terreau.events.registration").sign(str(registration.pk))
    assert registration_from_checkin_code(event, forged) is None
    assert registration_from_checkin_code(event, "\x00" + "9" * 5000) is None


def test_scanning_a_code_checks_its_holder_in_and_a_bad_code_changes_nothing(client, staff):
    event, day = an_event_today()
    registration = RegistrationFactory(event=event, first_name="Claire", last_name="Martin")
    client.force_login(staff)

    response = scan(client, event, day, "not-a-code", HTTP_HX_REQUEST="true")
    assert "pas une inscription de cet événement" in html.unescape(response.content.decode())
    assert not AttendanceRecord.objects.exists()

    response = scan(
        client, event, day, registration_checkin_code(registration), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Claire Martin est arrivé·e." in body and 'id="checkin-counts"' in body
    assert AttendanceRecord.objects.get().registration == registration

    # Without JavaScript (a handheld scanner typing into the field): back to the list.
    response = scan(client, event, day, registration_checkin_code(registration))
    assert response.status_code == 302 and AttendanceRecord.objects.count() == 1


def test_a_cancelled_registration_scanned_says_why_it_is_not_checked_in(client, staff):
    event, day = an_event_today()
    registration = RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    client.force_login(staff)
    response = scan(
        client, event, day, registration_checkin_code(registration), HTTP_HX_REQUEST="true"
    )
    assert "is-error" in response.content.decode()
    assert not AttendanceRecord.objects.exists()


def test_only_check_in_staff_may_scan(client):
    event, day = an_event_today()
    registration = RegistrationFactory(event=event)
    client.force_login(UserFactory())
    assert scan(client, event, day, registration_checkin_code(registration)).status_code == 403
    assert not AttendanceRecord.objects.exists()


def test_the_check_in_page_offers_the_scan_mode_with_a_typed_code_fallback(client, staff):
    event, _day = an_event_today()
    client.force_login(staff)
    body = client.get(reverse("events:checkin", args=[event.slug])).content.decode()
    assert "data-checkin-scan" in body and 'name="code"' in body
    assert "vendor/jsqr/jsQR.js" in body and "events/checkin-scan.js" in body
    assert 'id="checkin-q"' in body  # the search stays for those without their code


def test_each_badge_and_the_personal_page_show_the_holder_s_code():
    event, _day = an_event_today()
    registration = RegistrationFactory(event=event, first_name="Claire", last_name="Martin")
    badge = event_badge_sheets(event=event)[0][0]
    assert badge.qr_code.startswith("<svg") and 'aria-label="Code d' in badge.qr_code
    size = len(qr_modules(registration_checkin_code(registration))) + 8
    assert f'viewBox="0 0 {size} {size}"' in badge.qr_code


def test_the_personal_page_of_a_confirmed_registration_shows_its_code(client):
    event, _day = an_event_today()
    registration = RegistrationFactory(event=event)
    body = html.unescape(client.get(registration_manage_path(registration)).content.decode())
    assert "Mon code d'accueil" in body and 'class="qr-code"' in body


def test_the_confirmation_email_carries_the_code_as_an_image(mailoutbox):
    event, _day = an_event_today()
    registration = RegistrationFactory(event=event)
    registration_email_send(registration_id=registration.pk, kind="confirmed")
    message = mailoutbox[-1]
    (png,) = [a for a in message.attachments if a[0] == CHECKIN_CODE_FILENAME]
    assert png[2] == "image/png"
    image = Image.open(io.BytesIO(png[1]))
    modules = len(qr_modules(registration_checkin_code(registration))) + 8
    assert image.size == (modules * 8, modules * 8)
    assert CHECKIN_CODE_FILENAME in message.body
