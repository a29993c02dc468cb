"""Contributing: start a draft (new initiative or edit), fill it step by step, upload files,
submit it, or publish it at once when allowed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from terreau.core import uploads
from terreau.core.forms import apply_service_errors
from terreau.core.permissions import HiddenPermissionRequiredMixin

from ..forms import STEP_COUNT, STEPS, InitiativeStepForm, MediaUploadForm, SubmitForm, get_step
from ..models import Initiative, ProposalMedia
from ..selectors import moderation as selectors
from ..services import proposals as services


def _proposal_or_404(pk):
    proposal = selectors.proposal_get(pk=pk)
    if proposal is None:
        raise Http404
    return proposal


def step_form(proposal, step, data=None) -> InitiativeStepForm:
    removable = proposal.initiative.media.all() if proposal.initiative_id else None
    return InitiativeStepForm(
        data,
        step=step,
        removable_media=removable,
        initial=InitiativeStepForm.initial_from(proposal.data, step),
    )


def render_step(request, proposal, step, form, upload_form=None):
    is_last = step.number == STEP_COUNT
    context = {
        "proposal": proposal,
        "step": step,
        "steps": STEPS,
        "form": form,
        "is_last": is_last,
        "upload_form": (upload_form or MediaUploadForm()) if is_last else None,
        "max_upload_size": settings.TERREAU_UPLOAD_MAX_BYTES,
    }
    return render(request, "observatory/proposal_step.html", context)


class ProposalListView(LoginRequiredMixin, ListView):
    template_name = "observatory/proposal_list.html"
    context_object_name = "proposals"
    paginate_by = 50

    def get_queryset(self):
        return selectors.proposals_of(user=self.request.user)


class ProposalStartView(PermissionRequiredMixin, TemplateView):
    """GET explains; POST opens a draft for a new initiative."""

    template_name = "observatory/proposal_start.html"
    permission_required = "observatory.propose_initiative"

    def post(self, request):
        proposal = services.proposal_create(author=request.user)
        return redirect("observatory:proposal_step", pk=proposal.pk, step=1)


class ProposalStartEditView(PermissionRequiredMixin, View):
    """POST opens (or reopens) the user's draft edit of a published initiative."""

    permission_required = "observatory.propose_initiative_change"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.initiative = get_object_or_404(Initiative, slug=self.kwargs["slug"])
        return self.initiative

    def post(self, request, slug):
        proposal = services.proposal_create(author=request.user, initiative=self.initiative)
        return redirect("observatory:proposal_step", pk=proposal.pk, step=1)


class ProposalStepView(HiddenPermissionRequiredMixin, View):
    permission_required = "observatory.change_proposal"
    login_first = True
    template_name = "observatory/proposal_step.html"

    def get_permission_object(self):
        self.proposal = _proposal_or_404(self.kwargs["pk"])
        self.step = get_step(self.kwargs["step"])
        if self.step is None:
            raise Http404
        return self.proposal

    def _form(self, data=None):
        return step_form(self.proposal, self.step, data)

    def _render(self, form):
        return render_step(self.request, self.proposal, self.step, form)

    def get(self, request, pk, step):
        return self._render(self._form())

    def post(self, request, pk, step):
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        services.proposal_save_step(proposal=self.proposal, step=step, data=form.to_data())
        if "previous" in request.POST and step > 1:
            return redirect("observatory:proposal_step", pk=pk, step=step - 1)
        if "stay" in request.POST:
            messages.success(request, _("Draft saved."))
            return redirect("observatory:proposal_step", pk=pk, step=step)
        if step < STEP_COUNT:
            return redirect("observatory:proposal_step", pk=pk, step=step + 1)
        return redirect("observatory:proposal_review", pk=pk)


class ProposalMediaAddView(HiddenPermissionRequiredMixin, View):
    permission_required = "observatory.change_proposal"
    login_first = True
    http_method_names = ["post"]

    def get_permission_object(self):
        self.proposal = _proposal_or_404(self.kwargs["pk"])
        return self.proposal

    def post(self, request, pk):
        form = MediaUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.proposal_media_add(
                    proposal=self.proposal,
                    file=form.cleaned_data["file"],
                    kind=form.kind,
                    title=form.cleaned_data["title"],
                    alt_text=form.cleaned_data["alt_text"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("File added."))
                return redirect("observatory:proposal_step", pk=pk, step=STEP_COUNT)
        step = get_step(STEP_COUNT)
        return render_step(
            request, self.proposal, step, step_form(self.proposal, step), upload_form=form
        )


class ProposalMediaDeleteView(HiddenPermissionRequiredMixin, View):
    permission_required = "observatory.change_proposal"
    login_first = True
    http_method_names = ["post"]

    def get_permission_object(self):
        self.media = get_object_or_404(
            ProposalMedia.objects.select_related("proposal"),
            pk=self.kwargs["media_pk"],
            proposal_id=self.kwargs["pk"],
        )
        return self.media.proposal

    def post(self, request, pk, media_pk):
        services.proposal_media_remove(media=self.media)
        messages.success(request, _("File removed."))
        return redirect("observatory:proposal_step", pk=pk, step=STEP_COUNT)


class ProposalMediaFileView(HiddenPermissionRequiredMixin, View):
    """A file of a contribution, to its author and the moderators only: files awaiting
    moderation are not reachable under /media/ (deploy/nginx.conf makes that folder internal)."""

    permission_required = "observatory.view_proposal"
    login_first = True
    http_method_names = ["get", "head"]

    def get_permission_object(self):
        self.proposal = _proposal_or_404(self.kwargs["pk"])
        return self.proposal

    def get(self, request, pk, media_pk):
        media = get_object_or_404(self.proposal.media, pk=media_pk)
        return uploads.protected_file_response(media.file)


class ProposalReviewView(HiddenPermissionRequiredMixin, View):
    """The contributor's overview: what will change, the moderators' comments, and the
    buttons to submit (or publish at once when allowed)."""

    permission_required = "observatory.view_proposal"
    login_first = True
    template_name = "observatory/proposal_review.html"

    def get_permission_object(self):
        self.proposal = _proposal_or_404(self.kwargs["pk"])
        return self.proposal

    def _render(self, form, status=200):
        context = {
            "proposal": self.proposal,
            "steps": STEPS,
            "changes": selectors.proposal_changes(self.proposal),
            "removed_media": selectors.proposal_removed_media(self.proposal),
            "form": form,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self._render(SubmitForm())

    def post(self, request, pk):
        user = request.user
        publish_now = "publish" in request.POST
        permission = (
            "observatory.publish_own_proposal" if publish_now else "observatory.submit_proposal"
        )
        if not user.has_perm(permission, self.proposal):
            raise PermissionDenied
        form = SubmitForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            if publish_now:
                revision = services.proposal_publish_directly(
                    proposal=self.proposal, user=user, message=form.cleaned_data["message"]
                )
            else:
                services.proposal_submit(
                    proposal=self.proposal, message=form.cleaned_data["message"]
                )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self._render(form)
        if publish_now:
            messages.success(request, _("Published. Thank you!"))
            return redirect(revision.initiative)
        messages.success(
            request, _("Submitted. The moderators will review it; you will get an e-mail.")
        )
        return redirect("observatory:proposal_review", pk=pk)


class ProposalDeleteView(HiddenPermissionRequiredMixin, TemplateView):
    permission_required = "observatory.delete_proposal"
    login_first = True
    template_name = "observatory/proposal_confirm_delete.html"

    def get_permission_object(self):
        self.proposal = _proposal_or_404(self.kwargs["pk"])
        return self.proposal

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"proposal": self.proposal}

    def post(self, request, pk):
        services.proposal_delete(proposal=self.proposal, user=request.user)
        messages.success(request, _("Draft deleted."))
        return redirect(reverse("observatory:proposal_list"))
