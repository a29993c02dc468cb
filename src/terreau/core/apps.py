from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "terreau.core"
    label = "core"
    verbose_name = _("Site and themes")

    def ready(self):
        from django.tasks.signals import task_finished, task_started

        from .outbox import services

        def started(sender, task_result, **kwargs):
            services.current_task_id.set(str(task_result.id))
            services._task_key_counts.set({})

        def finished(sender, task_result, **kwargs):
            services.current_task_id.set(None)
            services._task_key_counts.set(None)

        task_started.connect(started, weak=False, dispatch_uid="terreau_outbox_task_started")
        task_finished.connect(finished, weak=False, dispatch_uid="terreau_outbox_task_finished")
