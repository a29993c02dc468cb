"""Staff page of the outbox: what waits, what failed for good, and a retry."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from .models import OutboxMessage
from .selectors import outbox_counts, outbox_failed_list
from .services import outbox_retry


class OutboxView(PermissionRequiredMixin, TemplateView):
    permission_required = "core.manage_outbox"
    template_name = "core/outbox.html"
    raise_exception = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            counts=outbox_counts(), failed=outbox_failed_list(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        ids = [value for value in request.POST.getlist("message") if value.isdigit()][:500]
        selected = OutboxMessage.objects.all()
        if "all" not in request.POST:
            selected = selected.filter(pk__in=[int(value) for value in ids if len(value) < 19])
        count = outbox_retry(messages=selected)
        messages.success(
            request,
            ngettext(
                "%(count)d message put back in the queue.",
                "%(count)d messages put back in the queue.",
                count,
            )
            % {"count": count},
        )
        return redirect("core:outbox")
