"""WSGI entry point (gunicorn terreau.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terreau.settings")
application = get_wsgi_application()

from terreau.serving import refuse_default_secret_key  # noqa: E402  (after Django's setup)

refuse_default_secret_key()
