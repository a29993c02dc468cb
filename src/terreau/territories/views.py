"""Public pages of the territories app, the commune search endpoint and the outlines GeoJSON."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django.views.generic import TemplateView

from . import selectors
from .forms import CommuneJumpForm, CommuneSearchForm

COMMUNES_PER_PAGE = 50


class TerritoryIndexView(TemplateView):
    template_name = "territories/territory_index.html"

    def get_context_data(self, **kwargs):
        departments = list(selectors.department_list())
        return super().get_context_data(**kwargs) | {
            "departments": departments,
            "zones": selectors.zone_list(),
            "map": selectors.department_map(departments),
            "jump_form": CommuneJumpForm(),
        }


class CommuneListMixin:
    """A paginated, searchable list of communes (full page, or the results alone for htmx)."""

    partial = "territories/_commune_results.html"

    def commune_page(self, request, **filters):
        form = CommuneSearchForm(request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        communes = selectors.commune_list(query=query, **filters)
        page = Paginator(communes, COMMUNES_PER_PAGE).get_page(request.GET.get("page"))
        return {"search_form": form, "query": query, "page_obj": page, "communes": page.object_list}

    def render_to_response(self, context, **kwargs):
        if getattr(self.request, "htmx", False) and self.request.htmx.target == "commune-results":
            return render(self.request, self.partial, context)
        return super().render_to_response(context, **kwargs)


class CommuneListView(CommuneListMixin, TemplateView):
    template_name = "territories/commune_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | self.commune_page(self.request)


class DepartmentDetailView(CommuneListMixin, TemplateView):
    template_name = "territories/department_detail.html"

    def get_context_data(self, **kwargs):
        department = selectors.department_detail(kwargs["code"].upper())
        if department is None:
            raise Http404(_("Unknown département."))
        neighbours = list(selectors.department_list(department.region_id))
        return (
            super().get_context_data(**kwargs)
            | {
                "department": department,
                "zones": department.zones.order_by("name"),
                "map": selectors.department_map(neighbours, highlight=department.code),
            }
            | self.commune_page(self.request, department=department)
        )


class ZoneDetailView(CommuneListMixin, TemplateView):
    template_name = "territories/zone_detail.html"

    def get_context_data(self, **kwargs):
        zone = selectors.zone_detail(kwargs["slug"])
        if zone is None:
            raise Http404(_("Unknown zone."))
        return (
            super().get_context_data(**kwargs)
            | {"zone": zone, "map": selectors.zone_map(zone)}
            | self.commune_page(self.request, zone=zone)
        )


class CommuneDetailView(TemplateView):
    template_name = "territories/commune_detail.html"

    def get_context_data(self, **kwargs):
        commune = selectors.commune_detail(kwargs["insee"].upper())
        if commune is None:
            raise Http404(_("Unknown commune."))
        point = (commune.longitude, commune.latitude) if commune.has_location else None
        return super().get_context_data(**kwargs) | {
            "commune": commune,
            "zones": selectors.commune_zones(commune),
            "sections": selectors.commune_sections(commune),
            "map": selectors.department_map([commune.department], commune.department_id, point),
            "tiles_url": settings.TERREAU_MAP_TILES_URL,
            "tiles_attribution": settings.TERREAU_MAP_ATTRIBUTION,
        }


@require_GET
def commune_go(request):
    """Go to the page of the commune typed in "Find a commune", or say why not and suggest."""
    form = CommuneJumpForm(request.GET)
    if form.is_valid():
        return redirect(form.cleaned_data["commune"])
    typed = request.GET.get("commune", "")[:100]
    return render(
        request,
        "territories/commune_go.html",
        {"jump_form": form, "suggestions": selectors.commune_search(typed, 20)},
    )


@require_GET
@vary_on_headers("HX-Request")
@cache_control(public=True, max_age=3600)
def commune_search(request):
    """Suggestions for a typed commune: JSON {"results": [...]}, or <option>s for htmx."""
    try:
        limit = int(request.GET.get("limit", 10))
    except ValueError:
        limit = 10
    communes = selectors.commune_search(request.GET.get("q", "")[:100], limit)
    if getattr(request, "htmx", False):
        return render(request, "territories/commune_options.html", {"communes": communes})
    return JsonResponse(
        {
            "results": [
                {
                    "insee": commune.insee,
                    "name": commune.name,
                    "department": commune.department_id,
                    "postal_codes": commune.postal_code_list,
                    "label": str(commune),
                    "url": commune.get_absolute_url(),
                }
                for commune in communes
            ]
        }
    )


@require_GET
@cache_control(public=True, max_age=86400)
def department_outlines(request):
    """The départements' outlines as GeoJSON (all, or ?departements=59,62), for maps."""
    # Département codes are short and alphanumeric ("59", "2A"); anything else matches none.
    codes = [
        code
        for code in request.GET.get("departements", "").upper().split(",")
        if code.isalnum() and len(code) <= 3
    ]
    response = JsonResponse(selectors.department_outlines_geojson(codes[:20] or None))
    response["Content-Type"] = "application/geo+json"
    return response
