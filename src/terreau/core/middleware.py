"""Request screening that no view can forget: control characters in the path answer 400; a
database that cannot be reached (restarted, failed over) answers 503 with Retry-After."""

import logging

from django.db import DatabaseError, connections
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
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


logger = logging.getLogger("terreau.availability")
RETRY_AFTER_SECONDS = 5


def database_unreachable() -> bool:
    """Whether a database connection was lost (the server restarted, failed over, or refuses
    connections), as opposed to a query that failed on a live connection."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            if connection.errors_occurred:
                return True
            continue
        if not connection.is_usable():
            return True
    return False


class DatabaseUnavailableMiddleware:
    """While PostgreSQL restarts, requests cannot reach it: answer 503 Service Unavailable with
    Retry-After (load balancers and browsers retry; monitoring tells it from a bug) instead of
    a 500. The transaction of the request was rolled back by the database, so nothing was
    half-saved; the connection is dropped and the next request opens a new one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DatabaseError) or not database_unreachable():
            return None
        return unavailable_response(request, exception)


def unavailable_response(request, exception=None) -> HttpResponse:
    """503 with Retry-After, drawn without the database (also the 500 handler's answer when the
    failure came from a middleware, e.g. a session read)."""
    logger.warning("database unreachable: %s", exception)
    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()
    if "/api/" in request.path_info:
        response = JsonResponse(
            {"detail": gettext("The service is briefly unavailable.")}, status=503
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
