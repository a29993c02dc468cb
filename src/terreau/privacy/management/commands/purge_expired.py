"""`terreau purge_expired`: remove or anonymise what is past its retention period (each app's
`personal_data.purge`, as the privacy page's register states), and sent e-mails after 90 days."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from terreau.privacy.registry import modules

OUTBOX_RETENTION = dt.timedelta(days=90)


class Command(BaseCommand):
    help = "Purge the personal data past its retention period."

    def handle(self, *args, **options):
        from terreau.core.models import OutboxBody, OutboxMessage, OutboxStatus

        now = timezone.now()
        for module in modules():
            if hasattr(module, "purge"):
                count = module.purge(now)
                self.stdout.write(f"{module.__name__.split('.')[1]}: {count}")
        sent = OutboxMessage.objects.filter(
            status=OutboxStatus.SENT, sent_at__lt=now - OUTBOX_RETENTION
        ).delete()[0]
        # A shared body goes with the last copy of it.
        OutboxBody.objects.filter(
            messages__isnull=True, created_at__lt=now - OUTBOX_RETENTION
        ).delete()
        self.stdout.write(f"outbox: {sent}")
