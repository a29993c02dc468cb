"""The member's own account page."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from terreau.directory.selectors import person_for_user

from .models import Role


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            person=person_for_user(user=user), roles=Role.choices, current_role=user.role, **kwargs
        )
