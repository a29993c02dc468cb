"""A lost registration link sent again; a signed-in person's registrations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from ..forms.registration_link import RegistrationLinkForm
from ..selectors.registration_link import registrations_of_user
from ..services import registration_link as services
from .registration import _event_for_public


class RegistrationLinkResendView(View):
    template_name = "events/registration/link_resend.html"

    def dispatch(self, request, slug):
        self.event = _event_for_public(request, slug)
        return super().dispatch(request, slug)

    def _render(self, request, form, status=200):
        return render(
            request, self.template_name, {"event": self.event, "form": form}, status=status
        )

    def get(self, request, slug):
        return self._render(request, RegistrationLinkForm())

    def post(self, request, slug):
        form = RegistrationLinkForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        if services.client_is_limited(request.META.get("REMOTE_ADDR", "")):
            form.add_error(None, _("Too many requests from your connection: try again later."))
            return self._render(request, form, status=429)
        services.registration_link_resend(event=self.event, email=form.cleaned_data["email"])
        # The same answer whether or not the address is registered.
        messages.info(
            request,
            _(
                "If this address is registered for the event, a message with your personal "
                "link is on its way. Check your spam folder too."
            ),
        )
        return redirect(self.event.get_absolute_url())


@method_decorator(login_required, name="dispatch")
class MyRegistrationsView(View):
    def get(self, request):
        return render(
            request,
            "events/registration/my_registrations.html",
            {"registrations": registrations_of_user(request.user)},
        )
