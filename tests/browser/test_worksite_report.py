"""Journey: the committee's chair makes a case's organiser the owner of a section, two
participants edit different sections of the same report at once, one comments and the other
resolves the comment, the committee validates, and the publication appears in the resource
library with its PDF and EPUB."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "a-strong-pass-phrase"  # tests.factories.UserFactory's


def label(text: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(text)}\s*:?$")


def _log_in(browser, live_server, user):
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label(label("Mot de passe")).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/compte/")
    return context, page


@pytest.fixture
def journey(transactional_db, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.ALLOWED_HOSTS = ["*"]
    from tests.worksites.factories import world_create

    world = world_create()
    world.second = world.report.sections.order_by("position")[1]
    return world


def test_two_people_write_a_report_that_ends_in_the_library(browser, live_server, journey):
    world = journey
    report_url = f"/chantiers/{world.worksite.slug}/cas/{world.case.slug}/compte-rendu/"
    chair_context, chair = _log_in(browser, live_server, world.committee)
    try:
        chair.goto(f"/chantiers/{world.worksite.slug}/espace/")
        chair.get_by_role("link", name="Membres").click()
        chair.get_by_label(f"Responsable de «\u00a0{world.second.title}\u00a0»").select_option(
            str(world.organiser.pk)
        )
        chair.locator(f"form:has(select[name='s{world.second.pk}-owner'])").get_by_role(
            "button", name="Désigner"
        ).click()
        expect(chair.get_by_text("responsable changé")).to_be_visible()
    finally:
        chair_context.close()
    world.second.refresh_from_db()
    assert world.second.owner_id == world.organiser.pk
    alice_context, alice = _log_in(browser, live_server, world.participant)
    bob_context, bob = _log_in(browser, live_server, world.organiser)
    try:
        # Both open their section's editor before either saves.
        alice.goto(f"{report_url}sections/{world.section.pk}/")
        bob.goto(f"{report_url}sections/{world.second.pk}/")
        alice.get_by_label("Texte").fill("Une **parole collective** se construit dans la durée.")
        expect(alice.locator("#preview strong")).to_have_text("parole collective")
        bob.get_by_label("Texte").fill("Forces : la présence ; faiblesses : les réponses.")
        alice.get_by_role("button", name="Enregistrer").click()
        bob.get_by_role("button", name="Enregistrer").click()
        expect(alice.get_by_text("Section enregistrée")).to_be_visible()
        expect(bob.get_by_text("Section enregistrée")).to_be_visible()

        # Alice comments on a passage of Bob's section; Bob, its owner, resolves it.
        section = alice.locator(f"#section-{world.second.pk}")
        section.get_by_text("Commenter un passage").click()
        section.get_by_label("Passage commenté").fill("la présence")
        section.get_by_label(label("Commentaire")).fill("Laquelle ? Préciser.")
        section.get_by_role("button", name="Ajouter le commentaire").click()
        expect(alice.get_by_text("Commentaire ajouté.")).to_be_visible()

        bob.goto(report_url)
        comment = bob.locator(f"#section-{world.second.pk} article.comment")
        expect(comment).to_contain_text("Laquelle ? Préciser.")
        comment.get_by_role("button", name="Résoudre").click()
        expect(bob.get_by_text("Commentaire résolu.")).to_be_visible()
        bob.get_by_role("button", name="Soumettre à la relecture").click()
        expect(bob.get_by_text("En relecture")).to_be_visible()
    finally:
        alice_context.close()
        bob_context.close()

    committee_context, committee = _log_in(browser, live_server, world.committee)
    try:
        committee.goto(report_url)
        committee.get_by_role("button", name="Valider le compte rendu").click()
        expect(committee.locator("header .status")).to_have_text("Validé")
        committee.goto(f"/chantiers/{world.worksite.slug}/publication/")
        committee.get_by_role("button", name="Fabriquer la première édition").click()
        expect(committee.get_by_text("Édition 1").first).to_be_visible()
        in_library = committee.locator("main p").get_by_role("link", name=world.worksite.question)
        expect(in_library).to_be_visible()
        in_library.click()
        expect(committee.get_by_role("heading", level=1)).to_have_text(world.worksite.question)
        expect(committee.get_by_text("Creative Commons BY-SA 4.0")).to_be_visible()
        expect(committee.get_by_role("link", name="Édition 1 (EPUB)")).to_be_visible()
        expect(committee.get_by_role("link", name="Édition 1 (PDF)")).to_be_visible()
        committee.goto("/ressources/")
        expect(committee.get_by_role("link", name=world.worksite.question).first).to_be_visible()
    finally:
        committee_context.close()
