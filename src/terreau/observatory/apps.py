from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "terreau.observatory"
    label = "observatory"
    verbose_name = _("Observatory")

    def ready(self):
        from . import search

        # Full-text search on SQLite: the stemming function its triggers call, and the
        # triggers themselves after migrations that rebuild the initiative table.
        connection_created.connect(search.register_sqlite_function, dispatch_uid="terreau-search")
        post_migrate.connect(search.ensure_schema_after_migrate, sender=self)
