"""`terreau restore DIR`: see terreau.core.backup."""

from pathlib import Path

from django.core.management.base import BaseCommand

from terreau.core import backup


class Command(BaseCommand):
    help = "Restore the database and the media from the backup in DIR (replaces them)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        backup.restore(directory)
        self.stdout.write(self.style.SUCCESS(f"Restored from {directory}."))
