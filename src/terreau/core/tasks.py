"""Background jobs of the site's shared pieces: they call a service."""

from django.tasks import task


@task()
def deliver_outbox() -> dict:
    """Send the outbox's due messages (queued when a transaction that wrote some commits)."""
    from terreau.core.outbox import outbox_deliver_due

    return outbox_deliver_due()


def task_enqueue_atomic(task_obj, *args, **kwargs) -> None:
    """Queue a task as part of the current transaction when the queue is the database (the task
    row commits, or rolls back, with the change that caused it: nothing lost between the two);
    with another backend (Redis…), once the transaction commits, so it never runs too early."""
    from django.db import transaction
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(task_obj.get_backend(), DatabaseBackend):
        task_obj.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))
