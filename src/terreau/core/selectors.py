"""Reads for site-wide pages."""

from .app_modules import app_modules


def home_summary() -> dict:
    """The home page's sections: each app may expose `home.summary()` returning a dict
    (key, title, text, url, count, count_label, items, position) or None."""
    # Every key the template reads is present, so that a missing one never falls back to a
    # dict method (`section.items` would otherwise resolve to dict.items).
    defaults = {"count": None, "count_label": "", "items": (), "position": 100}
    # An app with several sections exposes `home.sections()` (a list of such dicts) instead.
    found = [
        section
        for module in app_modules("home")
        for section in (module.sections() if hasattr(module, "sections") else [module.summary()])
    ]
    sections = [defaults | section for section in found if section]
    sections.sort(key=lambda section: section.get("position", 100))
    return {"home_sections": sections}
