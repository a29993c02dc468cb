"""Background jobs of the observatory.

The contribution e-mails are written to the outbox by the shared moderation workflow in the
step's own transaction (terreau.core.moderation); this task only remains for the jobs queued
before that change."""

from django.tasks import task


@task
def send_proposal_email(proposal_id: int, event: str) -> None:
    from .models import InitiativeProposal
    from .services.proposals import INITIATIVES

    proposal = InitiativeProposal.objects.select_related("author").filter(pk=proposal_id).first()
    if proposal is not None:
        INITIATIVES.notify(proposal, event)
