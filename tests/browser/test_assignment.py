"""Journey: staff run the workshop assignment from a phone, read the result, pin a participant."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from terreau.events.models import AssignmentRun, WorkshopAssignment
from tests.events.assignment_fixtures import make_two_rounds, register

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
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport=PHONE)
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
    page.set_default_timeout(30_000)
    yield page
    context.close()


def test_staff_run_the_assignment_and_pin_someone_from_a_phone(phone):
    event, rounds = make_two_rounds()
    people = [register(event, rounds, [(0, 1), (2,)], actor_category="elected") for _ in range(3)]
    phone.goto(f"/evenements/gestion/{event.slug}/", wait_until="domcontentloaded")
    phone.get_by_role("link", name="Répartir les participant·es dans les ateliers").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Répartition dans les ateliers")
    phone.get_by_label("Répartir les catégories d'acteurs entre les ateliers").check()
    phone.get_by_role("button", name="Lancer la répartition").first.click()
    expect(phone.get_by_text("Les ateliers sont attribués.")).to_be_visible()
    expect(phone.get_by_role("heading", name="Résultat du dernier passage")).to_be_visible()
    assert AssignmentRun.objects.get().spread_categories
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.get_by_label("Trouver un·e participant·e").fill(people[0].last_name)
    phone.locator("main").get_by_role("button", name="Rechercher").click()
    phone.get_by_role("link", name=people[0].full_name).first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(people[0].full_name)
    phone.get_by_role("combobox", name="Atelier").select_option(str(rounds[0][1][1].pk))
    phone.get_by_role("button", name="Placer").click()
    expect(phone.get_by_text(f"{people[0].full_name} est maintenant dans")).to_be_visible()
    assignment = WorkshopAssignment.objects.get(registration=people[0], slot=rounds[0][0])
    assert assignment.is_pinned and assignment.session == rounds[0][1][1]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
