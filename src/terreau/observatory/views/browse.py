"""Public catalogue pages: the list with facets and search, the map and its data, the dashboard."""

import json

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from terreau.core.throttle import throttled

from ..filters import SortChoices, catalogue_from_query
from ..selectors import browse

PAGE_SIZE = 20


class CatalogueMixin:
    """Reads the shared query string: filters, search, sort and page."""

    def get_catalogue(self) -> browse.Catalogue:
        if not hasattr(self, "_catalogue"):
            self._catalogue = catalogue_from_query(self.request.GET)
        return self._catalogue

    def catalogue_context(self) -> dict:
        catalogue = self.get_catalogue()
        rows = browse.catalogue_rows(catalogue, with_text=catalogue.is_search)
        paginator = Paginator(rows, PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        return {
            "catalogue": catalogue,
            "facets_html": self.facets_html(catalogue),
            "page_obj": page,
            "initiatives": browse.with_excerpts(page.object_list, catalogue),
            "result_count": paginator.count,
            "sort_choices": [
                choice
                for choice in SortChoices.choices
                if choice[0] != SortChoices.RELEVANCE or catalogue.is_search
            ],
            "query_string": params.urlencode(),
            "has_filters": any(key not in {"page", "sort"} for key in self.request.GET),
        }

    def facets_html(self, catalogue: browse.Catalogue) -> str:
        """The facet fieldsets, rendered once per filter combination, language and state of
        the catalogue (their counts are the costly part of the page)."""
        fingerprint = browse.catalogue_fingerprint()
        key = browse.catalogue_cache_key("facets-html", catalogue, fingerprint)
        html = cache.get(key)
        if html is None:
            facets = browse.initiative_facets(catalogue, fingerprint=fingerprint)
            html = render_to_string("observatory/_facets.html", {"facets": facets})
            cache.set(key, html, browse.CACHE_SECONDS)
        return mark_safe(html)  # noqa: S308 - rendered by our own template, auto-escaped


@method_decorator(throttled("search"), name="dispatch")
class InitiativeListView(CatalogueMixin, TemplateView):
    template_name = "observatory/initiative_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | self.catalogue_context()


class InitiativeMapView(CatalogueMixin, TemplateView):
    """The map; below it, the same results as text (the page works without tiles or JS)."""

    template_name = "observatory/initiative_map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs) | self.catalogue_context()
        data_url = reverse("observatory:map_data")
        if context["query_string"]:
            data_url += "?" + context["query_string"]
        unplaced_count, unplaced = browse.initiatives_without_location(
            context["catalogue"].queryset
        )
        context |= {
            "unplaced_count": unplaced_count,
            "unplaced": [
                (title, reverse("observatory:initiative_detail", kwargs={"slug": slug}))
                for slug, title in unplaced
            ],
            "map_data_url": data_url,
            "tiles_url": settings.TERREAU_MAP_TILES_URL,
            "tiles_attribution": settings.TERREAU_MAP_ATTRIBUTION,
        }
        return context


def map_data(request):
    """GeoJSON points of the filtered catalogue (at each initiative's commune centroid), cached
    per filter combination until the catalogue changes."""
    catalogue = catalogue_from_query(request.GET)
    key = browse.catalogue_cache_key("map", catalogue, browse.catalogue_fingerprint())
    body = cache.get(key)
    if body is None:
        body = _map_body(catalogue)
        cache.set(key, body, browse.CACHE_SECONDS)
    return HttpResponse(body, content_type="application/geo+json")


def _map_body(catalogue) -> str:
    # One reverse() for all points: thousands of them would cost more than the query.
    url = reverse("observatory:initiative_detail", kwargs={"slug": "__slug__"})
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": {
                "title": title,
                "url": url.replace("__slug__", slug),
                "commune": commune,
            },
        }
        for slug, title, latitude, longitude, commune in browse.initiative_map_points(
            catalogue.queryset
        )
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    )


class DashboardView(CatalogueMixin, TemplateView):
    template_name = "observatory/dashboard.html"

    def get_context_data(self, **kwargs):
        catalogue = self.get_catalogue()
        return super().get_context_data(**kwargs) | {
            "catalogue": catalogue,
            "charts": browse.dashboard_charts(catalogue, reverse("observatory:initiative_list")),
            "result_count": catalogue.queryset.count(),
        }
