"""Load (or refresh) a region's geography from its committed fixture, in a few bulk queries.

    manage.py load_territories --region 32

Idempotent: run it again after `build_territories_fixture` to apply a new fixture.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from terreau.territories import fixture
from terreau.territories.services import territories_load


class Command(BaseCommand):
    help = "Load a region's départements, EPCI and communes from territories/data/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--region",
            action="append",
            help="INSEE region code (repeatable); default: every shipped fixture.",
        )
        parser.add_argument(
            "--directory",
            type=Path,
            default=fixture.DATA_DIR,
            help="Where the fixtures are (default: the shipped ones).",
        )

    def handle(self, *args, region, directory, **options):
        for code in region or fixture.available_regions(directory):
            started = time.perf_counter()
            try:
                payload = fixture.read(code, directory)
            except (FileNotFoundError, ValueError) as error:
                raise CommandError(str(error)) from error
            result = territories_load(payload=payload)
            self.stdout.write(result.summary())
            self.stdout.write(
                self.style.SUCCESS(f"Loaded in {time.perf_counter() - started:.2f} s.")
            )
