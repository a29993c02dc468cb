"""`terreau restore DIR`: see terreau.core.backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from terreau.core import backup


class Command(BaseCommand):
    help = "Restore the database and the media from the backup in DIR (replaces them)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        try:
            backup.restore(directory)
        except backup.UnsupportedDatabase as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored from {directory}."))
