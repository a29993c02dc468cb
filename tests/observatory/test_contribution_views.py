"""Pages of the contribution and moderation workflow, the detail, history and method pages."""

import html
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from terreau.observatory.models import (
    Initiative,
    InitiativeProposal,
    InitiativeRevision,
    ProposalMedia,
    ProposalState,
    PublicationState,
)
from terreau.observatory.services import proposals as services
from terreau.observatory.services.revisions import initiative_save_revision
from terreau.observatory.snapshot import empty_snapshot
from tests.directory.factories import MembershipFactory, OrganisationFactory, PersonFactory
from tests.factories import ThemeFactory, UserFactory
from tests.observatory.factories import (
    FacilitationFormatFactory,
    ProposalFactory,
    PublishedInitiativeFactory,
    PublishedMethodFactory,
)
from tests.queries import page_queries
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def step_url(proposal, step):
    return reverse("observatory:proposal_step", kwargs={"pk": proposal.pk, "step": step})


def publish(moderator, **data):
    return initiative_save_revision(
        data={**empty_snapshot(), "title": "Assemblée", "summary": "Résumé", **data},
        author=moderator,
        publisher=moderator,
    ).initiative


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_member_starts_a_draft_and_walks_through_the_steps(client, user):
    client.force_login(user)
    assert client.get(reverse("observatory:proposal_start")).status_code == 200
    response = client.post(reverse("observatory:proposal_start"))
    proposal = InitiativeProposal.objects.get(author=user)
    assert response.url == step_url(proposal, 1)
    for number in range(1, 6):
        assert client.get(step_url(proposal, number)).status_code == 200
    response = client.post(
        step_url(proposal, 1), {"title": "Théâtre forum", "summary": "Jouer pour débattre"}
    )
    assert response.url == step_url(proposal, 2)
    proposal.refresh_from_db()
    assert proposal.data["title"] == "Théâtre forum"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("observatory:proposal_start"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_an_invalid_step_shows_field_errors_and_keeps_the_draft(client, user):
    proposal = ProposalFactory(author=user)
    client.force_login(user)
    response = client.post(
        step_url(proposal, 2),
        {"start_date": "2020-05-01", "end_date": "2019-01-01", "commune": "Nullepart"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "La date de fin précède la date de début." in body
    assert "Aucune commune ne correspond à « Nullepart »" in body
    assert 'aria-invalid="true"' in body
    proposal.refresh_from_db()
    assert proposal.data["start_date"] is None
    assert proposal.data["title"] == "Assemblée populaire d'Etouvie"


def test_a_required_title_is_reported_on_its_field(client, user):
    proposal = ProposalFactory(author=user)
    client.force_login(user)
    response = client.post(step_url(proposal, 1), {"title": "", "summary": "x" * 300})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"title", "summary"}


def test_communes_and_organisations_are_found_by_name(client, user):
    commune = CommuneFactory(name="Amiens", insee="80021")
    organisation = OrganisationFactory(name="Centre socio-culturel Etouvie")
    person = PersonFactory(first_name="Harold", last_name="George")
    proposal = ProposalFactory(author=user)
    client.force_login(user)
    response = client.post(step_url(proposal, 2), {"commune": "amiens"})
    assert response.status_code == 302
    response = client.post(
        step_url(proposal, 3),
        {
            "lead_organisations_add": "centre socio-culturel etouvie",
            "contacts": "Harold George",
            "partners_add": "Inconnue au bataillon",
        },
    )
    body = html.unescape(response.content.decode())
    assert "« Inconnue au bataillon » n'est pas dans l'annuaire" in body
    response = client.post(
        step_url(proposal, 3),
        {"lead_organisations_add": organisation.slug, "contacts": "Harold George"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.data["commune"] == commune.pk
    assert proposal.data["lead_organisations"] == [organisation.pk]
    assert proposal.data["contacts"] == [person.pk]
    # Coming back to the step shows the organisation ticked; unticking removes it.
    body = client.get(step_url(proposal, 3)).content.decode()
    assert re.search(
        rf'name="lead_organisations" value="{organisation.pk}" checked> Centre socio', body
    )
    client.post(step_url(proposal, 3), {"contacts": "Harold George"})
    proposal.refresh_from_db()
    assert proposal.data["lead_organisations"] == []
    assert "Centre socio-culturel Etouvie" not in client.get(step_url(proposal, 3)).content.decode()


def test_someone_elses_draft_answers_as_a_missing_one(client, user):
    proposal = ProposalFactory()
    review = reverse("observatory:proposal_review", kwargs={"pk": proposal.pk})
    missing = reverse("observatory:proposal_review", kwargs={"pk": proposal.pk + 1000})
    # Not logged in: sent to log in, whether it exists or not.
    assert client.get(review).status_code == client.get(missing).status_code == 302
    client.force_login(user)
    assert client.get(step_url(proposal, 1)).status_code == 404
    assert client.get(review).status_code == client.get(missing).status_code == 404


def test_a_wrong_file_type_is_refused_with_a_message(client, user):
    proposal = ProposalFactory(author=user)
    client.force_login(user)
    url = reverse("observatory:proposal_media_add", kwargs={"pk": proposal.pk})
    response = client.post(
        url,
        {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00"), "title": "Programme"},
    )
    assert response.status_code == 200
    assert "Ce type de fichier n’est pas accepté" in response.content.decode()
    assert ProposalMedia.objects.count() == 0


def test_an_oversized_file_is_refused(client, user, settings):
    settings.TERREAU_UPLOAD_MAX_BYTES = 10
    proposal = ProposalFactory(author=user)
    client.force_login(user)
    url = reverse("observatory:proposal_media_add", kwargs={"pk": proposal.pk})
    response = client.post(url, {"file": png(), "title": "Photo", "alt_text": "Des habitants"})
    assert "Ce fichier est trop volumineux" in response.content.decode()
    assert ProposalMedia.objects.count() == 0


def test_an_image_needs_its_text_alternative_then_is_kept(client, user):
    proposal = ProposalFactory(author=user)
    client.force_login(user)
    url = reverse("observatory:proposal_media_add", kwargs={"pk": proposal.pk})
    response = client.post(url, {"file": png(), "title": "Photo"})
    assert response.status_code == 200
    assert ProposalMedia.objects.count() == 0
    response = client.post(url, {"file": png(), "title": "Photo", "alt_text": "L'assemblée réunie"})
    assert response.status_code == 302
    media = ProposalMedia.objects.get()
    assert (media.kind, media.alt_text) == ("image", "L'assemblée réunie")


def test_submitting_from_the_review_page(client, user):
    proposal = ProposalFactory(author=user)
    client.force_login(user)
    url = reverse("observatory:proposal_review", kwargs={"pk": proposal.pk})
    body = client.get(url).content.decode()
    assert "Assemblée populaire d&#x27;Etouvie" in body
    response = client.post(url, {"submit": "1", "message": "Nouvelle fiche"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    assert mail.outbox
    # A member cannot publish their own new initiative.
    proposal.state = ProposalState.DRAFT
    proposal.save()
    assert client.post(url, {"publish": "1"}).status_code == 403


def test_the_moderation_queue_is_for_moderators(client, user, moderator):
    ProposalFactory(state=ProposalState.SUBMITTED)
    client.force_login(user)
    assert client.get(reverse("observatory:moderation_queue")).status_code == 403
    client.force_login(moderator)
    response = client.get(reverse("observatory:moderation_queue"))
    assert "Assemblée populaire d&#x27;Etouvie" in response.content.decode()


def test_a_moderator_publishes_from_the_review_page(client, moderator):
    proposal = ProposalFactory(state=ProposalState.SUBMITTED)
    client.force_login(moderator)
    url = reverse("observatory:proposal_moderate", kwargs={"pk": proposal.pk})
    body = client.get(url).content.decode()
    assert "<ins>" in body  # the new content reads as added
    response = client.post(url, {"request_changes": "1", "comment": ""})
    assert response.status_code == 200
    assert "Expliquez votre décision" in response.content.decode()
    response = client.post(url, {"publish": "1", "comment": "Merci !"})
    initiative = Initiative.objects.get()
    assert response.url == initiative.get_absolute_url()
    assert client.get(response.url).status_code == 200
    assert [message.to for message in mail.outbox] == [[proposal.author.email]]


def test_an_edit_is_reviewed_against_the_published_version(client, moderator, user):
    initiative = publish(moderator, summary="Les habitants prennent la parole")
    proposal = services.proposal_create(author=user, initiative=initiative)
    services.proposal_save_step(
        proposal=proposal, step=1, data={"summary": "Les jeunes prennent la parole"}
    )
    services.proposal_submit(proposal=proposal)
    client.force_login(moderator)
    body = client.get(
        reverse("observatory:proposal_moderate", kwargs={"pk": proposal.pk})
    ).content.decode()
    assert 'retiré : </span>habitants<span class="visually-hidden">]</span></del>' in body
    assert 'ajouté : </span>jeunes<span class="visually-hidden">]</span></ins>' in body
    assert "Titre" not in body.split("Modifications de la version publiée")[1].split("Décision")[0]


def test_the_detail_page_offers_an_edit_to_lead_organisation_members(client, user, moderator):
    initiative = publish(moderator)
    organisation = OrganisationFactory()
    initiative.lead_organisations.add(organisation)
    url = initiative.get_absolute_url()
    client.force_login(user)
    assert "Proposer une modification" in client.get(url).content.decode()
    MembershipFactory(person__user=user, organisation=organisation)
    assert "Modifier cette initiative" in client.get(url).content.decode()
    response = client.post(
        reverse("observatory:proposal_start_edit", kwargs={"slug": initiative.slug})
    )
    proposal = InitiativeProposal.objects.get(author=user)
    assert response.url == step_url(proposal, 1)
    review = reverse("observatory:proposal_review", kwargs={"pk": proposal.pk})
    services.proposal_save_step(proposal=proposal, step=1, data={"subject": "La voirie"})
    response = client.post(review, {"publish": "1", "message": "Sujet précisé"})
    assert response.url == url
    assert Initiative.objects.get().subject == "La voirie"
    assert InitiativeRevision.objects.filter(initiative=initiative).count() == 2


def test_scripts_never_get_through_any_field(client, moderator):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>[lien](javascript:alert(1))'
    initiative = publish(
        moderator,
        title='Atelier <script>alert("t")</script>',
        summary='Résumé "><script>alert(2)</script>',
        description=attack,
        lessons=attack,
        strengths=attack,
        funding=attack,
    )
    body = client.get(initiative.get_absolute_url()).content.decode()
    assert "<script>alert" not in body
    assert "onerror" not in body
    assert "javascript:" not in body
    assert "&lt;script&gt;" in body  # titles are escaped, not dropped


def test_the_detail_page_carries_open_graph_and_print_styles(client, moderator):
    initiative = publish(moderator, description="Une **assemblée** ouverte.")
    body = client.get(initiative.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Assemblée">' in body
    assert '<meta property="og:description" content="Résumé">' in body
    assert f'content="http://testserver{initiative.get_absolute_url()}"' in body
    assert "observatory/print.css" in body
    assert "<strong>assemblée</strong>" in body
    assert body.count("<h1") == 1


def test_unpublished_initiatives_are_hidden(client, user):
    initiative = PublishedInitiativeFactory(state=PublicationState.UNPUBLISHED)
    # A draft answers as a missing initiative, to visitors and members alike.
    assert client.get(initiative.get_absolute_url()).status_code == 404
    client.force_login(user)
    assert client.get(initiative.get_absolute_url()).status_code == 404
    assert client.get("/observatoire/initiatives/inexistante/").status_code == 404


def make_rich(moderator, count):
    themes = [ThemeFactory() for _ in range(count)]
    formats = [FacilitationFormatFactory() for _ in range(count)]
    organisations = [OrganisationFactory() for _ in range(count)]
    people = [PersonFactory() for _ in range(count)]
    for person, organisation in zip(people, organisations, strict=True):
        MembershipFactory(person=person, organisation=organisation)
    methods = [PublishedMethodFactory() for _ in range(count)]
    commune = CommuneFactory()
    data = {
        "themes": [t.pk for t in themes],
        "facilitation_formats": [f.pk for f in formats],
        "lead_organisations": [o.pk for o in organisations],
        "contacts": [p.pk for p in people],
        "methods": [m.pk for m in methods],
        "commune": commune.pk,
        "links": [{"title": f"L{i}", "url": f"https://example.org/{i}"} for i in range(count)],
    }
    initiative = publish(moderator, **data)
    for index in range(count):
        publish(moderator, title=f"Voisine {index}", themes=data["themes"])
    return initiative


def test_the_detail_page_runs_the_same_queries_with_one_of_everything_and_with_three(
    client, moderator
):
    client.force_login(moderator)
    small = make_rich(moderator, 1)
    one, response = page_queries(client, small.get_absolute_url())
    assert len(response.context["related"]) == 1
    large = make_rich(moderator, 3)
    three, response = page_queries(client, large.get_absolute_url())
    assert len(response.context["related"]) >= 3  # its neighbours (and the first one's)
    assert three == one


def test_related_initiatives_share_themes_formats_or_place(moderator):
    from terreau.observatory.selectors.pages import initiative_related

    theme, other_theme = ThemeFactory(), ThemeFactory()
    initiative = publish(moderator, title="Base", themes=[theme.pk])
    close = publish(moderator, title="Proche", themes=[theme.pk])
    publish(moderator, title="Loin", themes=[other_theme.pk])
    assert initiative_related(initiative=initiative) == [close]


def test_the_history_shows_each_change_and_a_moderator_restores(client, moderator, user):
    initiative = publish(moderator, summary="Première version du résumé")
    initiative_save_revision(
        initiative=initiative,
        data={"summary": "Seconde version du résumé", "scale": "commune"},
        author=user,
        publisher=moderator,
        message="Précisions",
    )
    url = reverse("observatory:initiative_history", kwargs={"slug": initiative.slug})
    client.force_login(user)
    body = client.get(url).content.decode()
    assert "</span>Première<span" in body and "</span>Seconde<span" in body
    assert "Commune" in body and "Précisions" in body
    restore = reverse("observatory:revision_restore", kwargs={"slug": initiative.slug, "number": 1})
    assert client.post(restore).status_code == 403
    client.force_login(moderator)
    assert client.post(restore).status_code == 302
    initiative.refresh_from_db()
    assert initiative.summary == "Première version du résumé"
    assert initiative.revisions.count() == 3


def test_the_method_list_runs_the_same_queries_with_one_method_and_with_three(client):
    counts = []
    for added in (1, 2):
        for _ in range(added):
            method = PublishedMethodFactory()
            method.facilitation_formats.add(FacilitationFormatFactory())
        queries, response = page_queries(client, reverse("observatory:method_list"))
        counts.append((queries, len(response.context["methods"])))
    assert counts[1][0] == counts[0][0] <= 6
    assert [methods for _, methods in counts] == [1, 3]


def test_a_method_page_lists_the_published_initiatives_that_used_it(client, moderator):
    method = PublishedMethodFactory(title="Porte-à-porte", steps="1. Frapper\n2. Écouter")
    publish(moderator, title="Visible", methods=[method.pk])
    hidden = PublishedInitiativeFactory(title="Cachée", state=PublicationState.UNPUBLISHED)
    hidden.methods.add(method)
    body = client.get(method.get_absolute_url()).content.decode()
    assert "Visible" in body and "Cachée" not in body
    assert "<li>Frapper</li>" in body


def test_my_contributions_lists_only_mine(client, user):
    ProposalFactory(author=user, data={**empty_snapshot(), "title": "La mienne"})
    ProposalFactory(data={**empty_snapshot(), "title": "Une autre"})
    client.force_login(user)
    body = client.get(reverse("observatory:proposal_list")).content.decode()
    assert "La mienne" in body and "Une autre" not in body


def test_the_home_page_shows_the_latest_initiatives(client, moderator):
    publish(moderator, title="Raismes 2032")
    body = client.get(reverse("core:home")).content.decode()
    assert "Raismes 2032" in body


def test_a_stranger_cannot_delete_a_draft(client, user):
    proposal = ProposalFactory()
    client.force_login(UserFactory())
    url = reverse("observatory:proposal_delete", kwargs={"pk": proposal.pk})
    assert client.post(url).status_code == 404
    client.force_login(proposal.author)
    assert client.post(url).status_code == 302
    assert not InitiativeProposal.objects.exists()


def test_contact_details_follow_the_directory_consent_rules(client, user, moderator):
    consenting = PersonFactory(
        first_name="Fanny", last_name="Meilhac", email="fanny@example.org", contact_consent=True
    )
    private = PersonFactory(first_name="Rémi", last_name="Discret", email="remi@example.org")
    unlisted = PersonFactory(first_name="Inconnu", last_name="Caché", is_listed=False)
    initiative = publish(moderator, contacts=[consenting.pk, private.pk, unlisted.pk])
    body = client.get(initiative.get_absolute_url()).content.decode()
    assert "Fanny Meilhac" in body and "Rémi Discret" in body
    assert "Caché" not in body
    assert "fanny@example.org" not in body
    client.force_login(user)
    body = client.get(initiative.get_absolute_url()).content.decode()
    assert "fanny@example.org" in body
    assert "remi@example.org" not in body


HOSTILE = [
    "",
    "x" * 10_000,
    "99999999999999999999",
    "-1",
    "2020-02-31",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "🌱" * 50,
    "\x00",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_no_step_breaks_on_hostile_input(client, user, value):
    from terreau.observatory.forms import STEPS, build_field

    proposal = ProposalFactory(author=user)
    client.force_login(user)
    for step in STEPS:
        data = dict.fromkeys(step.fields, value)
        data.update({name: [value] for name in step.fields if name in ("themes", "methods")})
        response = client.post(step_url(proposal, step.number), data)
        assert response.status_code in {200, 302}, (step.slug, value)
        assert build_field(step.fields[0]) is not None
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DRAFT


def test_the_moderation_queue_and_my_contributions_run_the_same_queries_at_one_and_three(
    client, moderator
):
    client.force_login(moderator)
    counts = []
    for added in (1, 2):
        for _ in range(added):
            ProposalFactory(author=moderator, state=ProposalState.SUBMITTED)
            ProposalFactory(author=moderator, state=ProposalState.CHANGES_REQUESTED)
        queue, response = page_queries(client, reverse("observatory:moderation_queue"))
        in_queue = len(response.context["queue"])
        mine, response = page_queries(client, reverse("observatory:proposal_list"))
        counts.append((queue, mine, in_queue, len(response.context["proposals"])))
    assert counts[0][:2] == counts[1][:2]
    assert [row[2:] for row in counts] == [(1, 2), (3, 6)]


def test_a_drafts_files_are_served_under_an_unguessable_name_to_its_author_and_moderators(
    client, user, moderator
):
    proposal = ProposalFactory(author=user)
    client.force_login(user)
    client.post(
        reverse("observatory:proposal_media_add", kwargs={"pk": proposal.pk}),
        {"file": png("Photo de Mme Durand.png"), "title": "Photo", "alt_text": "Une salle"},
    )
    media = ProposalMedia.objects.get(proposal=proposal)
    assert "Durand" not in media.file.name and len(media.file.name.rsplit("/", 1)[1]) == 36
    url = reverse(
        "observatory:proposal_media_file", kwargs={"pk": proposal.pk, "media_pk": media.pk}
    )
    body = client.get(step_url(proposal, 5)).content.decode()
    assert url in body and media.file.url not in body
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(UserFactory())
    assert client.get(url).status_code in {403, 404}
    client.force_login(moderator)
    assert client.get(url).status_code == 200


def test_a_published_contributions_files_are_copied_out_of_the_private_folder(
    client, user, moderator
):
    proposal = ProposalFactory(author=user)
    services.proposal_save_step(
        proposal=proposal, step=1, data={"title": "Assemblée", "summary": "Résumé"}
    )
    services.proposal_media_add(
        proposal=proposal, file=png(), kind="image", title="Photo", alt_text="Une salle"
    )
    services.proposal_submit(proposal=proposal)
    revision = services.proposal_publish(proposal=proposal, moderator=moderator)
    published = revision.initiative.media.get()
    private = proposal.media.get()
    assert published.file.name.startswith("initiatives/")
    assert published.file.name != private.file.name
    assert published.file.read() == private.file.read()


def test_the_wizard_s_labels_start_with_a_capital_and_themes_follow_the_taxonomy(client, user):
    from tests.factories import ThemeFactory

    democracy = ThemeFactory(name="Démocratie", position=2)
    ThemeFactory(name="Budget participatif", parent=democracy, position=1)
    ThemeFactory(name="Assemblées", parent=democracy, position=0)
    ThemeFactory(name="Écologie", position=1)
    proposal = ProposalFactory(author=user)
    client.force_login(user)
    form = client.get(step_url(proposal, 1)).context["form"]
    assert str(form["themes"].label) == "Thématiques"
    labels = [label for _pk, label in form.fields["themes"].choices]
    assert labels == [
        "Écologie",
        "Démocratie",
        "Démocratie › Assemblées",
        "Démocratie › Budget participatif",
    ]
    people = client.get(step_url(proposal, 3)).context["form"]
    assert all(str(f.label)[:1].isupper() for f in people.fields.values())
    assert str(people["lead_organisations"].label) == "Structures porteuses"


def test_the_commune_and_organisation_fields_suggest_as_one_types(client, user):
    proposal = ProposalFactory(author=user)
    client.force_login(user)
    place = client.get(step_url(proposal, 2)).content.decode()
    assert re.search(r'<input[^>]*name="commune"[^>]*list="id_commune-suggestions"', place)
    assert 'data-commune-search="/territoires/' in place or "data-commune-search=" in place
    people = client.get(step_url(proposal, 3)).content.decode()
    assert 'name="lead_organisations_add"' in people
    assert 'list="id_lead_organisations_add_suggestions"' in people
    assert reverse("directory:organisation_suggestions") in people
    # The suggestions answer the picker's search box.
    organisation = OrganisationFactory(name="Centre socio-culturel Etouvie")
    options = client.get(
        reverse("directory:organisation_suggestions"),
        {"lead_organisations_add": "etouvie"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f'value="{organisation.slug}"' in options
