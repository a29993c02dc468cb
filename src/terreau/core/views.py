"""Site-wide views and the styled error pages."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.generic import TemplateView

from . import selectors


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
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    return render(request, "500.html", status=500)
