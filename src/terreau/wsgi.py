"""WSGI entry point (gunicorn terreau.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terreau.settings")
application = get_wsgi_application()
