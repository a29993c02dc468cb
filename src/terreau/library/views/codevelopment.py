"""Co-development pages: the public board of needs, a need with its offers, and the forms
(post a need, offer help, take it to a session, record the outcome, mark it resolved)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from terreau.core.views import FilteredListView

from ..filters import NeedFilter
from ..forms import NeedForm, NeedOutcomeForm, NeedScheduleForm, OfferForm
from ..selectors import codevelopment as selectors
from ..services import codevelopment as services


class NeedListView(FilteredListView):
    template_name = "library/need_list.html"
    filter_class = NeedFilter


def _need(slug: str):
    need = selectors.need_detail(slug=slug)
    if need is None:
        raise Http404
    return need


def _detail(request, need, *, status=200, **forms):
    context = {
        "need": need,
        "page_url": settings.SITE_URL + need.get_absolute_url(),
        "offer_form": forms.get("offer_form") or OfferForm(),
        "schedule_form": forms.get("schedule_form") or NeedScheduleForm(),
        "outcome_form": forms.get("outcome_form")
        or NeedOutcomeForm(initial={"outcome": need.outcome}),
    }
    return render(request, "library/need_detail.html", context, status=status)


class NeedDetailView(TemplateView):
    def get(self, request, slug):
        return _detail(request, _need(slug))


class NeedCreateView(PermissionRequiredMixin, View):
    permission_required = "library.post_need"
    template_name = "library/need_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": NeedForm()})

    def post(self, request):
        form = NeedForm(request.POST)
        if form.is_valid():
            try:
                need = services.need_create(
                    author=request.user,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    themes=form.cleaned_data["themes"],
                    commune=form.cleaned_data["commune"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your need is on the board."))
                return redirect(need)
        return render(request, self.template_name, {"form": form}, status=400)


class NeedActionView(View):
    """A POST on one need, allowed by `permission` on that need."""

    permission: str

    def post(self, request, slug):
        need = _need(slug)
        if not request.user.has_perm(self.permission, need):
            if not request.user.is_authenticated:
                return redirect(f"{_login_url()}?next={need.get_absolute_url()}")
            raise PermissionDenied
        return self.act(request, need)


def _login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


class OfferCreateView(NeedActionView):
    permission = "library.offer_help"

    def act(self, request, need):
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                services.offer_create(need=need, author=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you: your offer is on the need's page."))
                return redirect(need)
        return _detail(request, need, status=400, offer_form=form)


class NeedScheduleView(NeedActionView):
    permission = "library.schedule_need"

    def act(self, request, need):
        form = NeedScheduleForm(request.POST)
        if form.is_valid():
            try:
                services.need_schedule(need=need, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The need is taken to the session."))
                return redirect(need)
        return _detail(request, need, status=400, schedule_form=form)


class NeedOutcomeView(NeedActionView):
    permission = "library.record_outcome"

    def act(self, request, need):
        form = NeedOutcomeForm(request.POST)
        if form.is_valid():
            services.need_record_outcome(need=need, outcome=form.cleaned_data["outcome"])
            messages.success(request, _("The outcome is recorded."))
            return redirect(need)
        return _detail(request, need, status=400, outcome_form=form)


class NeedResolveView(NeedActionView):
    permission = "library.resolve_need"

    def act(self, request, need):
        services.need_resolve(need=need)
        messages.success(request, _("The need is marked resolved."))
        return redirect(need)
