"""Site-wide views and the styled error pages."""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.generic import TemplateView

from . import selectors
from .middleware import database_unreachable, unavailable_response
from .throttle import throttled


@method_decorator(throttled("search"), name="dispatch")
class FilteredListView(TemplateView):
    """A paginated list filtered by a django-filter FilterSet (`filter_class`, whose `page_size`
    sets the page length). The same URL answers a whole page or, to htmx, only the template's
    `results` partial."""

    filter_class: type

    def get_template_names(self):
        htmx = self.request.htmx
        if htmx and not htmx.boosted and not htmx.history_restore_request:
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

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.expires_at = selectors.home_next_change()  # the page cache's
        return response


class LegalView(TemplateView):
    template_name = "core/legal.html"


class PrivacyView(TemplateView):
    template_name = "core/privacy.html"


class AccessibilityView(TemplateView):
    template_name = "core/accessibility.html"


def set_language(request, code):
    """Switch the interface language by a plain link (GET): the language cookie is set here
    only, so public pages carry no form and no CSRF cookie and do not vary on cookies."""
    if code not in dict(settings.LANGUAGES) or not check_for_language(code):
        raise Http404
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    add_never_cache_headers(response)
    return response


@method_decorator(staff_member_required, name="dispatch")
class DesignView(TemplateView):
    """The design system's tokens and components, for the staff who write templates."""

    template_name = "core/design.html"
    extra_context = {
        "spacing": [
            (n, rem, int(rem * 16)) for n, rem in enumerate((0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4), 1)
        ]
    }


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
    if database_unreachable():  # PostgreSQL restarting: 503 and Retry-After, not a bug
        return unavailable_response(request)
    return render(request, "500.html", status=500)
