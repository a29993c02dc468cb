from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "terreau.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self):
        from . import registration_index

        # SQLite drops the registration table's triggers when a migration rebuilds it.
        post_migrate.connect(registration_index.ensure_after_migrate, sender=self)
