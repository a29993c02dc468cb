"""Background jobs of the observatory: the contribution e-mails."""

from django.tasks import task

from .services import notifications


@task
def send_proposal_email(proposal_id: int, event: str) -> None:
    notifications.proposal_notify(proposal_id=proposal_id, event=event)
