"""Journey: on the day, a member of staff checks a participant in from a phone."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from terreau.events.models import AttendanceRecord
from tests.events.factories import EventDayFactory, EventFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser, live_server, settings, staff):
    """A phone-sized page, signed in as staff."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(staff)
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def settled(page) -> None:
    """Wait until htmx has wired the rows it swapped in (it does so after its settle delay; a
    key pressed before that would submit the plain form, which works too but reloads)."""
    page.wait_for_function("() => !document.querySelector('.htmx-added, .htmx-settling')")


def test_staff_search_a_participant_tap_present_and_see_the_count_change(phone):
    starts = timezone.now() - dt.timedelta(hours=1)
    event = EventFactory(
        title="Rencontres nationales des professionnels de la démocratie participative",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=8),
    )
    EventDayFactory(
        event=event,
        date=timezone.localdate(),
        starts_at=dt.time(0, 0),
        ends_at=dt.time(23, 59),
    )
    RegistrationFactory(
        event=event, first_name="Sophie", last_name="Mollet", employer="Ville de Lille"
    )
    RegistrationFactory(event=event, first_name="Harold", last_name="George")
    RegistrationFactory(event=event, first_name="Fanny", last_name="Meilhac")

    phone.goto(f"/evenements/{event.slug}/accueil/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Accueil")
    counts = phone.locator("#checkin-counts")
    expect(counts).to_contain_text("0 / 3")

    phone.get_by_label("Chercher un nom, une structure ou un e-mail").press_sequentially("moll")
    rows = phone.locator(".checkin-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("MOLLET Sophie")
    expect(rows.first).to_contain_text("Ville de Lille")

    rows.first.get_by_role("button", name="Marquer présent·e — Sophie Mollet").tap()
    expect(counts).to_contain_text("1 / 3")
    expect(rows.first).to_have_class("checkin-row is-present")
    assert AttendanceRecord.objects.filter(registration__last_name="Mollet").count() == 1

    # A wrong tap is taken back with one more tap.
    rows.first.get_by_role("button", name="Annuler l’arrivée — Sophie Mollet").tap()
    expect(counts).to_contain_text("0 / 3")
    assert not AttendanceRecord.objects.exists()

    # From the keyboard: Enter on the button marks present, and the focus stays on the row's
    # button (now "Annuler l’arrivée") so the next key press can take it back.
    button = rows.first.get_by_role("button", name="Marquer présent·e — Sophie Mollet")
    settled(phone)
    button.focus()
    phone.keyboard.press("Enter")
    expect(counts).to_contain_text("1 / 3")
    undo = rows.first.get_by_role("button", name="Annuler l’arrivée — Sophie Mollet")
    expect(undo).to_be_focused()

    # Nothing overflows the phone's width.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
