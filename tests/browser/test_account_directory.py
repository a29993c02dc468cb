"""Journey: sign up, verify the e-mail, log in, edit the profile, find the organisation."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "terre-fertile-2026"


def label(text: str) -> re.Pattern:
    """A field's label exactly, give or take the French " :" suffix."""
    return re.compile(rf"^{re.escape(text)}\s*:?$")


@pytest.fixture
def cerdd(transactional_db):
    from terreau.directory.services import organisation_create

    return organisation_create(name="Cerdd", kind="public_body", slug="cerdd")


def test_a_newcomer_signs_up_fills_their_profile_and_finds_their_organisation(page, cerdd):
    page.goto("/")
    page.get_by_role("link", name="Créer un compte").first.click()
    page.get_by_label("Courriel").fill("camille.durand@example.org")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label(label("Nom")).fill("Durand")
    page.get_by_label(label("Mot de passe")).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.locator("main").get_by_role("button").click()
    page.wait_for_url("**/comptes/confirm-email/")

    link = re.search(r"https?://\S+/comptes/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    page.locator("main").get_by_role("button", name="Confirmer").click()
    page.get_by_role("button", name="Se déconnecter").first.click()

    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill("camille.durand@example.org")
    page.get_by_label(label("Mot de passe")).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/compte/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mon compte"

    page.get_by_role("link", name="Créer mon profil dans l'annuaire").click()
    page.get_by_label("Fonction / titre").fill("Animatrice du réseau")
    page.get_by_label("Visible dans l'annuaire public").check()
    organisation = page.get_by_label(label("Organisation"))
    organisation.press_sequentially("cerd", delay=50)
    # Suggestions for a shorter prefix may arrive first; the list settles on the last query.
    expect(page.locator("datalist option").first).to_have_attribute("value", "cerdd")
    organisation.fill("cerdd")
    page.get_by_label("Rôle").fill("Chargée de mission")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/annuaire/personnes/camille-durand/")
    assert page.get_by_role("heading", level=1).inner_text() == "Camille Durand"
    assert "Votre profil a été enregistré." in page.content()

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Annuaire"
    ).click()
    page.locator("main").get_by_role("searchbox", name="Rechercher").fill("CERDD")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Cerdd").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cerdd"
    row = page.get_by_role("row", name=re.compile("Camille Durand"))
    assert "Chargée de mission" in row.inner_text()
