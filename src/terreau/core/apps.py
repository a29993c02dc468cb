from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "terreau.core"
    label = "core"
    verbose_name = _("Site and themes")

    def ready(self):
        from .sites import site_sync

        # Core's post_migrate runs before the sites framework's, which then finds a Site and
        # creates no example.com.
        post_migrate.connect(site_sync, sender=self, dispatch_uid="terreau.core.site_sync")
