"""`terreau backup DIR`: see terreau.core.backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from terreau.core import backup


class Command(BaseCommand):
    help = "Back up the database and the media into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        try:
            written = backup.backup(directory)
        except backup.UnsupportedDatabase as error:
            raise CommandError(str(error)) from error
        for path in written:
            self.stdout.write(str(path))
