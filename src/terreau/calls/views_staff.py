"""The staff area of calls (/appels/gestion/): calls and their form, criteria, groups and review
phases; the applications table and its CSV; paper entries and reopening; reviewer assignment;
selection and its confirmation; group formation; aid and support follow-up."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from terreau.core.csv import csv_response
from terreau.core.forms import apply_service_errors

from . import selectors, services
from .forms import (
    AidForm,
    CallForm,
    CallGroupForm,
    CriterionForm,
    GroupFormationForm,
    GroupMoveForm,
    InstalmentForm,
    InstalmentPaymentForm,
    PaperApplicationForm,
    QuestionForm,
    ReopenForm,
    ReviewerAssignForm,
    ReviewPhaseForm,
    SelectionForm,
    SupportAdviserForm,
    SupportCloseForm,
    SupportLogForm,
)
from .models import (
    AidFollowUp,
    Application,
    ApplicationState,
    Call,
    CallGroup,
    Criterion,
    Question,
    ReviewPhase,
    SelectionRun,
    SupportFollowUp,
)


def grouping_available() -> bool:
    """Group formation needs the pure `grouping` module (written on its own branch)."""
    from importlib.util import find_spec

    return find_spec("terreau.calls.grouping") is not None


class StaffMixin(PermissionRequiredMixin):
    permission_required = "calls.manage_call"


class StaffCallMixin(StaffMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            return self.handle_no_permission()
        self.call = get_object_or_404(Call.objects.select_related("kind"), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "call": self.call,
            "has_grouping": grouping_available(),
        }

    def manage_url(self) -> str:
        return reverse("calls:staff_call", kwargs={"slug": self.call.slug})


class StaffCallListView(StaffMixin, TemplateView):
    template_name = "calls/staff/call_list.html"

    def get_context_data(self, **kwargs):
        calls = Call.objects.select_related("kind").annotate(
            application_count=Count("applications")
        )
        return super().get_context_data(calls=calls, **kwargs)


class StaffCallCreateView(StaffMixin, FormView):
    template_name = "calls/staff/call_form.html"
    form_class = CallForm

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        zones, reviewers = data.pop("zones"), data.pop("reviewers")
        try:
            call = services.call_create(fields=data, zones=zones, reviewers=reviewers)
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The call is created. Add its questions, then publish it.")
        )
        return redirect("calls:staff_call", slug=call.slug)


class StaffCallEditView(StaffCallMixin, FormView):
    template_name = "calls/staff/call_form.html"
    form_class = CallForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": Call.objects.get(pk=self.call.pk)}

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.cleaned_data}
        zones, reviewers = data.pop("zones"), data.pop("reviewers")
        try:
            services.call_update(call=self.call, fields=data, zones=zones, reviewers=reviewers)
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The call is saved."))
        return redirect(self.manage_url())


class StaffCallView(StaffCallMixin, TemplateView):
    """A call's dashboard: its phase, counts by state, form, criteria, groups, phases, runs."""

    template_name = "calls/staff/call_manage.html"

    def get_context_data(self, **kwargs):
        call = self.call
        counts = dict(call.applications.values_list("state").annotate(n=Count("pk")))
        return super().get_context_data(
            counts=[(label, counts.get(value, 0)) for value, label in ApplicationState.choices],
            questions=call.questions.all(),
            criteria=call.criteria.all(),
            groups=call.groups.select_related("zone"),
            phases=call.review_phases.all(),
            runs=selectors.selection_runs(call=call),
            **kwargs,
        )


class StaffCallPublishView(StaffCallMixin, View):
    def post(self, request, slug):
        publish = request.POST.get("publish") == "1"
        try:
            services.call_publish(call=self.call, publish=publish)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The call is published.") if publish else _("The call is unpublished.")
            )
        return redirect(self.manage_url())


#: part slug (French URL word) → (model, form, service, titles)
PARTS = {
    "question": (
        Question,
        QuestionForm,
        services.question_save,
        _lazy("Add a question"),
        _lazy("Edit the question"),
    ),
    "critere": (
        Criterion,
        CriterionForm,
        services.criterion_save,
        _lazy("Add a criterion"),
        _lazy("Edit the criterion"),
    ),
    "groupe": (
        CallGroup,
        CallGroupForm,
        services.call_group_save,
        _lazy("Add a group"),
        _lazy("Edit the group"),
    ),
    "phase": (
        ReviewPhase,
        ReviewPhaseForm,
        services.review_phase_save,
        _lazy("Add a review phase"),
        _lazy("Edit the review phase"),
    ),
}


class StaffPartMixin(StaffCallMixin):
    def dispatch(self, request, *args, **kwargs):
        if kwargs["part"] not in PARTS:
            raise Http404
        self.model, self.part_form, self.save, self.add_title, self.edit_title = PARTS[
            kwargs["part"]
        ]
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        return get_object_or_404(self.model, pk=pk, call=self.call)


class StaffPartFormView(StaffPartMixin, FormView):
    template_name = "calls/staff/part_form.html"

    def get_form(self, form_class=None):
        self.object = self.get_object()
        form = self.part_form(instance=self.object, **self.get_form_kwargs())
        if "zone" in form.fields:
            form.fields["zone"].queryset = self.call.zones.all()
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return context | {
            "title": self.edit_title if self.object else self.add_title,
            "object": self.object,
        }

    def form_valid(self, form):
        fields = {name: value for name, value in form.cleaned_data.items() if name != "score_text"}
        if "score_text" in form.cleaned_data:
            fields["score_values"] = form.cleaned_data["score_text"]
        key = {
            Question: "question",
            Criterion: "criterion",
            CallGroup: "group",
            ReviewPhase: "phase",
        }[self.model]
        try:
            self.save(call=self.call, fields=fields, **{key: self.object})
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.manage_url())


class StaffPartDeleteView(StaffPartMixin, View):
    def post(self, request, slug, part, pk):
        obj = self.get_object()
        if isinstance(obj, Question) and obj.answers.exists():
            messages.error(request, _("This question has answers: it cannot be deleted."))
        elif isinstance(obj, Criterion) and obj.scores.exists():
            messages.error(request, _("This criterion has scores: it cannot be deleted."))
        else:
            obj.delete()
            messages.success(request, _("Deleted."))
        return redirect(self.manage_url())


class StaffPhaseActivateView(StaffCallMixin, View):
    def post(self, request, slug, pk):
        phase = get_object_or_404(ReviewPhase, pk=pk, call=self.call)
        services.review_phase_activate(phase=phase)
        messages.success(
            request, _("“%(name)s” is now the active review phase.") % {"name": phase.name}
        )
        return redirect(self.manage_url())


# applications


class StaffApplicationListView(StaffCallMixin, TemplateView):
    """Sortable, filterable table of applications with review aggregates; ?format=csv."""

    template_name = "calls/staff/application_list.html"
    ORDERS = {"name", "organisation", "state", "mean", "median", "reviews", "submitted"}

    def filters(self):
        order = self.request.GET.get("order", "-mean")
        if order.lstrip("-") not in self.ORDERS:
            order = "-mean"
        return {
            "state": self.request.GET.get("state", ""),
            "query": self.request.GET.get("q", ""),
            "order": order,
        }

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "reviews":
            return self.reviews_csv()
        if request.GET.get("format") == "csv":
            rows, criteria = selectors.application_table(call=self.call, **self.filters())
            header = [
                _("Reference"),
                _("Name"),
                _("E-mail"),
                _("Organisation"),
                _("Zone"),
                _("State"),
                _("Submitted on"),
                _("Reviews"),
                _("Mean"),
                _("Median"),
                _("Disagreement"),
            ]
            for criterion in criteria:
                header += [f"{criterion.name} ({_('mean')})", f"{criterion.name} ({_('median')})"]
            lines = []
            for row in rows:
                a = row["application"]
                line = [
                    a.reference,
                    a.applicant_name,
                    a.applicant_email,
                    a.organisation.name if a.organisation else "",
                    a.zone.name if a.zone else "",
                    a.get_state_display(),
                    a.submitted_at.isoformat() if a.submitted_at else "",
                    row["aggregate"].count,
                    _fmt(row["mean"]),
                    _fmt(row["median"]),
                    _("yes") if row["disagreement"] else "",
                ]
                for mean, median in row["criteria"]:
                    line += [_fmt(mean), _fmt(median)]
                lines.append(line)
            return csv_response(f"{self.call.slug}-candidatures.csv", header, lines)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        filters = self.filters()
        rows, criteria = selectors.application_table(call=self.call, **filters)
        return super().get_context_data(
            rows=rows, criteria=criteria, states=ApplicationState.choices, **filters, **kwargs
        )

    def reviews_csv(self):
        """One row per review: reviewer, total, each criterion's score, comment."""
        rows, criteria = selectors.application_table(call=self.call, **self.filters())
        header = [_("Reference"), _("Name"), _("Reviewer"), _("Total")]
        header += [criterion.name for criterion in criteria] + [_("Comment")]
        reviewers = {user.pk: user.email for user in self.call.reviewers.all()}
        lines = []
        for row in rows:
            application = row["application"]
            for review in application.reviews.all():
                scores = {score.criterion_id: score.value for score in review.scores.all()}
                lines.append(
                    [
                        application.reference,
                        application.applicant_name,
                        reviewers.get(review.reviewer_id, review.reviewer_id),
                        _fmt(review.total),
                        *[scores.get(criterion.pk, "") for criterion in criteria],
                        review.comment,
                    ]
                )
        return csv_response(f"{self.call.slug}-evaluations.csv", header, lines)


def _fmt(value) -> str:
    return "" if value is None else f"{value:.2f}"


class StaffApplicationView(StaffCallMixin, TemplateView):
    template_name = "calls/staff/application_detail.html"

    def get_context_data(self, **kwargs):
        application = selectors.application_detail(pk=self.kwargs["pk"])
        if application is None or application.call_id != self.call.pk:
            raise Http404
        reviews = application.reviews.select_related("reviewer").prefetch_related(
            "scores__criterion"
        )
        return super().get_context_data(
            application=application,
            answers=selectors.answers_for_display(application=application),
            reviews=reviews,
            assignments=application.reviewer_assignments.select_related("reviewer"),
            conflicts=application.conflicts.select_related("reviewer"),
            reopen_form=ReopenForm(),
            assign_form=ReviewerAssignForm(call=self.call),
            **kwargs,
        )


class StaffApplicationReopenView(StaffCallMixin, FormView):
    template_name = "calls/staff/application_reopen.html"
    form_class = ReopenForm

    def dispatch(self, request, *args, **kwargs):
        self.application = get_object_or_404(
            Application, pk=kwargs["pk"], call__slug=kwargs["slug"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(application=self.application, **kwargs)

    def form_valid(self, form):
        try:
            services.application_reopen(
                application=self.application,
                by=self.request.user,
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data.get("until"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The application is reopened; the applicant can change and submit it again."),
        )
        return redirect("calls:staff_application", slug=self.call.slug, pk=self.application.pk)


class StaffReviewerAssignView(StaffCallMixin, View):
    def post(self, request, slug, pk):
        application = get_object_or_404(Application, pk=pk, call=self.call)
        form = ReviewerAssignForm(request.POST, call=self.call)
        if form.is_valid():
            try:
                services.reviewer_assign(
                    application=application, reviewer=form.cleaned_data["reviewer"]
                )
                messages.success(request, _("The reviewer is assigned."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("Pick one of the call's reviewers."))
        return redirect("calls:staff_application", slug=slug, pk=pk)


class StaffSupportOpenView(StaffCallMixin, View):
    def post(self, request, slug, pk):
        application = get_object_or_404(Application, pk=pk, call=self.call)
        try:
            follow_up = services.support_open(application=application, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("calls:staff_application", slug=slug, pk=pk)
        messages.success(request, _("The request is taken up; log its follow-up here."))
        return redirect("calls:staff_support", pk=follow_up.pk)


class StaffPaperApplicationView(StaffCallMixin, FormView):
    template_name = "calls/staff/paper_form.html"

    def get_form(self, form_class=None):
        return PaperApplicationForm(call=self.call, **self.get_form_kwargs())

    def form_valid(self, form):
        answers, files = form.answers()
        try:
            application = services.application_paper_create(
                call=self.call,
                by=self.request.user,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                answers=answers,
                files=files,
                zone=form.cleaned_data.get("zone"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The paper application is entered and submitted."))
        return redirect("calls:staff_application", slug=self.call.slug, pk=application.pk)


class StaffReviewAssignmentView(StaffCallMixin, TemplateView):
    """Reviewer loads, and the automatic balanced assignment."""

    template_name = "calls/staff/reviewers.html"

    def get_context_data(self, **kwargs):
        loads = dict(
            self.call.applications.values_list("reviewer_assignments__reviewer").annotate(
                n=Count("pk")
            )
        )
        reviewed = dict(
            self.call.applications.values_list("reviews__reviewer").annotate(n=Count("pk"))
        )
        reviewers = [
            {"user": user, "load": loads.get(user.pk, 0), "done": reviewed.get(user.pk, 0)}
            for user in self.call.reviewers.order_by("last_name", "email")
        ]
        return super().get_context_data(reviewers=reviewers, **kwargs)

    def post(self, request, slug):
        result = services.reviewers_assign_balanced(call=self.call)
        messages.success(
            request,
            _("%(n)s assignments made; largest load %(max)s.")
            % {"n": len(result.pairs), "max": max(result.loads.values(), default=0)},
        )
        if result.shortfalls:
            messages.warning(
                request,
                _("%(n)s applications lack eligible reviewers: add reviewers or assign by hand.")
                % {"n": len(result.shortfalls)},
            )
        return redirect("calls:staff_reviewers", slug=slug)


# selection


class StaffSelectionView(StaffCallMixin, FormView):
    template_name = "calls/staff/selection.html"

    def get_initial(self):
        method = "budget" if self.call.kind.family == "financial_aid" else "leximin"
        return {"seats": self.call.places, "method": method}

    def get_form(self, form_class=None):
        self.catalogue = selectors.feature_catalogue(call=self.call)
        return SelectionForm(catalogue=self.catalogue, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            runs=selectors.selection_runs(call=self.call),
            pool=len(selectors.candidate_rows(call=self.call)),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        pool_counts = {entry["key"]: entry["counts"] for entry in self.catalogue}
        quotas = services.quotas_build(
            pool_counts=pool_counts,
            pool_size=len(selectors.candidate_rows(call=self.call)),
            rows=data["quota_rows"],
            seats=data["seats"],
        )
        try:
            run = services.selection_run(
                call=self.call,
                by=self.request.user,
                method=data["method"],
                seats=data["seats"],
                quotas=quotas,
                seed=data.get("seed"),
                merit_seats=data.get("merit_seats") or 0,
                grant_share=float(data["grant_share"]) if data.get("grant_share") else None,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        return redirect("calls:staff_selection_run", slug=self.call.slug, pk=run.pk)


class StaffSelectionRunView(StaffCallMixin, TemplateView):
    template_name = "calls/staff/selection_run.html"

    def dispatch(self, request, *args, **kwargs):
        self.run = get_object_or_404(SelectionRun, pk=kwargs["pk"], call__slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") != "csv":
            return super().get(request, *args, **kwargs)
        report = selectors.selection_report(run=self.run)
        outcome = {row["id"]: _("panel") for row in report["panel"]}
        for rank, row in enumerate(report["waiting_list"], start=1):
            outcome[row["id"]] = _("waiting list %(rank)s") % {"rank": rank}
        rows = report["probabilities"] or report["panel"] + report["waiting_list"]
        return csv_response(
            f"{self.call.slug}-selection-{self.run.pk}.csv",
            [_("Reference"), _("Name"), _("Probability"), _("Outcome")],
            [
                [
                    row["reference"],
                    row["name"],
                    "" if row["probability"] is None else f"{row['probability']:.6f}",
                    outcome.get(row["id"], ""),
                ]
                for row in rows
            ],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            run=self.run, report=selectors.selection_report(run=self.run), **kwargs
        )

    def post(self, request, slug, pk):
        try:
            services.selection_confirm(run=self.run, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The selection is confirmed; every applicant is told the outcome by e-mail."),
            )
        return redirect("calls:staff_selection_run", slug=slug, pk=pk)


# groups


class StaffGroupsView(StaffCallMixin, FormView):
    template_name = "calls/staff/groups.html"

    def dispatch(self, request, *args, **kwargs):
        if not grouping_available():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        if not hasattr(self, "catalogue"):
            self.catalogue = selectors.feature_catalogue(
                call=self.call, states=[ApplicationState.SELECTED]
            )
        return GroupFormationForm(catalogue=self.catalogue, **self.get_form_kwargs())

    def features(self):
        if not hasattr(self, "catalogue"):
            self.catalogue = selectors.feature_catalogue(
                call=self.call, states=[ApplicationState.SELECTED]
            )
        wanted = self.request.GET.getlist("features") or self.request.POST.getlist("features")
        keys = {entry["key"] for entry in self.catalogue}
        return [key for key in wanted if key in keys]

    def get_context_data(self, **kwargs):
        features = self.features()
        return super().get_context_data(
            groups=selectors.group_balance(call=self.call, features=features),
            features=features,
            move_form=GroupMoveForm(call=self.call),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.groups_form(call=self.call, features=form.cleaned_data["features"])
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The groups are formed."))
        query = "&".join(f"features={key}" for key in form.cleaned_data["features"])
        return redirect(
            reverse("calls:staff_groups", kwargs={"slug": self.call.slug})
            + (f"?{query}" if query else "")
        )


class StaffGroupMoveView(StaffCallMixin, View):
    def post(self, request, slug):
        if not grouping_available():
            raise Http404
        form = GroupMoveForm(request.POST, call=self.call)
        if form.is_valid():
            application = get_object_or_404(
                Application, pk=form.cleaned_data["application"], call=self.call
            )
            try:
                services.group_member_move(
                    application=application, group=form.cleaned_data["group"]
                )
                messages.success(request, _("Moved."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("Pick a group."))
        features = request.POST.getlist("features")
        query = "&".join(f"features={key}" for key in features if key.replace("_", "").isalnum())
        return redirect(
            reverse("calls:staff_groups", kwargs={"slug": slug}) + (f"?{query}" if query else "")
        )


# follow-up


class StaffFollowUpListView(StaffMixin, TemplateView):
    template_name = "calls/staff/follow_up_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            aids=AidFollowUp.objects.select_related("application__call").prefetch_related(
                "instalments"
            ),
            supports=SupportFollowUp.objects.select_related("application__call", "adviser"),
            **kwargs,
        )


class StaffAidView(StaffMixin, TemplateView):
    template_name = "calls/staff/aid.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            return self.handle_no_permission()
        self.follow_up = get_object_or_404(
            AidFollowUp.objects.select_related("application__call"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, payment_form=None, **kwargs):
        kwargs.setdefault("form", AidForm(instance=self.follow_up))
        kwargs.setdefault("instalment_form", InstalmentForm())
        instalments = [
            (
                instalment,
                payment_form
                if payment_form is not None and payment_form.prefix == f"paid-{instalment.pk}"
                else InstalmentPaymentForm(instalment=instalment),
            )
            for instalment in self.follow_up.instalments.all()
        ]
        return super().get_context_data(follow_up=self.follow_up, instalments=instalments, **kwargs)

    def post(self, request, pk):
        if "payment" in request.POST:
            key = request.POST["payment"]
            if not (key.isascii() and key.isdigit() and len(key) < 10):
                raise Http404
            instalment = get_object_or_404(self.follow_up.instalments, pk=int(key))
            form = InstalmentPaymentForm(request.POST, instalment=instalment)
            if form.is_valid():
                try:
                    services.instalment_record_payment(
                        instalment=instalment, paid_on=form.cleaned_data["paid_on"]
                    )
                    messages.success(request, _("The payment date is recorded."))
                    return redirect("calls:staff_aid", pk=pk)
                except ValidationError as error:
                    apply_service_errors(form, error)
            return self.render_to_response(self.get_context_data(payment_form=form))
        if "instalment" in request.POST:
            form = InstalmentForm(request.POST)
            if form.is_valid():
                try:
                    services.instalment_add(follow_up=self.follow_up, **form.cleaned_data)
                    messages.success(request, _("The instalment is added."))
                    return redirect("calls:staff_aid", pk=pk)
                except ValidationError as error:
                    apply_service_errors(form, error)
            return self.render_to_response(self.get_context_data(instalment_form=form))
        form = AidForm(
            request.POST, request.FILES, instance=AidFollowUp.objects.get(pk=self.follow_up.pk)
        )
        if form.is_valid():
            try:
                services.aid_update(follow_up=self.follow_up, fields=form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("calls:staff_aid", pk=pk)
            except ValidationError as error:
                apply_service_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form))


class StaffSupportView(StaffMixin, TemplateView):
    template_name = "calls/staff/support.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            return self.handle_no_permission()
        self.follow_up = get_object_or_404(
            SupportFollowUp.objects.select_related("application__call", "adviser"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "adviser_form", SupportAdviserForm(initial={"adviser": self.follow_up.adviser_id})
        )
        kwargs.setdefault("log_form", SupportLogForm())
        kwargs.setdefault(
            "close_form", SupportCloseForm(initial={"outcome": self.follow_up.outcome})
        )
        return super().get_context_data(
            follow_up=self.follow_up, entries=self.follow_up.entries.select_related("by"), **kwargs
        )

    def post(self, request, pk):
        action = request.POST.get("action")
        forms = {"adviser": SupportAdviserForm, "log": SupportLogForm, "close": SupportCloseForm}
        if action not in forms:
            return redirect("calls:staff_support", pk=pk)
        form = forms[action](request.POST)
        if form.is_valid():
            try:
                if action == "adviser":
                    services.support_update(
                        follow_up=self.follow_up, adviser=form.cleaned_data["adviser"]
                    )
                elif action == "log":
                    services.support_log_add(
                        follow_up=self.follow_up, by=request.user, **form.cleaned_data
                    )
                else:
                    services.support_update(
                        follow_up=self.follow_up, outcome=form.cleaned_data["outcome"], close=True
                    )
                messages.success(request, _("Saved."))
                return redirect("calls:staff_support", pk=pk)
            except ValidationError as error:
                apply_service_errors(form, error)
        return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))
