"""`terreau newsletter_bounces MAILDIR`: read the bounce mailbox (a Maildir), mark the
addresses that bounce for good or complained, and move the reports read to `cur`."""

import mailbox

from django.core.management.base import BaseCommand, CommandError

from terreau.library.bounces import parse_report
from terreau.library.services.newsletter import subscriber_mark_bounced


class Command(BaseCommand):
    help = "Mark newsletter addresses that bounce or complained, from a Maildir of reports."

    def add_arguments(self, parser):
        parser.add_argument("maildir", help="the Maildir that receives the bounces")
        parser.add_argument("--keep", action="store_true", help="leave the messages unread")

    def handle(self, *args, maildir, keep, **options):
        try:
            box = mailbox.Maildir(maildir, factory=None, create=False)
            keys = list(box.iterkeys())
        except (OSError, mailbox.Error) as error:
            raise CommandError(f"Cannot read the Maildir {maildir}: {error}") from error
        read = marked = 0
        for key in keys:
            message = box.get_message(key)
            if "S" in message.get_flags():
                continue
            read += 1
            for report in parse_report(message.as_bytes()):
                if subscriber_mark_bounced(
                    email=report.email, reason=report.reason, complaint=report.complaint
                ):
                    marked += 1
            if not keep:
                message.set_subdir("cur")
                message.add_flag("S")
                box[key] = message
        self.stdout.write(f"{read} reports read, {marked} addresses marked.")
