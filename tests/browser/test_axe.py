"""axe-core (vendored under tests/browser/vendor/axe-core) on the public pages and the main staff
pages of the demo site, at a phone's and a desktop's width: no violation of any impact."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
LILLE = "rencontres-nationales-democratie-participative-lille-2014"
DEMO = "rencontres-nationales-edition-de-demonstration"
PUBLIC = [
    "/",
    "/observatoire/",
    "/observatoire/carte/",
    "/observatoire/tableau-de-bord/",
    "/evenements/",
    "/evenements/mois/",
    "/evenements/carte/",
    f"/evenements/{DEMO}/",
    f"/evenements/{DEMO}/programme/",
    f"/evenements/{DEMO}/inscription/",
    f"/evenements/{LILLE}/restitution/",
    "/ressources/",
    "/annuaire/",
    "/annuaire/personnes/",
    "/territoires/",
    "/comptes/login/",
    "/comptes/signup/",
    "/mentions-legales/",
    "/accessibilite/",
]
STAFF = [
    "/evenements/gestion/",
    f"/evenements/gestion/{LILLE}/",
    f"/evenements/gestion/{LILLE}/inscriptions/",
    f"/evenements/gestion/{LILLE}/ateliers/",
    f"/evenements/gestion/{LILLE}/questionnaire/",
    f"/evenements/{LILLE}/sur-place/",
    f"/evenements/{LILLE}/accueil/",
    "/observatoire/moderation/",
    "/compte/",
    "/design/",
]
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ` +
    v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""


def violations(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.evaluate(AXE)
    return [f"{url}: {line}" for line in page.evaluate(RUN_AXE)]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_and_staff_pages_have_no_axe_violation(browser, live_server, settings):
    from django.contrib.auth import get_user_model

    from terreau.core import demo

    settings.SESSION_COOKIE_SECURE = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.TERREAU_MAP_TILES_URL = "/static/no-tiles/{z}/{x}/{y}.png"
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = Client()
    client.force_login(get_user_model().objects.get(email=demo.DEMO_STAFF_EMAIL))
    staff_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    found = []
    for width in (360, 1280):
        for staff, urls in ((False, PUBLIC), (True, STAFF)):
            # The CSP forbids inline scripts: axe is injected by the test, not by the page.
            context = browser.new_context(
                base_url=live_server.url,
                locale="fr-FR",
                viewport={"width": width, "height": 800},
                bypass_csp=True,
            )
            if staff:
                context.add_cookies(
                    [{"name": "sessionid", "value": staff_cookie, "url": live_server.url}]
                )
            page = context.new_page()
            page.set_default_timeout(20_000)
            for url in urls:
                found += [f"{width} px {line}" for line in violations(page, url)]
            context.close()
    assert not found, "\n".join(found)
