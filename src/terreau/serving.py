"""What must hold before the site serves a request (called by the WSGI and ASGI entry points,
so by gunicorn, uvicorn and runserver): outside DEBUG, a secret key of its own."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_default_secret_key() -> None:
    from terreau.settings import DEFAULT_SECRET_KEY

    if not settings.DEBUG and settings.SECRET_KEY == DEFAULT_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in production (or DEBUG=1 for local development)."
        )
