"""Request screening that no view can forget: control characters in the path answer 400."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

from .forms import has_control_characters


class ControlCharactersMiddleware:
    """A NUL (or any other control character) in the path can only come from a hostile or
    broken client: answer 400 before any view turns it into a query (where PostgreSQL would
    fail with a 500). Query strings and posted values go through forms and filters, which
    screen them field by field with a message (terreau.core.forms, terreau.core.filters)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request.path_info):
            if "/api/" in request.path_info:  # the APIs' documented shape (terreau.core.api)
                message = gettext("The address contains control characters.")
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(
                render_to_string("400.html", request=request), content_type="text/html"
            )
        return self.get_response(request)
