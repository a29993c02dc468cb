"""Site-wide views and the styled error pages."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from . import selectors
from .throttle import throttled


@method_decorator(throttled("search"), name="dispatch")
class FilteredListView(TemplateView):
    """A paginated list filtered by a django-filter FilterSet (`filter_class`, whose `page_size`
    sets the page length). The same URL answers a whole page or, to htmx, only the template's
    `results` partial."""

    filter_class: type

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def get_context_data(self, **kwargs):
        filterset = self.filter_class(self.request.GET, user=self.request.user)
        paginator = Paginator(filterset.qs, filterset.page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            filter=filterset, page_obj=page, results=page.object_list, **kwargs
        )


class HomeView(TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | selectors.home_summary()


class LegalView(TemplateView):
    template_name = "core/legal.html"


class PrivacyView(TemplateView):
    template_name = "core/privacy.html"


class AccessibilityView(TemplateView):
    template_name = "core/accessibility.html"


def health(request):
    """/sante/: the database, the cache and the age of the oldest e-mail and task waiting, as
    JSON; 200 when all answer ("ok", or "degraded" when a queue lags behind), 503 when the
    database or the cache does not (the load balancer then takes this server out)."""
    report = selectors.health_report()
    response = JsonResponse(report, status=200 if report["status"] != "down" else 503)
    response["Cache-Control"] = "no-store"
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    return render(request, "500.html", status=500)
