"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terreau.settings")
application = get_asgi_application()

from terreau.serving import refuse_default_secret_key  # noqa: E402  (after Django's setup)

refuse_default_secret_key()
