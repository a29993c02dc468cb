"""How the newsletter hands its copies to the site's outbox (terreau.core.outbox)."""

from django.core.mail import EmailMessage

from terreau.core.outbox import outbox_enqueue, outbox_enqueue_many


def enqueue(message: EmailMessage, *, key: str) -> None:
    """Write `message` to the outbox in the current transaction under a unique `key`: the
    database refuses a second message with the same key, and the worker delivers it once."""
    outbox_enqueue(message, key=key)


def enqueue_many(items: list[tuple[EmailMessage, str]]) -> int:
    """The same for a batch of (message, key) pairs, in one bulk insert."""
    return outbox_enqueue_many(items)
