"""Journey: a member shares an initiative through the five-step form, a moderator publishes it,
and it appears on its own page."""

import pytest
from playwright.sync_api import expect

from terreau.observatory.models import FacilitationFormat, Initiative
from tests.directory.factories import OrganisationFactory
from tests.factories import ThemeFactory, UserFactory
from tests.territories.factories import CommuneFactory

PASSWORD = "a-strong-pass-phrase"


def log_in(page, email):
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_proposes_an_initiative_that_a_moderator_publishes(page):
    member = UserFactory(email="nadia@example.org")
    moderator = UserFactory(email="malik@example.org", is_moderator=True)
    CommuneFactory(name="Amiens", insee="80021")
    ThemeFactory(name="Pouvoir d'agir", slug="pouvoir-dagir")
    FacilitationFormat.objects.create(name="Assemblée populaire", slug="assemblee-populaire")
    etouvie = OrganisationFactory(
        name="Centre socio-culturel Etouvie", slug="centre-socio-culturel-etouvie"
    )

    page.goto("/observatoire/contributions/nouvelle/")
    log_in(page, member.email)
    page.get_by_role("button", name="Commencer").click()

    # Step 1: identity (an empty title is refused, the draft stays).
    page.get_by_role("heading", level=1, name="Identité").wait_for()
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_text("Ce champ est obligatoire.").first.wait_for()
    page.get_by_label("Titre").fill("L'assemblée populaire d'Etouvie")
    page.get_by_label("Résumé").fill("Les habitants du quartier prennent la parole.")
    page.get_by_label("Pouvoir d'agir").check()
    page.get_by_role("button", name="Enregistrer et continuer").click()
    # Step 2: place and time.
    page.get_by_role("heading", level=1, name="Lieu et dates").wait_for()
    page.get_by_label("Commune").fill("Amiens")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    # Step 3: people and organisations.
    page.get_by_role("heading", level=1, name="Personnes et structures").wait_for()
    # Picked from the directory: the suggestions come as one types.
    leads = page.get_by_role("group", name="Structures porteuses")
    leads.get_by_label("Ajouter une structure de l'annuaire").press_sequentially(etouvie.name[:8])
    expect(leads.locator(f'datalist option[value="{etouvie.slug}"]')).to_have_count(1)
    leads.get_by_label("Ajouter une structure de l'annuaire").fill(etouvie.slug)
    page.get_by_role("button", name="Enregistrer et continuer").click()
    # Step 4: participation.
    page.get_by_role("heading", level=1, name="Participation").wait_for()
    page.get_by_label("Assemblée populaire").check()
    page.get_by_label("Nombre de participants").fill("60")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    # Step 5: analysis and media.
    page.get_by_role("heading", level=1, name="Analyse et médias").wait_for()
    page.get_by_label("Enseignements").fill("Aller chercher la parole là où elle est.")
    page.get_by_role("button", name="Enregistrer et relire").click()
    # Review and send.
    page.get_by_text("Amiens").first.wait_for()
    page.get_by_label("Résumé de votre contribution").fill("Nouvelle fiche")
    page.get_by_role("button", name="Envoyer aux modérateurs").click()
    page.get_by_text("Envoyée. Les modérateurs vont la relire").wait_for()

    page.locator('header form[action$="/logout/"] button').click()
    page.goto("/observatoire/moderation/")
    log_in(page, moderator.email)
    page.get_by_role("link", name="L'assemblée populaire d'Etouvie").click()
    page.get_by_text("Aller chercher la parole là où elle est.").wait_for()
    page.get_by_label("Commentaire pour la personne contributrice").fill("Merci !")
    page.get_by_role("button", name="Publier", exact=True).click()

    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert heading.inner_text() == "L'assemblée populaire d'Etouvie"
    assert page.get_by_text("Les habitants du quartier prennent la parole.").first.is_visible()
    assert page.locator("dd", has_text="Amiens (80021)").is_visible()
    initiative = Initiative.objects.get()
    assert page.url.endswith(initiative.get_absolute_url())
    assert initiative.participant_count == 60
    assert initiative.revisions.get().published_by == moderator
    assert list(initiative.lead_organisations.all()) == [etouvie]
    assert page.get_by_role("link", name="Centre socio-culturel Etouvie").is_visible()
