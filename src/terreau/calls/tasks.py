"""Background jobs of the calls app (Django's tasks framework): they take ids, call a service."""

from django.tasks import task


@task()
def send_outcome_emails(application_ids: list[int]) -> None:
    """The outcome e-mails of a confirmed selection, when there are more than 50 applicants."""
    from .mail import outcome_send

    outcome_send(application_ids=application_ids)


@task()
def send_call_reminders() -> int:
    """Deadline reminders to applicants with a draft (see `call_reminders_send`)."""
    from .services import call_reminders_send

    return call_reminders_send()
