"""Members' resource proposals: propose, follow and revise one's own; the moderators' queue and
decision (the shared moderation workflow: terreau.core.moderation)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from terreau.core import uploads
from terreau.core.permissions import HiddenPermissionRequiredMixin

from ..forms import ProposalDecisionForm, ResourceProposalForm
from ..selectors import proposals as selectors
from ..services import proposals as services


def _proposal(pk: int):
    proposal = selectors.proposal_get(pk=pk)
    if proposal is None:
        raise Http404
    return proposal


class ProposalCreateView(PermissionRequiredMixin, View):
    permission_required = "library.propose_resource"
    template_name = "library/proposal_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ResourceProposalForm()})

    def post(self, request):
        form = ResourceProposalForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                proposal = services.proposal_propose(author=request.user, **form.proposal_fields())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Thank you: your proposal is with the moderators. You will get an e-mail."),
                )
                return redirect(proposal)
        return render(request, self.template_name, {"form": form}, status=400)


class ProposalObjectMixin(HiddenPermissionRequiredMixin):
    login_first = True

    def get_permission_object(self):
        self.proposal = _proposal(self.kwargs["pk"])
        return self.proposal


class ProposalReviseView(ProposalObjectMixin, View):
    permission_required = "library.revise_resourceproposal"
    template_name = "library/proposal_form.html"

    def get(self, request, pk):
        form = ResourceProposalForm(instance=self.proposal)
        return render(request, self.template_name, {"form": form, "proposal": self.proposal})

    def post(self, request, pk):
        form = ResourceProposalForm(request.POST, request.FILES, instance=self.proposal)
        if form.is_valid():
            try:
                proposal = services.proposal_revise(
                    proposal=self.proposal, user=request.user, **form.proposal_fields()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your proposal is sent to the moderators again."))
                return redirect(proposal)
        context = {"form": form, "proposal": self.proposal}
        return render(request, self.template_name, context, status=400)


def _detail(request, proposal, *, form=None, status=200):
    context = {
        "proposal": proposal,
        "can_moderate": request.user.has_perm("library.moderate_resourceproposal"),
        "can_revise": request.user.has_perm("library.revise_resourceproposal", proposal),
        "decision_form": form or ProposalDecisionForm(),
    }
    return render(request, "library/proposal_detail.html", context, status=status)


class ProposalDetailView(ProposalObjectMixin, View):
    permission_required = "library.view_resourceproposal"

    def get(self, request, pk):
        return _detail(request, self.proposal)


class ProposalDecideView(ProposalObjectMixin, View):
    permission_required = "library.moderate_resourceproposal"
    http_method_names = ["post"]

    def post(self, request, pk):
        form = ProposalDecisionForm(request.POST)
        if form.is_valid():
            try:
                services.proposal_decide(
                    proposal=self.proposal,
                    moderator=request.user,
                    decision=form.cleaned_data["decision"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, _("Your decision is recorded and the author informed."))
                return redirect("library:proposal_queue")
        return _detail(request, _proposal(pk), form=form, status=400)


class ProposalFileView(ProposalObjectMixin, View):
    """The proposal's file, to its author and the moderators only (never under /media/)."""

    permission_required = "library.view_resourceproposal"
    http_method_names = ["get", "head"]

    def get(self, request, pk):
        if not self.proposal.file:
            raise Http404
        return uploads.protected_file_response(self.proposal.file)


class ProposalListView(HiddenPermissionRequiredMixin, View):
    """One's own proposals (every member) and, for moderators, those awaiting a decision."""

    permission_required = "library.propose_resource"
    login_first = True

    def get(self, request):
        can_moderate = request.user.has_perm("library.moderate_resourceproposal")
        context = {
            "mine": list(selectors.proposals_of(user=request.user)),
            "queue": list(selectors.proposal_queue()) if can_moderate else None,
        }
        return render(request, "library/proposal_list.html", context)
