"""Moderation: the queue, the review of one contribution, restoring a revision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from terreau.core.forms import apply_service_errors
from terreau.core.permissions import HiddenPermissionRequiredMixin

from ..forms import ModerationForm
from ..models import InitiativeRevision
from ..selectors import moderation as selectors
from ..services import proposals as services
from ..services.revisions import initiative_restore_revision


class ModerationQueueView(PermissionRequiredMixin, TemplateView):
    template_name = "observatory/moderation_queue.html"
    permission_required = "observatory.view_moderation_queue"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "queue": selectors.proposal_queue(),
            "waiting": selectors.proposals_waiting_for_authors()[:50],
        }


class ProposalModerateView(HiddenPermissionRequiredMixin, View):
    permission_required = "observatory.view_moderation_queue"
    login_first = True
    template_name = "observatory/proposal_moderate.html"

    def get_permission_object(self):
        self.proposal = selectors.proposal_get(pk=self.kwargs["pk"])
        if self.proposal is None:
            raise Http404
        return self.proposal

    def _render(self, form):
        context = {
            "proposal": self.proposal,
            "changes": selectors.proposal_changes(self.proposal),
            "removed_media": selectors.proposal_removed_media(self.proposal),
            "form": form,
        }
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        return self._render(ModerationForm())

    def post(self, request, pk):
        action = next((name for name in ModerationForm.ACTIONS if name in request.POST), None)
        permission = (
            "observatory.comment_proposal"
            if action == "comment"
            else "observatory.moderate_proposal"
        )
        if action is None or not request.user.has_perm(permission, self.proposal):
            raise PermissionDenied
        form = ModerationForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        comment = form.cleaned_data["comment"]
        moderator = request.user
        try:
            if action == "publish":
                revision = services.proposal_publish(
                    proposal=self.proposal, moderator=moderator, comment=comment
                )
            elif action == "request_changes":
                services.proposal_request_changes(
                    proposal=self.proposal, moderator=moderator, comment=comment
                )
            elif action == "reject":
                services.proposal_reject(
                    proposal=self.proposal, moderator=moderator, comment=comment
                )
            else:
                services.proposal_comment(
                    proposal=self.proposal, moderator=moderator, comment=comment
                )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self._render(form)
        done = {
            "publish": _("Published; the contributor has been told."),
            "request_changes": _("Changes requested; the contributor has been told."),
            "reject": _("Rejected; the contributor has been told."),
            "comment": _("Comment sent to the contributor."),
        }
        messages.success(request, done[action])
        if action == "publish":
            return redirect(revision.initiative)
        if action == "comment":
            return redirect("observatory:proposal_moderate", pk=pk)
        return redirect("observatory:moderation_queue")


class RevisionRestoreView(PermissionRequiredMixin, View):
    permission_required = "observatory.restore_initiative_revision"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.revision = get_object_or_404(
            InitiativeRevision.objects.select_related("initiative"),
            initiative__slug=self.kwargs["slug"],
            number=self.kwargs["number"],
        )
        return self.revision.initiative

    def post(self, request, slug, number):
        try:
            revision = initiative_restore_revision(revision=self.revision, moderator=request.user)
        except ValidationError:
            messages.error(
                request, _("This revision cannot be restored: its content is invalid now.")
            )
        else:
            messages.success(
                request,
                _("Revision %(old)s restored as revision %(new)s.")
                % {"old": number, "new": revision.number},
            )
        return redirect("observatory:initiative_history", slug=slug)
