"""Generate a large synthetic data set over the real communes, for benchmarks."""

import random

from django.core.management.base import BaseCommand

from terreau.core.app_modules import app_modules

SCALES = ("small", "medium", "large")


class Command(BaseCommand):
    help = "Generate synthetic data (large: 20,000 organisations, 50,000 people, …)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALES, default="small")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, seed, **options):
        rng = random.Random(seed)
        for module in app_modules("dataset"):
            module.generate(scale=scale, rng=rng, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Synthetic data set generated ({scale})."))
