"""Object permissions that reveal nothing: a refused object answers as one that does not exist."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from rules.contrib.views import PermissionRequiredMixin


class HiddenPermissionRequiredMixin(PermissionRequiredMixin):
    """django-rules' PermissionRequiredMixin, but a refused object answers 404 as a missing one
    does (a 403 or a log-in redirect would tell that it exists: a draft, a hidden person).

    `login_first`: for members' pages, visitors who are not logged in are sent to log in before
    anything is looked up, whether the object exists or not.
    """

    login_first = False

    def dispatch(self, request, *args, **kwargs):
        if self.login_first and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def handle_no_permission(self):
        raise Http404
