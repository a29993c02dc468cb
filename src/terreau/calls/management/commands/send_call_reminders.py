"""Remind applicants with a draft that a call's deadline is near (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from terreau.calls.services import call_reminders_send


class Command(BaseCommand):
    help = "E-mail applicants whose application is still a draft a few days before the deadline."

    def handle(self, *args, **options):
        sent = call_reminders_send()
        self.stdout.write(f"{sent} reminder(s) sent.")
