"""Journeys: subscribe to the newsletter, confirm from the e-mail, receive an issue and
unsubscribe in one click; find a resource from the header's search box."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def use_outbox(settings):
    settings.MAILERS = {
        "default": {"BACKEND": "terreau.core.outbox.backend.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }


def local(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_subscribe_confirm_receive_an_issue_and_unsubscribe_in_one_click(
    page, settings, transactional_db
):
    from terreau.library.models import Subscriber, SubscriberState
    from terreau.library.services import newsletter
    from tests.library.factories import IssueFactory, IssueItemFactory

    use_outbox(settings)
    page.goto("/ressources/lettre/")
    page.get_by_label("Votre adresse e-mail").fill("ana@example.org")
    page.get_by_label("Événements").check()
    page.locator("main").get_by_role("button", name="S'abonner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]  # the confirmation only

    link = re.search(r"https?://\S+/lettre/confirmer/\S+/", mail.outbox[0].body).group(0)
    page.goto(local(link))
    page.get_by_role("button", name="Confirmer mon abonnement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes abonné·e")

    issue = IssueFactory(subject="La lettre d'avril")
    IssueItemFactory(issue=issue, kind="event", title="Journée régionale à Arras")
    IssueItemFactory(issue=issue, kind="news", title="Une actualité sans intérêt pour Ana")
    newsletter.issue_send(issue=issue)
    received = [m for m in mail.outbox if m.subject == "La lettre d'avril"]
    assert len(received) == 1
    assert "Journée régionale à Arras" in received[0].body
    assert "sans intérêt" not in received[0].body  # her preferences: events only
    assert received[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    unsubscribe = re.search(r"https?://\S+/lettre/desabonnement/\S+/", received[0].body).group(0)
    page.goto(local(unsubscribe))
    page.get_by_role("button", name="Se désabonner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes désabonné·e")
    assert Subscriber.objects.get().state == SubscriberState.UNSUBSCRIBED


def test_the_header_search_suggests_as_one_types_and_submits_without_script(page, transactional_db):
    from terreau.search.indexing import reindex
    from terreau.search.registry import kind_by_key
    from tests.library.factories import ResourceFactory

    ResourceFactory(title="Le petit manuel de survie pour les élu·es en transitions")
    reindex(kind_by_key("resources"))
    page.goto("/")
    box = page.get_by_role("searchbox", name="Rechercher dans le site")
    box.press_sequentially("manuel survie", delay=40)
    suggestion = page.locator("#site-search-suggestions").get_by_role(
        "link", name=re.compile("petit manuel")
    )
    expect(suggestion).to_be_visible()
    suggestion.click()
    page.wait_for_url("**/ressources/ressource-*/")
    # The form itself (what a browser without script does): the results page, grouped by kind.
    page.goto("/")
    page.get_by_role("searchbox", name="Rechercher dans le site").fill("transition")
    page.get_by_role("searchbox", name="Rechercher dans le site").press("Enter")
    page.wait_for_url("**/recherche/?q=transition")
    expect(page.get_by_role("heading", name=re.compile("^Ressources"))).to_be_visible()
