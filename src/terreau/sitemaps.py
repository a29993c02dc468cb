"""sitemap.xml (Django's sitemaps): the site's pages, and every public object of the kinds the
site search indexes (their `objects()` are the public ones), plus published initiatives."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from terreau.observatory.models import Initiative, PublicationState
from terreau.search.registry import search_kinds

# Kinds whose objects have no page of their own (a session is a part of its event's page).
WITHOUT_PAGES = {"sessions"}


class StaticSitemap(Sitemap):
    def items(self):
        return [
            "core:home",
            "observatory:initiative_list",
            "events:agenda",
            "library:resource_list",
            "library:need_list",
            "library:newsletter_subscribe",
            "directory:organisation_list",
            "core:privacy",
        ]

    def location(self, item):
        return reverse(item)


class KindSitemap(Sitemap):
    limit = 5000

    def __init__(self, kind):
        self.kind = kind

    def items(self):
        return self.kind.objects().order_by("pk")

    def lastmod(self, item):
        return getattr(item, "updated_at", None)


class InitiativeSitemap(Sitemap):
    limit = 5000

    def items(self):
        return (
            Initiative.objects.filter(state=PublicationState.PUBLISHED)
            .only("pk", "slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.updated_at


def sitemaps() -> dict:
    found = {"pages": StaticSitemap(), "initiatives": InitiativeSitemap()}
    for kind in search_kinds():
        if kind.is_indexed and kind.key not in WITHOUT_PAGES:
            found[kind.key] = KindSitemap(kind)
    return found
