"""Background jobs of the library (Django's tasks framework): they take ids, call a service."""

from django.tasks import task


@task()
def newsletter_queue_issue(issue_id: int) -> None:
    """Write an issue's deliveries and outbox messages, batch by batch (see
    services.newsletter: restartable, each subscriber once)."""
    from .services.newsletter import issue_queue

    issue_queue(issue_id=issue_id)


@task()
def extract_attachment(attachment_id: int) -> None:
    """Extract an attachment's text and cover (child process with limits), for search."""
    from .models import ResourceAttachment
    from .services.resources import attachment_extract

    attachment = (
        ResourceAttachment.objects.select_related("resource").filter(pk=attachment_id).first()
    )
    if attachment is not None:
        attachment_extract(attachment=attachment)
