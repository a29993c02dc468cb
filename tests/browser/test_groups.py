"""Journey: the facilitator creates the year's calendar, a member accepts the charter and
sends an excuse, the facilitator checks people in on a phone and shares the minutes, and the
member reads them."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from terreau.groups.models import Excuse, MeetingAttendance, Minutes
from tests.events.factories import VenueFactory
from tests.groups.factories import ExchangeGroupFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def open_as(browser, live_server, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.ALLOWED_HOSTS = ["*"]
    contexts = []

    def open_page(user, **options):
        client = Client()
        client.force_login(user)
        context = browser.new_context(locale="fr-FR", base_url=live_server.url, **options)
        context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_a_year_of_meetings_from_calendar_to_minutes(open_as):
    today = timezone.localdate()
    group = ExchangeGroupFactory(
        name="Groupe d'échanges Est",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=330),
    )
    seat = VenueFactory(name="Conseil régional, siège")
    VenueFactory(name="Centre social La Bourgogne")
    facilitator = member(group, role="facilitator")
    nadia = member(group, charter=False)
    nadia.person.first_name, nadia.person.last_name = "Nadia", "Lefebvre"
    nadia.person.save()
    karim = member(group)
    karim.person.first_name, karim.person.last_name = "Karim", "Haddad"
    karim.person.save()

    # The facilitator creates the year's calendar in one step.
    desk = open_as(facilitator.user)
    desk.goto(f"/groupes/{group.slug}/espace/")
    desk.get_by_role("link", name="Créer le calendrier de l'année").click()
    desk.locator("#id_first").fill((today - dt.timedelta(days=1)).isoformat())
    desk.locator("#id_first_venue").select_option(str(seat.pk))
    desk.get_by_label("Conseil régional, siège").check()
    desk.get_by_label("Centre social La Bourgogne").check()
    desk.get_by_role("button", name="Créer le calendrier").click()
    expect(desk.locator(".messages")).to_contain_text("rencontres prévues")
    rows = desk.locator("section[aria-labelledby='s-calendar'] tbody tr")
    expect(rows.first).to_contain_text("Conseil régional, siège")
    assert group.meetings.count() >= 11
    first, second = group.meetings.order_by("number")[:2]

    # A member accepts the charter, then excuses themself from the second meeting.
    home = open_as(nadia.user)
    home.goto(f"/groupes/{group.slug}/espace/")
    expect(home.get_by_role("heading", level=1)).to_contain_text("Charte du groupe")
    home.get_by_role("button", name="Accepter la charte").click()
    expect(home.locator(".has-error, .form-error-summary").first).to_be_visible()
    home.get_by_label("J'ai lu la charte et je l'accepte").check()
    home.get_by_role("button", name="Accepter la charte").click()
    expect(home.get_by_role("heading", level=1)).to_contain_text("espace du groupe")
    home.goto(f"/groupes/{group.slug}/rencontres/{second.pk}/")
    home.get_by_label("Motif (vu par l'animation)").fill("Conseil municipal ce jour-là")
    home.get_by_role("button", name="Je ne pourrai pas venir").click()
    expect(home.locator(".messages")).to_contain_text("Votre excuse a été envoyée")
    assert Excuse.objects.get(meeting=second).reason == "Conseil municipal ce jour-là"

    # On a phone, the facilitator checks Karim in at the first meeting.
    phone = open_as(facilitator.user, viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"/groupes/{group.slug}/rencontres/{first.pk}/")
    phone.get_by_role("link", name="Accueil (téléphone)").click()
    phone.get_by_role("button", name="Marquer présent·e — Karim Haddad").tap()
    expect(phone.get_by_role("button", name="Annuler l’arrivée — Karim Haddad")).to_be_visible()
    phone.goto(f"/groupes/{group.slug}/rencontres/{first.pk}/")
    phone.get_by_role("button", name="Reprendre les présences de l'accueil").tap()
    expect(phone.locator(".messages")).to_contain_text("1 présent·es")
    statuses = dict(
        MeetingAttendance.objects.filter(meeting=first).values_list(
            "membership__person__last_name", "status"
        )
    )
    assert statuses == {"Haddad": "present", "Lefebvre": "absent"}

    # The facilitator writes the minutes, previews them and shares them with the group.
    desk.goto(f"/groupes/{group.slug}/rencontres/{first.pk}/compte-rendu/modifier/")
    desk.locator("#id_body").fill("## Tour de table\n\nChacun·e présente sa démarche.")
    desk.get_by_role("button", name="Aperçu").click()
    expect(desk.locator("section[aria-labelledby='s-preview'] .prose")).to_contain_text(
        "Tour de table"
    )
    desk.get_by_role("button", name="Enregistrer").click()
    desk.get_by_role("button", name="Partager avec le groupe").click()
    expect(desk.locator(".messages")).to_contain_text("partagé avec le groupe")
    assert Minutes.objects.get(meeting=first).is_published

    # The member reads them from the group's space.
    home.goto(f"/groupes/{group.slug}/espace/")
    home.get_by_role("link", name="Lire").first.click()
    expect(home.get_by_role("heading", name="Tour de table")).to_be_visible()
