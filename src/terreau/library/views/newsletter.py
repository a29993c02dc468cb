"""The newsletter's pages: subscribe, confirm, preferences, one-click unsubscribe (public,
by signed link), and the staff's issues (compose, preview, test, send, progress, log)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from .. import tokens
from ..forms import (
    IssueComposeForm,
    IssueForm,
    NewsletterPreferencesForm,
    NewsletterSubscribeForm,
    TestSendForm,
)
from ..models import Issue
from ..newsletter_mail import IssueRenderer
from ..selectors import newsletter as newsletter_selectors
from ..services import newsletter as newsletter_services


class NewsletterSubscribeView(View):
    template_name = "library/newsletter/subscribe.html"

    def get(self, request):
        initial = {"email": request.user.email} if request.user.is_authenticated else {}
        return render(
            request, self.template_name, {"form": NewsletterSubscribeForm(initial=initial)}
        )

    def post(self, request):
        form = NewsletterSubscribeForm(request.POST)
        if form.is_valid():
            try:
                newsletter_services.subscriber_subscribe(
                    email=form.cleaned_data["email"],
                    themes=form.cleaned_data["themes"],
                    kinds=form.cleaned_data["kinds"],
                    language=(get_language() or "fr")[:2],
                    user=request.user if request.user.is_authenticated else None,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("library:newsletter_pending")
        return render(request, self.template_name, {"form": form}, status=400)


class NewsletterPendingView(TemplateView):
    template_name = "library/newsletter/pending.html"


def _invalid_link(request):
    return render(request, "library/newsletter/invalid_link.html", status=404)


class NewsletterConfirmView(View):
    """The e-mailed link shows a button; the POST confirms (a link checker that opens every
    link of a message confirms nothing)."""

    def get(self, request, token):
        if newsletter_services.subscriber_from_token(token, tokens.CONFIRM) is None:
            return _invalid_link(request)
        return render(request, "library/newsletter/confirm.html")

    def post(self, request, token):
        subscriber = newsletter_services.subscriber_confirm(token=token)
        if subscriber is None:
            return _invalid_link(request)
        manage = reverse(
            "library:newsletter_manage",
            kwargs={"token": tokens.make_token(subscriber, tokens.MANAGE)},
        )
        return render(request, "library/newsletter/confirmed.html", {"manage_url": manage})


class NewsletterManageView(View):
    template_name = "library/newsletter/manage.html"

    def _context(self, subscriber, form, token):
        unsubscribe = reverse(
            "library:newsletter_unsubscribe",
            kwargs={"token": tokens.make_token(subscriber, tokens.UNSUBSCRIBE)},
        )
        return {"form": form, "subscriber": subscriber, "unsubscribe_url": unsubscribe}

    def get(self, request, token):
        subscriber = newsletter_services.subscriber_from_token(token, tokens.MANAGE)
        if subscriber is None:
            return _invalid_link(request)
        form = NewsletterPreferencesForm(
            initial={"kinds": subscriber.kinds, "themes": list(subscriber.themes.all())}
        )
        return render(request, self.template_name, self._context(subscriber, form, token))

    def post(self, request, token):
        subscriber = newsletter_services.subscriber_from_token(token, tokens.MANAGE)
        if subscriber is None:
            return _invalid_link(request)
        form = NewsletterPreferencesForm(request.POST)
        if not form.is_valid():
            return render(
                request, self.template_name, self._context(subscriber, form, token), status=400
            )
        newsletter_services.subscriber_preferences_update(
            subscriber=subscriber,
            themes=form.cleaned_data["themes"],
            kinds=form.cleaned_data["kinds"],
        )
        messages.success(request, _("Your preferences are saved."))
        return redirect(request.path)


@method_decorator(csrf_exempt, name="dispatch")
class NewsletterUnsubscribeView(View):
    """RFC 8058 one-click: a mail client POSTs `List-Unsubscribe=One-Click` to the address of
    the `List-Unsubscribe` header, without cookies or CSRF token; the signed token in the
    address is the proof. GET (the link in the message) shows a button that POSTs here."""

    def get(self, request, token):
        if newsletter_services.subscriber_from_token(token, tokens.UNSUBSCRIBE) is None:
            return _invalid_link(request)
        return render(request, "library/newsletter/unsubscribe.html")

    def post(self, request, token):
        subscriber = newsletter_services.subscriber_from_token(token, tokens.UNSUBSCRIBE)
        if subscriber is None:
            return _invalid_link(request)
        newsletter_services.subscriber_unsubscribe(subscriber=subscriber)
        return render(request, "library/newsletter/unsubscribed.html")


# staff


class NewsletterStaffMixin(PermissionRequiredMixin):
    permission_required = "library.manage_newsletter"
    raise_exception = False


class IssueListView(NewsletterStaffMixin, TemplateView):
    template_name = "library/newsletter/issue_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            issues=newsletter_selectors.issue_list(),
            counts=newsletter_selectors.subscriber_counts(),
            **kwargs,
        )


class IssueCreateView(NewsletterStaffMixin, View):
    template_name = "library/newsletter/issue_form.html"

    def get(self, request):
        form = IssueComposeForm(candidates=newsletter_selectors.newsletter_candidates())
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = IssueComposeForm(
            request.POST, candidates=newsletter_selectors.newsletter_candidates()
        )
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        issue = newsletter_services.issue_create(
            subject=form.cleaned_data["subject"],
            introduction=form.cleaned_data["introduction"],
            items=form.chosen_items(),
            user=request.user,
        )
        messages.success(request, _("The issue is saved as a draft. Preview it and send a test."))
        return redirect(issue)


class IssueDetailView(NewsletterStaffMixin, TemplateView):
    template_name = "library/newsletter/issue_detail.html"

    def get_template_names(self):
        if self.request.htmx:
            return [f"{self.template_name}#progress"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        issue = get_object_or_404(Issue, pk=self.kwargs["pk"])
        query = self.request.GET.get("q", "")[:254]
        page = Paginator(newsletter_selectors.delivery_log(issue=issue, query=query), 50).get_page(
            self.request.GET.get("page")
        )
        renderer = IssueRenderer(issue)
        return super().get_context_data(
            issue=issue,
            items=renderer.items,
            text_preview=renderer.render(renderer.items)[1],
            progress=newsletter_selectors.issue_progress(issue=issue),
            page_obj=page,
            query=query,
            test_form=kwargs.get("test_form")
            or TestSendForm(initial={"email": self.request.user.email}),
            edit_form=IssueForm(instance=issue),
            **kwargs,
        )


@method_decorator(xframe_options_sameorigin, name="dispatch")
class IssuePreviewView(NewsletterStaffMixin, View):
    """The HTML part as subscribers get it (shown in a frame of the issue's page). Served with
    a policy of its own: the message's inline styles, and nothing else, are allowed."""

    def get(self, request, pk):
        issue = get_object_or_404(Issue, pk=pk)
        renderer = IssueRenderer(issue)
        response = HttpResponse(renderer.render(renderer.items)[0])
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
        )
        return response


class IssueEditView(NewsletterStaffMixin, View):
    def post(self, request, pk):
        issue = get_object_or_404(Issue, pk=pk)
        form = IssueForm(request.POST, instance=Issue.objects.get(pk=pk))
        if form.is_valid():
            try:
                newsletter_services.issue_update(
                    issue=issue,
                    subject=form.cleaned_data["subject"],
                    introduction=form.cleaned_data["introduction"],
                )
                messages.success(request, _("The issue is saved."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("The subject is required (200 characters at most)."))
        return redirect(issue)


class IssueTestSendView(NewsletterStaffMixin, View):
    def post(self, request, pk):
        issue = get_object_or_404(Issue, pk=pk)
        form = TestSendForm(request.POST)
        if form.is_valid():
            newsletter_services.issue_send_test(issue=issue, email=form.cleaned_data["email"])
            messages.success(
                request,
                _("A test was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
        else:
            messages.error(request, _("Enter a valid e-mail address for the test."))
        return redirect(issue)


class IssueSendView(NewsletterStaffMixin, View):
    def post(self, request, pk):
        issue = get_object_or_404(Issue, pk=pk)
        try:
            newsletter_services.issue_send(issue=issue)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Sending has started."))
        return redirect(issue)


class IssueResumeView(NewsletterStaffMixin, View):
    """Queue the rest of an issue whose queueing stopped (its worker died)."""

    def post(self, request, pk):
        issue = get_object_or_404(Issue, pk=pk)
        if issue.state != "sending":
            raise Http404
        newsletter_services.issue_queue_enqueue(issue_id=issue.pk)
        messages.success(request, _("Queueing resumes where it stopped."))
        return redirect(issue)
