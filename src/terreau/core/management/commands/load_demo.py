"""Load the demo data built from the seed documents, once."""

from django.core.management.base import BaseCommand
from django.db import transaction

from terreau.core.app_modules import app_modules
from terreau.core.demo import DEMO_STAFF_EMAIL, demo_is_loaded


class Command(BaseCommand):
    help = "Load the demo data (territories, organisations, initiatives, events…) once."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load again over existing data.")

    def handle(self, *args, force=False, **options):
        if demo_is_loaded() and not force:
            self.stdout.write("Demo data already loaded.")
            return
        # One transaction: a failure leaves nothing half-loaded, so the next run starts over.
        with transaction.atomic():
            for module in app_modules("demo"):
                module.load(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Staff account: {DEMO_STAFF_EMAIL}")
        )
