"""Synthetic data sets are spread over the real communes: load Hauts-de-France when missing."""

from . import fixture
from .models import Commune
from .services import territories_load

REGION = "32"


def generate(*, scale, rng, stdout=None) -> None:
    if Commune.objects.exists():
        return
    result = territories_load(payload=fixture.read(REGION))
    if stdout:
        stdout.write(result.summary())
