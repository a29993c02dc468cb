"""A mail backend that writes to the outbox instead of sending (MAILERS["default"])."""

from django.core.mail.backends.base import BaseEmailBackend


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from .services import outbox_enqueue

        count = 0
        for message in email_messages:
            if message.recipients():
                outbox_enqueue(message)
                count += 1
        return count
