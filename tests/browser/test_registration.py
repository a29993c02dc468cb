"""Journey: register for the Lille national meetings with three rounds of workshop choices,
receive the confirmation e-mail, open the personal link, and cancel."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from terreau.events.models import Registration, RegistrationStatus
from tests.events.registration_fixtures import make_lille_meetings, rounds_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_for_the_lille_meetings_then_cancel_through_the_emailed_link(
    page, live_server, settings
):
    settings.SITE_URL = live_server.url
    event = make_lille_meetings()
    rounds = rounds_of(event)

    page.goto(f"/evenements/{event.slug}/inscription/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rencontres nationales")
    page.get_by_label("Prénom").fill("Claire")
    page.get_by_label(re.compile("^Nom")).fill("Martin")
    page.get_by_label("Adresse e-mail").fill("claire.martin@lenord.fr")
    page.get_by_label(re.compile("^Employeur")).fill("Département du Nord")
    page.get_by_label("Type d'employeur").select_option(label="Département")
    page.get_by_label("Soirée du mardi").check()
    for number, sessions in rounds.items():
        group = page.get_by_role("group", name=re.compile(f"^Tour {number} "))
        for rank, label in enumerate(["1er choix", "2e choix", "3e choix"]):
            # One radio button per workshop and rank, named by both.
            title = sessions[-1 - rank].title
            group.get_by_role("radio", name=f"{label} {title}", exact=True).check()
    page.get_by_label("Afficher mon nom et ma structure").check()
    page.get_by_label("J'accepte que les organisateurs traitent ces données").check()
    page.get_by_role("button", name="S'inscrire").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon inscription")
    expect(page.get_by_text("Votre inscription est confirmée.")).to_be_visible()
    expect(page.get_by_text(rounds[3][-1].title).first).to_be_visible()
    registration = Registration.objects.get()
    assert registration.choices.count() == 9

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject.startswith("Inscription confirmée")
    assert message.attachments[0][2] == "text/calendar"
    link = re.search(r"https?://\S+/mon-inscription/\S+/", message.body).group(0)

    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_text("claire.martin@lenord.fr")).to_be_visible()
    page.get_by_role("link", name="Annuler mon inscription").click()
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    expect(page.get_by_text("Votre inscription est annulée.")).to_be_visible()
    expect(page.locator(".status")).to_have_text("Annulée")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert mail.outbox[-1].subject.startswith("Inscription annulée")
