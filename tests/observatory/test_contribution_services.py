"""The contribution workflow: drafts, submission, moderation decisions, publication,
revisions and restoration (services called directly)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from terreau.observatory.models import (
    Initiative,
    InitiativeMedia,
    InitiativeProposal,
    InitiativeRevision,
    ProposalComment,
    ProposalState,
    PublicationState,
)
from terreau.observatory.services import proposals as services
from terreau.observatory.services.revisions import (
    initiative_restore_revision,
    initiative_save_revision,
)
from terreau.observatory.snapshot import empty_snapshot
from tests.directory.factories import MembershipFactory, OrganisationFactory
from tests.factories import ThemeFactory, UserFactory
from tests.files import pdf_bytes
from tests.observatory.factories import FacilitationFormatFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def publish_new(author, moderator, **data):
    proposal = ProposalFactory(author=author)
    services.proposal_save_step(proposal=proposal, step=1, data=data)
    services.proposal_submit(proposal=proposal, message="Première version")
    return services.proposal_publish(proposal=proposal, moderator=moderator)


def test_a_new_draft_starts_empty_and_keeps_each_step(user):
    proposal = services.proposal_create(author=user)
    assert proposal.state == ProposalState.DRAFT
    assert proposal.initiative is None
    assert proposal.data["title"] == ""

    services.proposal_save_step(proposal=proposal, step=1, data={"title": "Porte-à-porte"})
    services.proposal_save_step(proposal=proposal, step=2, data={"scale": "commune"})
    proposal.refresh_from_db()
    assert proposal.data["title"] == "Porte-à-porte"
    assert proposal.data["scale"] == "commune"
    assert proposal.step == 2


def test_saving_a_step_ignores_keys_outside_the_initiative_fields(user):
    proposal = services.proposal_create(author=user)
    services.proposal_save_step(proposal=proposal, step=1, data={"state": "published"})
    proposal.refresh_from_db()
    assert "state" not in proposal.data


def test_an_edit_draft_starts_from_the_published_content(user, moderator):
    revision = publish_new(UserFactory(), moderator, title="Budget participatif", summary="R")
    proposal = services.proposal_create(author=user, initiative=revision.initiative)
    assert proposal.data["title"] == "Budget participatif"
    assert proposal.base_data == proposal.data
    assert proposal.base_revision == 1
    # Asking again returns the same open draft.
    assert services.proposal_create(author=user, initiative=revision.initiative) == proposal


def test_submitting_mails_the_contributor_and_the_moderators(user, moderator):
    proposal = ProposalFactory(author=user)
    services.proposal_submit(proposal=proposal, message="Merci de relire")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    assert proposal.submitted_at is not None
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([user.email, moderator.email])
    assert "Assemblée populaire d'Etouvie" in mail.outbox[0].subject
    assert proposal.comments.get().action == ProposalComment.Action.SUBMITTED


def test_a_draft_without_title_cannot_be_submitted(user):
    proposal = services.proposal_create(author=user)
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(proposal=proposal)
    assert set(error.value.message_dict) == {"title", "summary"}
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DRAFT
    assert mail.outbox == []


def test_a_submitted_draft_can_no_longer_be_changed(user):
    proposal = ProposalFactory(author=user)
    services.proposal_submit(proposal=proposal)
    with pytest.raises(ValidationError):
        services.proposal_save_step(proposal=proposal, step=1, data={"title": "Autre"})


def test_asking_for_changes_needs_a_comment_and_mails_it(user, moderator):
    proposal = ProposalFactory(author=user, state=ProposalState.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        services.proposal_request_changes(proposal=proposal, moderator=moderator, comment=" ")
    assert "comment" in error.value.message_dict

    services.proposal_request_changes(
        proposal=proposal, moderator=moderator, comment="Précisez le nombre de participants."
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CHANGES_REQUESTED
    assert proposal.decided_by == moderator
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "Précisez le nombre de participants." in mail.outbox[0].body
    # The contributor edits and submits again.
    services.proposal_save_step(proposal=proposal, step=4, data={"participant_count": 40})
    services.proposal_submit(proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED


def test_rejecting_mails_the_reason_and_publishes_nothing(user, moderator):
    proposal = ProposalFactory(author=user, state=ProposalState.SUBMITTED)
    services.proposal_reject(proposal=proposal, moderator=moderator, comment="Hors sujet.")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.REJECTED
    assert Initiative.objects.count() == 0
    assert "Hors sujet." in mail.outbox[0].body


def test_only_moderators_decide(user):
    proposal = ProposalFactory(state=ProposalState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.proposal_publish(proposal=proposal, moderator=user)


def test_a_decision_needs_a_submitted_contribution(moderator):
    proposal = ProposalFactory()
    with pytest.raises(ValidationError):
        services.proposal_publish(proposal=proposal, moderator=moderator)


def test_publishing_a_new_initiative_records_revision_one(user, moderator):
    theme = ThemeFactory()
    fmt = FacilitationFormatFactory()
    proposal = ProposalFactory(author=user)
    services.proposal_save_step(
        proposal=proposal,
        step=5,
        data={
            "themes": [theme.pk],
            "facilitation_formats": [fmt.pk],
            "links": [{"title": "Site", "url": "https://example.org"}],
            "start_date": "2015-10-13",
        },
    )
    services.proposal_submit(proposal=proposal, message="Création")
    mail.outbox.clear()

    revision = services.proposal_publish(proposal=proposal, moderator=moderator, comment="Bravo")

    initiative = revision.initiative
    assert initiative.state == PublicationState.PUBLISHED
    assert initiative.slug == "assemblee-populaire-detouvie"
    assert initiative.published_at is not None
    assert list(initiative.themes.all()) == [theme]
    assert initiative.links.get().url == "https://example.org"
    assert str(initiative.start_date) == "2015-10-13"
    assert (revision.number, revision.author, revision.published_by) == (1, user, moderator)
    assert revision.message == "Création"
    assert revision.data["themes"] == [theme.pk]
    assert revision.data["facilitation_formats"] == [fmt.pk]
    proposal.refresh_from_db()
    assert (proposal.state, proposal.initiative) == (ProposalState.PUBLISHED, initiative)
    assert mail.outbox[0].to == [user.email]
    assert initiative.get_absolute_url() in mail.outbox[0].body


def test_publishing_an_edit_applies_only_what_the_contributor_changed(user, moderator):
    initiative = publish_new(UserFactory(), moderator, title="Forum", summary="Avant").initiative
    proposal = services.proposal_create(author=user, initiative=initiative)
    services.proposal_save_step(proposal=proposal, step=1, data={"summary": "Après"})
    # Meanwhile a moderator publishes another change to the title.
    initiative_save_revision(
        initiative=initiative,
        data={"title": "Forum citoyen"},
        author=moderator,
        publisher=moderator,
    )
    services.proposal_submit(proposal=proposal)

    revision = services.proposal_publish(proposal=proposal, moderator=moderator)

    initiative.refresh_from_db()
    assert (initiative.title, initiative.summary) == ("Forum citoyen", "Après")
    assert revision.number == 3
    assert InitiativeRevision.objects.filter(initiative=initiative).count() == 3


def test_an_invalid_publication_saves_nothing(user, moderator):
    proposal = ProposalFactory(author=user)
    services.proposal_save_step(
        proposal=proposal, step=2, data={"start_date": "2020-01-01", "end_date": "2019-01-01"}
    )
    services.proposal_submit(proposal=proposal)
    with pytest.raises(ValidationError):
        services.proposal_publish(proposal=proposal, moderator=moderator)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    assert Initiative.objects.count() == 0
    assert InitiativeRevision.objects.count() == 0


def test_uploaded_files_follow_the_publication(user, moderator):
    initiative = publish_new(UserFactory(), moderator, title="Fête", summary="S").initiative
    old = InitiativeMedia.objects.create(
        initiative=initiative,
        kind="document",
        file="initiatives/a.pdf",
        title="Ancien compte rendu",
    )
    proposal = services.proposal_create(author=user, initiative=initiative)
    services.proposal_media_add(
        proposal=proposal,
        file=SimpleUploadedFile("cr.pdf", pdf_bytes()),
        kind="document",
        title="Compte rendu",
    )
    services.proposal_save_step(proposal=proposal, step=5, data={"removed_media": [old.pk]})
    services.proposal_submit(proposal=proposal)

    revision = services.proposal_publish(proposal=proposal, moderator=moderator)

    assert [media.title for media in initiative.media.all()] == ["Compte rendu"]
    assert revision.data["media"] == ["Document : Compte rendu"]


def test_an_image_needs_a_text_alternative(user):
    proposal = ProposalFactory(author=user)
    with pytest.raises(ValidationError) as error:
        services.proposal_media_add(
            proposal=proposal, file=SimpleUploadedFile("a.png", b"x"), kind="image", title="A"
        )
    assert "alt_text" in error.value.message_dict


def test_lead_organisation_members_publish_their_edits_at_once(user, moderator):
    initiative = publish_new(UserFactory(), moderator, title="Jury", summary="S").initiative
    organisation = OrganisationFactory()
    initiative.lead_organisations.add(organisation)
    MembershipFactory(person__user=user, organisation=organisation)
    proposal = services.proposal_create(author=user, initiative=initiative)
    services.proposal_save_step(proposal=proposal, step=1, data={"subject": "Le tri"})
    mail.outbox.clear()

    revision = services.proposal_publish_directly(proposal=proposal, user=user, message="Sujet")

    initiative.refresh_from_db()
    assert initiative.subject == "Le tri"
    assert (revision.author, revision.published_by, revision.number) == (user, user, 2)
    assert InitiativeProposal.objects.get(pk=proposal.pk).state == ProposalState.PUBLISHED
    assert mail.outbox[0].to == [user.email]


def test_former_members_and_other_members_cannot_publish_at_once(user, moderator):
    initiative = publish_new(UserFactory(), moderator, title="Jury", summary="S").initiative
    organisation = OrganisationFactory()
    initiative.lead_organisations.add(organisation)
    MembershipFactory(person__user=user, organisation=organisation, end_date="2020-01-01")
    proposal = services.proposal_create(author=user, initiative=initiative)
    with pytest.raises(PermissionDenied):
        services.proposal_publish_directly(proposal=proposal, user=user)
    new = services.proposal_create(author=user)
    with pytest.raises(PermissionDenied):
        services.proposal_publish_directly(proposal=new, user=user)


def test_restoring_a_revision_creates_a_new_one_with_the_old_content(moderator):
    theme = ThemeFactory()
    first = initiative_save_revision(
        data={**empty_snapshot(), "title": "Atelier", "summary": "Un", "themes": [theme.pk]},
        author=moderator,
        publisher=moderator,
    )
    initiative_save_revision(
        initiative=first.initiative,
        data={"summary": "Deux", "themes": []},
        author=moderator,
        publisher=moderator,
    )

    restored = initiative_restore_revision(revision=first, moderator=moderator)

    initiative = Initiative.objects.get()
    assert initiative.summary == "Un"
    assert list(initiative.themes.all()) == [theme]
    assert restored.number == 3
    assert "1" in restored.message


def test_deleting_a_draft_removes_it_for_its_author_only(user):
    proposal = ProposalFactory(author=user)
    with pytest.raises(PermissionDenied):
        services.proposal_delete(proposal=proposal, user=UserFactory())
    services.proposal_delete(proposal=proposal, user=user)
    assert InitiativeProposal.objects.count() == 0


def test_completeness_is_computed_at_publication(moderator):
    revision = initiative_save_revision(
        data={**empty_snapshot(), "title": "T", "summary": "S"},
        author=moderator,
        publisher=moderator,
    )
    assert revision.initiative.completeness == "stub"
    assert revision.data["completeness"] == "stub"


def test_a_moderator_comment_reaches_the_contributor(user, moderator):
    proposal = ProposalFactory(author=user, state=ProposalState.SUBMITTED)
    services.proposal_comment(proposal=proposal, moderator=moderator, comment="Une photo ?")
    assert mail.outbox[0].to == [user.email]
    assert "Une photo ?" in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.proposal_comment(proposal=proposal, moderator=moderator, comment="")
