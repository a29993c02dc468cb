"""Find a named module (demo, dataset, home…) in each Terreau app, in INSTALLED_APPS order.

This lets core drive per-app work (demo data, synthetic data sets, home page sections) without
importing any domain app.
"""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> list[ModuleType]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("terreau."):
            continue
        dotted = f"{config.name}.{name}"
        if find_spec(dotted) is not None:
            found.append(import_module(dotted))
    return found
