from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "terreau.core"
    label = "core"
    verbose_name = _("Site and themes")

    def ready(self):
        from django.tasks.signals import task_finished, task_started

        from . import versions
        from .outbox import services

        versions.connect()

        def started(sender, task_result, **kwargs):
            services.current_task_id.set(str(task_result.id))
            services._task_key_counts.set({})

        def finished(sender, task_result, **kwargs):
            services.current_task_id.set(None)
            services._task_key_counts.set(None)

        task_started.connect(started, weak=False, dispatch_uid="terreau_outbox_task_started")
        task_finished.connect(finished, weak=False, dispatch_uid="terreau_outbox_task_finished")

        from .sites import site_sync

        # Core's post_migrate runs before the sites framework's, which then finds a Site and
        # creates no example.com.
        post_migrate.connect(site_sync, sender=self, dispatch_uid="terreau.core.site_sync")
