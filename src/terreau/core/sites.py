"""The `Site` object that django-allauth reads for its e-mails, kept to SITE_NAME and SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings


def site_sync(**kwargs) -> None:
    """After each migrate: the current Site bears the site's name and domain (not example.com,
    which the sites framework creates), so account e-mails say where they come from."""
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain[:100], "name": settings.SITE_NAME[:50]}
    )
    Site.objects.clear_cache()
