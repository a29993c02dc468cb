"""Demo events: the three seed events with their real programmes (`programmes`), then the other
areas' parts.

Every other module of this package (synthetic `registrations`, check-ins and report-backs
`onsite`, the `upcoming` demonstration edition…) has a `load(stdout=None)` function; they run
after the seed events, in the order of their `ORDER` attribute (default 100).
"""

import pkgutil
from importlib import import_module

from ..models import Event
from .programmes import (
    ARRAS_SLUG,
    LIEVIN_SLUG,
    LILLE_SLUG,
    PRESENTED_INITIATIVES,
    link_presented_initiatives,
    load_arras,
    load_lievin,
    load_lille,
)

__all__ = [
    "ARRAS_SLUG",
    "LIEVIN_SLUG",
    "LILLE_SLUG",
    "PRESENTED_INITIATIVES",
    "demo_parts",
    "link_presented_initiatives",
    "load",
    "load_arras",
    "load_lievin",
    "load_lille",
]


def demo_parts() -> list:
    """The other areas' demo modules of this package, in their ORDER."""
    modules = [
        import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if info.name != "programmes"
    ]
    return sorted(modules, key=lambda module: (getattr(module, "ORDER", 100), module.__name__))


def load(stdout=None) -> None:
    loaders = {LIEVIN_SLUG: load_lievin, ARRAS_SLUG: load_arras, LILLE_SLUG: load_lille}
    for slug, loader in loaders.items():
        if not Event.objects.filter(slug=slug).exists():
            loader()
    link_presented_initiatives()
    if stdout:
        stdout.write("Events: the three seed events with their programmes.")
    for module in demo_parts():
        module.load(stdout=stdout)
