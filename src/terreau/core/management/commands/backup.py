"""`terreau backup DIR`: see terreau.core.backup."""

from pathlib import Path

from django.core.management.base import BaseCommand

from terreau.core import backup


class Command(BaseCommand):
    help = "Back up the database and the media into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        for path in backup.backup(directory):
            self.stdout.write(str(path))
