"""Journey: a member proposes a publication with its PDF, a moderator asks for a change, the
member revises it, the moderator publishes it and it is on the resources' pages (360 px)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.files import pdf_bytes

PASSWORD = "a-strong-pass-phrase"


def log_in(page, email):
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_proposes_a_resource_that_a_moderator_publishes(page, browser, live_server):
    member = UserFactory(email="nadia@example.org")
    moderator = UserFactory(email="malik@example.org", is_moderator=True)
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto("/ressources/")
    page.get_by_role("link", name="Proposer une ressource").click()
    log_in(page, member.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposer une ressource")
    page.get_by_label(re.compile(r"^Titre\W*$")).fill("Le petit manuel de survie pour les élu·es")
    page.get_by_label("Résumé").fill("Un guide pour les élu·es en transitions.")
    page.get_by_label(re.compile(r"^Fichier\W*$")).set_input_files(
        {"name": "manuel.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_role("button", name="Envoyer aux modérateurs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Le petit manuel de survie pour les élu·es"
    )
    expect(page.get_by_text("Envoyée aux modérateurs")).to_be_visible()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, moderator.email])
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    other = browser.new_context(locale="fr-FR", base_url=live_server.url).new_page()
    other.goto("/ressources/propositions/")
    log_in(other, moderator.email)
    other.get_by_role("link", name="Le petit manuel de survie pour les élu·es").first.click()
    other.get_by_label("Demander des modifications à l'auteur·e").check()
    other.get_by_label("Commentaire pour l'auteur·e").fill("Ajoutez la licence.")
    other.get_by_role("button", name="Enregistrer la décision").click()
    expect(other.get_by_text("Votre décision est enregistrée")).to_be_visible()
    assert "Ajoutez la licence." in mail.outbox[-1].body

    page.reload()
    page.get_by_role("link", name="Modifier et renvoyer").click()
    page.get_by_label("Licence").fill("CC BY-SA")
    page.get_by_role("button", name="Envoyer aux modérateurs").click()
    expect(page.get_by_text("Envoyée aux modérateurs")).to_be_visible()

    other.goto("/ressources/propositions/")
    other.get_by_role("link", name="Le petit manuel de survie pour les élu·es").first.click()
    other.get_by_label("La publier").check()
    other.get_by_role("button", name="Enregistrer la décision").click()
    other.goto("/ressources/")
    other.get_by_role("link", name="Le petit manuel de survie pour les élu·es").first.click()
    expect(other.get_by_text("CC BY-SA")).to_be_visible()
    expect(other.get_by_role("heading", name="Fichiers joints")).to_be_visible()
