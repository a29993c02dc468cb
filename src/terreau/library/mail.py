"""How the library hands e-mail to the site's outbox (terreau.core.outbox)."""

from django.core.mail import EmailMessage


def enqueue(message: EmailMessage, *, key: str | None = None) -> None:
    """Write `message` to the outbox in the current transaction (unique `key`: a second
    message with the same key is refused by the database)."""
    try:
        from terreau.core.outbox import outbox_enqueue
    except ImportError:  # before the outbox lands: the configured backend sends it
        message.send()
        return
    outbox_enqueue(message, key=key)
