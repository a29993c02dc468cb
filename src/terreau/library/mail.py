"""How the newsletter hands its copies to the site's outbox (terreau.core.outbox)."""

from django.core.mail import EmailMessage

from terreau.core.outbox import OutboxCopy, outbox_enqueue, outbox_enqueue_copies


def enqueue(message: EmailMessage, *, key: str) -> None:
    """Write `message` to the outbox in the current transaction under a unique `key`: the
    database refuses a second message with the same key, and the worker delivers it once."""
    outbox_enqueue(message, key=key)


def enqueue_copies(message: EmailMessage, copies: list[OutboxCopy]) -> int:
    """The same for many copies of one message (each with its key), its body stored once and
    the copies written in one bulk insert."""
    return outbox_enqueue_copies(message, copies)
