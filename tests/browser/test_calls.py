"""Journey: staff publish a call, a person applies over two visits, a reviewer scores, staff
select by lottery and confirm, and the applicant reads the outcome e-mail."""

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from terreau.calls.models import Application, ApplicationState, QuestionKind, Review
from tests.calls.factories import (
    ApplicationFactory,
    CallFactory,
    CriterionFactory,
    QuestionFactory,
    ReviewPhaseFactory,
)
from tests.factories import UserFactory
from tests.files import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
pytest.importorskip("terreau.calls.selection")

PDF = pdf_bytes()


def signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
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
    return context, page


def test_publish_apply_twice_review_draw_and_read_the_outcome(
    browser, live_server, settings, tmp_path
):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = live_server.url
    staff = UserFactory(is_staff=True, is_superuser=True)
    reviewer = UserFactory(first_name="Sylvie", last_name="Évaluatrice")
    applicant = UserFactory(first_name="Claire", last_name="Vasseur")
    call = CallFactory(
        title="Groupes d'échanges de pratiques",
        is_published=False,
        places=2,
        selection_text="La diversité des structures et des pratiques est recherchée.",
    )
    call.reviewers.set([reviewer])
    QuestionFactory(
        call=call, kind=QuestionKind.LONG_TEXT, label="Votre motivation", is_required=True
    )
    QuestionFactory(
        call=call,
        kind=QuestionKind.CHOICE,
        label="Public visé",
        choices="Jeunes\nHabitants",
        is_required=True,
    )
    QuestionFactory(
        call=call, kind=QuestionKind.FILE, label="Engagement de la structure", is_required=True
    )
    CriterionFactory(call=call, name="Motivation à participer")
    ReviewPhaseFactory(call=call)
    for _ in range(3):
        ApplicationFactory(call=call, state=ApplicationState.SUBMITTED)

    # staff publish the call
    staff_context, staff_page = signed_in(browser, live_server, staff)
    staff_page.goto(f"/appels/gestion/{call.slug}/", wait_until="domcontentloaded")
    staff_page.get_by_role("button", name="Publier").click()
    expect(staff_page.get_by_text("L’appel est publié.")).to_be_visible()

    # first visit: the applicant starts and saves a draft
    context, page = signed_in(browser, live_server, applicant)
    page.goto("/appels/", wait_until="domcontentloaded")
    page.get_by_role("link", name="Groupes d'échanges de pratiques").click()
    page.get_by_role("link", name="Candidater en ligne").click()
    page.get_by_label(re.compile("^Votre motivation")).fill("Partager nos conseils de quartier.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Votre brouillon est enregistré.")).to_be_visible()
    context.close()

    # second visit: the draft is there; submit without the file, then with it
    context, page = signed_in(browser, live_server, applicant)
    page.goto("/appels/mes-candidatures/", wait_until="domcontentloaded")
    page.get_by_role("link", name="Groupes d'échanges de pratiques").click()
    expect(page.locator(".status")).to_have_text("Brouillon")
    page.get_by_role("link", name="Continuer votre candidature").click()
    expect(page.get_by_label(re.compile("^Votre motivation"))).to_have_value(
        "Partager nos conseils de quartier."
    )
    page.get_by_label(re.compile("^Public visé")).select_option("Jeunes")
    page.get_by_role("button", name="Déposer ma candidature").click()
    expect(page.get_by_text("Joignez ce document.", exact=True)).to_be_visible()
    letter = tmp_path / "engagement.pdf"
    letter.write_bytes(PDF)
    page.get_by_label(re.compile("^Engagement de la structure")).set_input_files(str(letter))
    page.get_by_role("button", name="Déposer ma candidature").click()
    expect(page.get_by_text("Votre candidature est déposée.")).to_be_visible()
    expect(page.locator(".status")).to_have_text("Déposée")
    application = Application.objects.get(applicant=applicant)

    # staff assign the reviewers; the reviewer scores
    staff_page.goto(f"/appels/gestion/{call.slug}/evaluateurs/", wait_until="domcontentloaded")
    staff_page.get_by_role("button", name="Attribuer les évaluations automatiquement").click()
    expect(staff_page.get_by_text("4 attributions faites")).to_be_visible()
    review_context, review_page = signed_in(browser, live_server, reviewer)
    review_page.goto(f"/appels/{call.slug}/evaluation/", wait_until="domcontentloaded")
    review_page.get_by_role("link", name=re.compile("Claire Vasseur")).click()
    review_page.get_by_label("Motivation à participer").select_option("3")
    review_page.get_by_role("button", name="Enregistrer mon évaluation").click()
    expect(review_page.get_by_text("Votre évaluation est enregistrée.")).to_be_visible()
    assert Review.objects.get(application=application).total == 3

    # staff draw by lottery with a published seed, then confirm
    staff_page.goto(f"/appels/gestion/{call.slug}/selection/", wait_until="domcontentloaded")
    staff_page.get_by_label("Méthode").select_option("leximin")
    staff_page.get_by_label("Nombre à retenir").fill("2")
    staff_page.get_by_label("Graine aléatoire").fill("2013")
    staff_page.get_by_role("button", name="Calculer la sélection").click()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Résultat de la sélection")
    expect(staff_page.get_by_text("2013", exact=True)).to_be_visible()
    staff_page.get_by_role("button", name="Confirmer et informer les candidat·es").click()
    expect(staff_page.get_by_text("La sélection est confirmée")).to_be_visible()

    # the applicant reads the outcome e-mail, and the same outcome on the site
    application.refresh_from_db()
    to_applicant = [m for m in mail.outbox if m.to == [applicant.email]]
    assert "bien reçue" in to_applicant[0].subject  # the acknowledgement, on submission
    outcome = to_applicant[1:]
    assert len(outcome) == 1
    body = outcome[0].body
    assert "La diversité des structures et des pratiques est recherchée." in body
    expected = {
        ApplicationState.SELECTED: "est retenue",
        ApplicationState.WAITING_LIST: "liste d’attente",
        ApplicationState.NOT_SELECTED: "n’a pas été retenue",
    }[application.state]
    assert expected in body
    link = re.search(r"https?://\S+/appels/candidatures/\d+/", body).group(0)
    page.goto(link)
    expect(page.locator(".status")).to_have_text(application.get_state_display())
    for each in (context, review_context, staff_context):
        each.close()
