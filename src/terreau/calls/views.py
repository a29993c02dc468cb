"""Public pages of the calls: the list, a call's page, applying over several visits, the
applicant's own applications, withdrawing, reviewing, and the verification page of a draw."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from terreau.core import uploads
from terreau.core.csv import csv_response
from terreau.core.forms import apply_service_errors
from terreau.core.markdown import render_markdown

from . import selectors, services
from .forms import ApplicationForm, ConflictForm, ReviewForm, WithdrawForm
from .models import Answer, Application, CallPhase, Review, SelectionMethod, SelectionRun


class CallListView(TemplateView):
    template_name = "calls/call_list.html"

    def get(self, request, *args, **kwargs):
        current, past = selectors.call_list_public()
        response = self.render_to_response(self.get_context_data(current=current, past=past))
        response.expires_at = selectors.calls_next_change(current + past)  # the page cache's
        return response


class CallMixin:
    def get_call(self):
        call = selectors.call_for_slug(slug=self.kwargs["slug"])
        if call is None or not self.request.user.has_perm("calls.view_call", call):
            raise Http404
        return call


class CallDetailView(CallMixin, TemplateView):
    template_name = "calls/call_detail.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.expires_at = selectors.calls_next_change([self.call])  # the page cache's
        return response

    def get_context_data(self, **kwargs):
        call = self.call = self.get_call()
        user = self.request.user
        application = (
            Application.objects.filter(call=call, applicant=user).first()
            if user.is_authenticated
            else None
        )
        criteria = list(call.criteria.all())
        families: dict[str, list] = {}
        for criterion in criteria:
            families.setdefault(criterion.family, []).append(criterion)
        return super().get_context_data(
            call=call,
            body=render_markdown(call.body),
            selection_text=render_markdown(call.selection_text),
            timeline=selectors.call_timeline(call=call),
            application=application,
            criteria_families=families,
            may_apply=user.has_perm("calls.apply", call),
            is_open=call.phase == CallPhase.OPEN,
            confirmed_runs=[
                run
                for run in call.selection_runs.all()
                if run.is_confirmed and run.seed is not None
            ],
            **kwargs,
        )


class ApplyView(LoginRequiredMixin, CallMixin, FormView):
    """The application form: "save the draft" keeps it for a later visit, "submit" sends it."""

    template_name = "calls/application_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.call = self.get_call()
        self.application = Application.objects.filter(
            call=self.call, applicant=request.user
        ).first()
        if self.application is None:
            try:
                self.application = services.application_start(call=self.call, user=request.user)
            except ValidationError:
                messages.error(request, _("This call is not open for applications."))
                return redirect(self.call)
        if not request.user.has_perm("calls.change_application", self.application):
            return redirect(self.application)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return ApplicationForm(
            call=self.call, application=self.application, **self.get_form_kwargs()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.call, application=self.application, **kwargs)

    def form_valid(self, form):
        answers, files = form.answers()
        try:
            services.application_save(
                application=self.application,
                answers=answers,
                files=files,
                zone=form.cleaned_data.get("zone"),
                by=self.request.user,
            )
            if "submit" in self.request.POST:
                services.application_submit(application=self.application, by=self.request.user)
                messages.success(
                    self.request,
                    _("Your application is submitted. A confirmation was e-mailed to you."),
                )
                return redirect(self.application)
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Your draft is saved. You can come back to it until the deadline.")
        )
        return redirect("calls:apply", slug=self.call.slug)


class MyApplicationsView(LoginRequiredMixin, TemplateView):
    template_name = "calls/my_applications.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            applications=selectors.applications_of_user(user=self.request.user),
            reviewing=selectors.calls_reviewed_by(user=self.request.user),
            **kwargs,
        )


class ApplicationMixin(LoginRequiredMixin):
    permission = "calls.view_application"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = selectors.application_detail(pk=kwargs["pk"])
        if self.application is None or not request.user.has_perm(
            "calls.view_application", self.application
        ):
            raise Http404
        if not request.user.has_perm(self.permission, self.application):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ApplicationDetailView(ApplicationMixin, TemplateView):
    """The applicant's (or staff's) view of an application: status, answers, history."""

    template_name = "calls/application_detail.html"

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        return response

    def get_context_data(self, **kwargs):
        application = self.application
        user = self.request.user
        if not (user.is_staff or application.applicant_id == user.pk):
            # A reviewer reads the application on the review page (anonymised when set).
            raise Http404
        return super().get_context_data(
            application=application,
            call=application.call,
            answers=selectors.answers_for_display(application=application),
            may_edit=user.has_perm("calls.change_application", application),
            may_withdraw=user.has_perm("calls.withdraw_application", application),
            **kwargs,
        )


class WithdrawView(ApplicationMixin, FormView):
    permission = "calls.withdraw_application"
    template_name = "calls/application_withdraw.html"
    form_class = WithdrawForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(application=self.application, **kwargs)

    def form_valid(self, form):
        try:
            services.application_withdraw(
                application=self.application,
                by=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your application is withdrawn."))
        return redirect(self.application)


# review


class ReviewQueueView(LoginRequiredMixin, CallMixin, TemplateView):
    template_name = "calls/review_queue.html"

    def get_context_data(self, **kwargs):
        call = self.get_call()
        if not self.request.user.has_perm("calls.review_call", call):
            raise PermissionDenied
        return super().get_context_data(
            call=call, rows=selectors.reviewer_queue(call=call, user=self.request.user), **kwargs
        )


class ReviewView(ApplicationMixin, FormView):
    """A reviewer scores an application (anonymised when the call says so), or declares a
    conflict of interest."""

    template_name = "calls/review_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = selectors.application_detail(pk=kwargs["pk"])
        if self.application is None or not (
            request.user.has_perm("calls.review_call", self.application.call)
            and request.user.has_perm("calls.view_application", self.application)
        ):
            raise Http404
        self.review = (
            Review.objects.filter(application=self.application, reviewer=request.user)
            .prefetch_related("scores")
            .first()
        )
        return FormView.dispatch(self, request, *args, **kwargs)

    def get_form(self, form_class=None):
        return ReviewForm(call=self.application.call, review=self.review, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        call = self.application.call
        anonymised = call.is_review_anonymised
        return super().get_context_data(
            application=self.application,
            call=call,
            anonymised=anonymised,
            answers=selectors.answers_for_display(
                application=self.application, anonymised=anonymised
            ),
            may_review=self.request.user.has_perm("calls.review_application", self.application),
            conflict_form=ConflictForm(),
            review=self.review,
            other_reviews=selectors.other_reviews(
                application=self.application, user=self.request.user
            ),
            **kwargs,
        )

    def form_valid(self, form):
        if not self.request.user.has_perm("calls.review_application", self.application):
            raise PermissionDenied
        try:
            if self.review is None:
                services.review_create(
                    application=self.application,
                    reviewer=self.request.user,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            else:
                services.review_update(
                    review=self.review, scores=form.scores(), comment=form.cleaned_data["comment"]
                )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your review is saved."))
        return redirect("calls:review_queue", slug=self.application.call.slug)


class ConflictView(ApplicationMixin, FormView):
    permission = "calls.declare_conflict"
    form_class = ConflictForm
    template_name = "calls/review_form.html"
    http_method_names = ["post"]

    def form_valid(self, form):
        services.conflict_declare(
            application=self.application,
            reviewer=self.request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            self.request,
            _(
                "Your conflict of interest is recorded: "
                "this application is no longer yours to review."
            ),
        )
        return redirect("calls:review_queue", slug=self.application.call.slug)

    def form_invalid(self, form):
        return redirect("calls:review", pk=self.application.pk)


class AnswerFileView(ApplicationMixin, View):
    """An attached file, to those who may see the application (never a public media URL);
    reviewers of an anonymised call do not get identifying files."""

    def get(self, request, pk, answer_pk):
        answer = get_object_or_404(
            Answer.objects.select_related("question"), pk=answer_pk, application=self.application
        )
        user = request.user
        is_reviewer_only = not (user.is_staff or self.application.applicant_id == user.pk)
        if not answer.file or (
            is_reviewer_only
            and self.application.call.is_review_anonymised
            and answer.question.is_identifying
        ):
            raise Http404
        return uploads.protected_file_response(
            answer.file, download_name=answer.value, as_attachment=True
        )


class DrawVerifyView(TemplateView):
    """A confirmed lottery's public page: the seed, the lottery's panels and probabilities,
    the panel drawn again here from the seed, and how to re-run it with the command."""

    template_name = "calls/draw_verify.html"

    def get_run(self) -> SelectionRun:
        run = get_object_or_404(SelectionRun.objects.select_related("call"), pk=self.kwargs["pk"])
        if not run.is_confirmed or not run.call.is_published or run.seed is None:
            raise Http404
        return run

    def get(self, request, *args, **kwargs):
        download = request.GET.get("fichier")
        if download not in {"vivier", "quotas"}:
            return super().get(request, *args, **kwargs)
        run = self.get_run()
        header, rows = selectors.draw_files(run=run)[download]
        return csv_response(f"tirage-{run.pk}-{download}.csv", header, rows)

    def get_context_data(self, **kwargs):
        run = self.get_run()
        lottery = run.result.get("lottery")
        redrawn, matches = None, None
        if lottery and run.method in {SelectionMethod.LEXIMIN, SelectionMethod.MAXIMIN}:
            from .selection import Lottery, draw

            panels = [(frozenset(panel), probability) for panel, probability in lottery["panels"]]
            redrawn = sorted(
                draw(
                    Lottery(panels=panels, marginals=lottery["marginals"], seed=run.seed), run.seed
                )
            )
            matches = set(redrawn) == set(run.result["panel"])
        return super().get_context_data(
            run=run,
            call=run.call,
            report=selectors.selection_report(run=run),
            redrawn=redrawn,
            matches=matches,
            **kwargs,
        )
