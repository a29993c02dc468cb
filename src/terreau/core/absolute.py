"""Absolute links (e-mails, permalinks, calendars, Open Graph) built from the address the site is
served at: the current request's scheme and host (checked against ALLOWED_HOSTS) when there is
one, SITE_URL otherwise (tasks, management commands). Served on another port, links follow."""

from contextvars import ContextVar

from django.conf import settings

_base_url: ContextVar[str | None] = ContextVar("terreau_base_url", default=None)


def base_url() -> str:
    return _base_url.get() or settings.SITE_URL


def absolute_url(path: str) -> str:
    """`path` (a site path starting with "/") as a full URL; a full URL is returned as it is."""
    if "://" in path:
        return path
    return base_url() + path


class RequestBaseURLMiddleware:
    """Keeps the request's own base URL for absolute_url() while the request is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            url = f"{request.scheme}://{request.get_host()}"
        except Exception:  # DisallowedHost: CommonMiddleware answers 400 later; use SITE_URL
            url = None
        token = _base_url.set(url)
        try:
            return self.get_response(request)
        finally:
            _base_url.reset(token)
