"""Members propose resources; moderators publish them, ask for changes or reject them, on the
moderation workflow the observatory's contributions use (terreau.core.moderation)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from terreau.core.models import OutboxMessage
from terreau.core.moderation.services import Moderation
from terreau.core.moderation.states import ModerationState
from terreau.core.outbox import outbox_deliver_due
from terreau.library.models import (
    Resource,
    ResourceKind,
    ResourceProposal,
    ResourceProposalComment,
    ResourceState,
)
from terreau.library.services import proposals as services
from tests.factories import ThemeFactory, UserFactory

from .files import pdf

pytestmark = pytest.mark.django_db

FIELDS = {
    "kind": ResourceKind.PUBLICATION,
    "title": "Oser la participation !",
    "summary": "Le pouvoir d'agir au service du bien commun.",
    "language": "fr",
}


def propose(author, **fields):
    return services.proposal_propose(author=author, **{**FIELDS, **fields})


def test_the_observatory_and_the_library_share_one_moderation_workflow():
    from terreau.observatory.models import ProposalComment, ProposalState
    from terreau.observatory.services.proposals import INITIATIVES

    assert isinstance(INITIATIVES, Moderation) and isinstance(services.RESOURCES, Moderation)
    assert ProposalState is ModerationState
    assert ProposalComment.Action is ResourceProposalComment.Action


def test_a_proposal_goes_to_the_moderators_and_mails_its_author(settings, user, moderator):
    settings.MAILERS = {
        "default": {"BACKEND": "terreau.core.outbox.backend.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }
    proposal = propose(user, file=pdf(), message="Tiré de notre site")
    assert proposal.state == ModerationState.SUBMITTED and proposal.submitted_at
    # Written to the outbox in the proposal's transaction, delivered by the worker.
    assert OutboxMessage.objects.count() == 2
    outbox_deliver_due()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([user.email, moderator.email])
    assert "Oser la participation" in mail.outbox[0].subject
    assert proposal.file.name.startswith("contributions/resources/")
    assert list(proposal.comments.values_list("action", "body")) == [
        ("submitted", "Tiré de notre site")
    ]
    assert not Resource.objects.exists()


def test_a_proposal_needs_a_document_an_address_or_a_text(user):
    with pytest.raises(ValidationError) as error:
        propose(user)
    assert "file" in error.value.message_dict
    assert not ResourceProposal.objects.exists()


def test_publishing_makes_a_public_resource_with_the_file_and_mails_the_author(user, moderator):
    theme = ThemeFactory()
    proposal = propose(user, file=pdf(), file_title="Le livret", themes=[theme])
    mail.outbox.clear()
    resource = services.proposal_decide(
        proposal=proposal, moderator=moderator, decision="publish", comment="Merci !"
    )
    assert resource.state == ResourceState.PUBLISHED and list(resource.themes.all()) == [theme]
    attachment = resource.attachments.get()
    assert attachment.title == "Le livret" and attachment.extension == "PDF"
    assert not attachment.file.name.startswith("contributions/")
    proposal.refresh_from_db()
    assert proposal.state == ModerationState.PUBLISHED and proposal.resource == resource
    assert mail.outbox[0].to == [user.email]
    assert resource.get_absolute_url() in mail.outbox[0].body and "Merci !" in mail.outbox[0].body


def test_changes_requested_then_revised_and_sent_again(client, user, moderator):
    proposal = propose(user, body="Un texte.")
    with pytest.raises(ValidationError):
        services.proposal_decide(proposal=proposal, moderator=moderator, decision="changes")
    mail.outbox.clear()
    services.proposal_decide(
        proposal=proposal, moderator=moderator, decision="changes", comment="Ajoutez la date."
    )
    proposal.refresh_from_db()
    assert proposal.state == ModerationState.CHANGES_REQUESTED
    assert mail.outbox[0].to == [user.email] and "Ajoutez la date." in mail.outbox[0].body
    client.force_login(user)
    url = reverse("library:proposal_revise", args=[proposal.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {**FIELDS, "body": "Un texte.", "published_on": "2019-03-01", "message": "Date"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ModerationState.SUBMITTED
    assert str(proposal.published_on) == "2019-03-01"
    # Once submitted again, the author can no longer change it.
    assert client.get(url).status_code == 404


def test_a_rejection_needs_a_reason_and_publishes_nothing(user, moderator):
    proposal = propose(user, external_url="https://example.org/doc.pdf")
    with pytest.raises(ValidationError):
        services.proposal_decide(proposal=proposal, moderator=moderator, decision="reject")
    services.proposal_decide(
        proposal=proposal, moderator=moderator, decision="reject", comment="Hors sujet."
    )
    proposal.refresh_from_db()
    assert proposal.state == ModerationState.REJECTED and not Resource.objects.exists()
    with pytest.raises(ValidationError):  # decided once
        services.proposal_decide(proposal=proposal, moderator=moderator, decision="publish")


def test_the_pages_of_a_proposal_are_its_authors_and_the_moderators(client, user, moderator):
    proposal = propose(user, file=pdf())
    other = UserFactory()
    detail = reverse("library:proposal_detail", args=[proposal.pk])
    file_url = reverse("library:proposal_file", args=[proposal.pk])
    decide = reverse("library:proposal_decide", args=[proposal.pk])
    assert client.get(detail).status_code == 302  # log in first
    client.force_login(other)
    assert client.get(detail).status_code == 404
    assert client.get(file_url).status_code == 404
    assert client.post(decide, {"decision": "publish"}).status_code == 404
    client.force_login(user)
    body = client.get(detail).content.decode()
    assert "Oser la participation" in body and "Your decision" not in body
    assert "Votre décision" not in body
    assert client.get(file_url)["Cache-Control"] == "private, no-store"
    assert client.post(decide, {"decision": "publish"}).status_code == 404
    client.force_login(moderator)
    assert "Votre décision" in client.get(detail).content.decode()
    response = client.post(decide, {"decision": "reject", "comment": ""})
    assert response.status_code == 400 and "error-summary" in response.content.decode()
    response = client.post(decide, {"decision": "publish", "comment": ""})
    assert response.status_code == 302
    assert Resource.objects.get().state == ResourceState.PUBLISHED


def test_a_member_proposes_from_the_form_and_a_hostile_file_is_refused(client, user):
    url = reverse("library:proposal_create")
    assert client.get(url).status_code == 302  # visitors log in first
    client.force_login(user)
    assert client.get(url).status_code == 200
    svg = SimpleUploadedFile(
        "affiche.pdf", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
    )
    response = client.post(url, {**FIELDS, "file": svg})
    assert response.status_code == 400 and "error-summary" in response.content.decode()
    assert not ResourceProposal.objects.exists()
    response = client.post(url, {**FIELDS, "file": pdf(), "file_title": "Livret"})
    proposal = ResourceProposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.author == user and proposal.state == ModerationState.SUBMITTED


@pytest.mark.parametrize("count", [1, 3])
def test_the_queue_page_queries_do_not_grow(
    client, moderator, django_assert_max_num_queries, count
):
    for _ in range(count):
        propose(UserFactory(), body="Texte")
    client.force_login(moderator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("library:proposal_queue"))
    assert response.content.decode().count("/ressources/propositions/") >= count


def test_erasing_an_account_removes_its_proposals_but_keeps_what_was_published(user, moderator):
    from terreau.library import personal_data

    published = propose(user, body="Texte")
    services.proposal_decide(proposal=published, moderator=moderator, decision="publish")
    propose(user, body="Autre", title="Brouillon")
    assert len(personal_data.export(user)["resource_proposals"]) == 2
    personal_data.erase(user, remove_content=False)
    assert not ResourceProposal.objects.filter(author=user).exists()
    assert Resource.objects.filter(title=FIELDS["title"]).exists()
