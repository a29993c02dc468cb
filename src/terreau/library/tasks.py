"""Background jobs of the library (Django's tasks framework): they take ids, call a service."""

from django.tasks import task


@task()
def newsletter_queue_issue(issue_id: int) -> None:
    """Write an issue's deliveries and outbox messages, batch by batch (see
    services.newsletter: restartable, each subscriber once)."""
    from .services.newsletter import issue_queue

    issue_queue(issue_id=issue_id)
