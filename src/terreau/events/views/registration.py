"""Registration views: the public form, the personal link (view, change, cancel, survey), the
public list of participants, and the staff table, export, e-mails, questions and survey results."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from terreau.core import throttle
from terreau.core.pagecache import next_change

from .. import audiences, exports
from ..forms.registration import (
    PaymentForm,
    QuestionForm,
    RegistrationBulkForm,
    RegistrationFilterForm,
    RegistrationForm,
    SegmentEmailForm,
    SurveyForm,
)
from ..models import Event, Question, Registration, RegistrationStatus
from ..selectors import registration as selectors
from ..selectors.onsite import event_has_ended, registration_is_certificate_eligible
from ..services import onsite as onsite_services
from ..services import registration as services
from .common import event_or_404

# The browser's own registrations (event id → token), in a signed cookie rather than the
# session: an anonymous sign-up then reads and writes no session row.
REMEMBER_COOKIE = "terreau_registrations"
REMEMBER_SALT = "terreau.events.remember"
REMEMBER_MAX_EVENTS = 20
PAGE_SIZE = 50


def _event_for_public(request, slug: str) -> Event:
    return event_or_404(request, slug, Event.objects.select_related("venue"))


def _remembered(request) -> dict[str, str]:
    """The registrations this browser made (event id → token), from its signed cookie."""
    value = request.get_signed_cookie(REMEMBER_COOKIE, default="", salt=REMEMBER_SALT)
    try:
        tokens = json.loads(value) if value else {}
    except ValueError:
        return {}
    return tokens if isinstance(tokens, dict) else {}


def _remember(request, response, registration: Registration) -> None:
    """Keep the registrant's own token in the browser (a double click then finds its twin)."""
    tokens = _remembered(request)
    tokens.pop(str(registration.event_id), None)
    tokens[str(registration.event_id)] = registration.token
    tokens = dict(list(tokens.items())[-REMEMBER_MAX_EVENTS:])
    response.set_signed_cookie(
        REMEMBER_COOKIE,
        json.dumps(tokens, separators=(",", ":")),
        salt=REMEMBER_SALT,
        max_age=settings.SESSION_COOKIE_AGE,  # as long as the session it replaces
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _invalid_link(request):
    return render(request, "events/registration/invalid_link.html", status=404)


@method_decorator(throttle.throttled("registration", methods={"POST"}), name="dispatch")
class RegistrationCreateView(View):
    template_name = "events/registration/register.html"

    def dispatch(self, request, slug):
        self.event = _event_for_public(request, slug)
        if audiences.registration_owner(self.event) is not None:
            # Another app registers this event's participants (a group, its members).
            messages.info(request, _("The group registers its own members for this meeting."))
            return redirect(self.event.get_absolute_url())
        return super().dispatch(request, slug)

    def _initial(self, request) -> dict:
        user = request.user
        if not user.is_authenticated:
            return {}
        return {"email": user.email, "first_name": user.first_name, "last_name": user.last_name}

    def _render(self, request, form, status=200):
        seats = selectors.event_seat_counts(self.event)
        context = {
            "event": self.event,
            "form": form,
            "closed_reason": services.registration_closed_reason(
                self.event, confirmed=seats["confirmed"]
            ),
            "seats": seats,
            "tariff": selectors.event_single_tariff(self.event),
        }
        response = render(request, self.template_name, context, status=status)
        # For the page cache: the form opens or closes by itself at these moments.
        response.expires_at = next_change(
            self.event.registration_opens_at,
            self.event.registration_closes_at,
            self.event.starts_at,
            self.event.ends_at,
        )
        return response

    def get(self, request, slug):
        return self._render(
            request, RegistrationForm(event=self.event, initial=self._initial(request))
        )

    def post(self, request, slug):
        form = RegistrationForm(request.POST, event=self.event)
        if not form.is_valid():
            return self._render(request, form, status=400)
        if not throttle.hit("mail-to", form.cleaned_data["email"].lower()):
            # Someone may be registering an address that is not theirs, again and again.
            form.add_error(
                "email",
                _("Too many e-mails were sent to this address lately: try again in an hour."),
            )
            return self._render(request, form, status=429)
        try:
            registration = services.registration_create(
                event=self.event, data=form.to_data(), user=request.user
            )
        except services.AlreadyRegistered as error:
            mine = _remembered(request).get(str(self.event.pk))
            if mine and mine == error.registration.token:
                messages.info(request, _("You are already registered for this event."))
                return redirect(selectors.registration_manage_path(error.registration))
            form.add_service_errors(error)
            return self._render(request, form, status=400)
        except ValidationError as error:
            form.add_service_errors(error)
            return self._render(request, form, status=400)
        messages.success(request, _status_message(registration))
        response = redirect(selectors.registration_manage_path(registration))
        _remember(request, response, registration)
        return response


def _status_message(registration: Registration) -> str:
    return {
        RegistrationStatus.CONFIRMED: _(
            "Your registration is confirmed. A confirmation e-mail is on its way."
        ),
        RegistrationStatus.PENDING: _(
            "Your registration is received: the organisers will approve it and e-mail you."
        ),
        RegistrationStatus.WAITLISTED: _(
            "The event is full: you are on the waiting list. We will e-mail you if a seat is freed."
        ),
    }.get(registration.status, "")


class TokenMixin:
    """Views reached through a registrant's personal link (no account needed): personal pages,
    which no proxy or browser cache may keep."""

    def dispatch(self, request, signed_token, *args, **kwargs):
        self.registration = selectors.registration_from_signed_token(signed_token)
        if self.registration is None:
            response = _invalid_link(request)
        else:
            self.event = self.registration.event
            response = super().dispatch(request, signed_token, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    def manage_path(self) -> str:
        return selectors.registration_manage_path(self.registration)

    def base_context(self) -> dict:
        return {
            "registration": self.registration,
            "event": self.event,
            "manage_path": self.manage_path(),
        }


class RegistrationManageView(TokenMixin, View):
    def get(self, request, signed_token):
        registration = self.registration
        context = self.base_context() | {
            "programme": selectors.registration_personal_programme(registration),
            "is_live": registration.status != RegistrationStatus.CANCELLED,
            "can_change": request.user.has_perm("events.change_registration", registration),
            "can_cancel": request.user.has_perm("events.cancel_registration", registration),
            "has_survey": request.user.has_perm("events.answer_survey", registration)
            and self.event.questions.filter(purpose=Question.Purpose.SURVEY).exists(),
            "options": registration.options.all(),
            "signed_token": signed_token,
            "has_certificate": registration_is_certificate_eligible(registration=registration),
            "checkin_qr": (
                selectors.registration_checkin_qr(registration, size="12rem")
                if registration.status == RegistrationStatus.CONFIRMED
                else ""
            ),
        }
        return render(request, "events/registration/manage.html", context)


@method_decorator(throttle.throttled("registration-change", methods={"POST"}), name="dispatch")
class RegistrationChangeView(TokenMixin, View):
    template_name = "events/registration/change.html"

    def _render(self, request, form, status=200):
        context = self.base_context() | {"form": form}
        return render(request, self.template_name, context, status=status)

    def get(self, request, signed_token):
        form = RegistrationForm(event=self.event, registration=self.registration)
        return self._render(request, form)

    def post(self, request, signed_token):
        form = RegistrationForm(request.POST, event=self.event, registration=self.registration)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            services.registration_update(registration=self.registration, data=form.to_data())
        except ValidationError as error:
            form.add_service_errors(error)
            return self._render(request, form, status=400)
        messages.success(request, _("Your registration has been changed."))
        return redirect(self.manage_path())


@method_decorator(throttle.throttled("registration-change", methods={"POST"}), name="dispatch")
class RegistrationCancelView(TokenMixin, View):
    def get(self, request, signed_token):
        return render(request, "events/registration/cancel.html", self.base_context())

    def post(self, request, signed_token):
        throttle.hit("mail-to", self.registration.email.lower())  # the cancellation e-mail
        try:
            services.registration_cancel(registration=self.registration)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect(self.manage_path())


class RegistrationIcsView(TokenMixin, View):
    def get(self, request, signed_token):
        response = HttpResponse(
            selectors.registration_ics(self.registration), content_type="text/calendar"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.event.slug}.ics"'
        return response


class SurveyAnswerView(TokenMixin, View):
    template_name = "events/registration/survey.html"

    def _form(self, data=None):
        questions = selectors.event_registration_questions(self.event, Question.Purpose.SURVEY)
        answers = {
            a.question_id: a.value
            for a in self.registration.answers.filter(question__purpose=Question.Purpose.SURVEY)
        }
        return SurveyForm(data, questions=questions, answers=answers)

    def _render(self, request, form, status=200):
        context = self.base_context() | {
            "form": form,
            "is_open": request.user.has_perm("events.answer_survey", self.registration),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, signed_token):
        return self._render(request, self._form())

    def post(self, request, signed_token):
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            services.survey_answer(registration=self.registration, answers=form.answers())
        except ValidationError as error:
            form.add_service_errors(error)
            return self._render(request, form, status=400)
        messages.success(request, _("Thank you: your answers are saved."))
        return redirect(self.manage_path())


class ParticipantListView(View):
    def get(self, request, slug):
        event = _event_for_public(request, slug)
        context = {"event": event, "participants": selectors.event_public_participants(event)}
        return render(request, "events/registration/participants.html", context)


# --- staff ---------------------------------------------------------------------------------


class StaffEventMixin(PermissionRequiredMixin):
    permission_required = "events.manage_registrations"

    def dispatch(self, request, slug, *args, **kwargs):
        self.event = get_object_or_404(Event, slug=slug)
        return super().dispatch(request, slug, *args, **kwargs)

    def get_permission_object(self):
        return self.event

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied
        return super().handle_no_permission()

    def table_path(self) -> str:
        return reverse("events:registration_table", kwargs={"slug": self.event.slug})


class RegistrationTableView(StaffEventMixin, View):
    def get(self, request, slug):
        filter_form = RegistrationFilterForm(request.GET or None)
        filters = filter_form.filters()
        table = selectors.registration_table_page(
            self.event, filters, request.GET.get("page"), PAGE_SIZE
        )
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "event": self.event,
            "filter_form": filter_form,
            "page_obj": table.page,
            "registrations": table.registrations,
            "counts": table.counts,
            "count_groups": selectors.registration_count_groups(table.counts, query),
            "query": query.urlencode(),
            "filtered_count": table.page.paginator.count,
            "columns": selectors.registration_table_columns(query, filters.get("sort")),
            "bulk_form": RegistrationBulkForm(event=self.event),
            "back": "?" + request.GET.urlencode(),
        }
        return render(request, "events/registration/staff_table.html", context)


class RegistrationBulkView(StaffEventMixin, View):
    """A bulk action on the rows ticked in the table: first the list of whom it applies to and
    one confirmation, then each row through the action's own service."""

    def post(self, request, slug):
        form = RegistrationBulkForm(request.POST, event=self.event)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(self.table_path())
        registrations = form.registrations()
        action, back = form.cleaned_data["action"], form.cleaned_data["back"]
        if action == "email":
            ids = ",".join(str(r.pk) for r in registrations)
            return redirect(
                reverse("events:registration_email", kwargs={"slug": slug}) + f"?ids={ids}"
            )
        if not form.cleaned_data["confirmed"]:
            context = {
                "event": self.event,
                "form": form,
                "registrations": registrations,
                "action_label": dict(form.fields["action"].choices)[action],
                "back": back,
            }
            return render(request, "events/registration/staff_bulk_confirm.html", context)
        result = services.registration_bulk_apply(
            registrations=registrations, action=action, by=request.user
        )
        if result.done:
            messages.success(
                request,
                ngettext(
                    "%(count)s registration changed.",
                    "%(count)s registrations changed.",
                    len(result.done),
                )
                % {"count": len(result.done)},
            )
        for registration, reason in result.skipped:
            messages.warning(request, f"{registration.full_name}: {reason}")
        return redirect(self.table_path() + back)


@method_decorator(throttle.throttled("export"), name="dispatch")
class RegistrationExportView(StaffEventMixin, View):
    def get(self, request, slug):
        filters = RegistrationFilterForm(request.GET or None).filters()
        queryset = selectors.registration_table(self.event, filters)
        response = StreamingHttpResponse(
            exports.registration_csv_rows(self.event, queryset),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="inscriptions-{self.event.slug}.csv"'
        )
        return response


class RegistrationSegmentEmailView(StaffEventMixin, View):
    template_name = "events/registration/staff_email.html"

    def _context(self, request, form):
        filter_form = RegistrationFilterForm(request.GET or None)
        filters = filter_form.filters()
        queryset = selectors.registration_table(self.event, filters)
        return {
            "event": self.event,
            "form": form,
            "filter_form": filter_form,
            "recipients": queryset.count(),
            "queryset": queryset,
            "query": request.GET.urlencode(),
        }

    def get(self, request, slug):
        return render(request, self.template_name, self._context(request, SegmentEmailForm()))

    def post(self, request, slug):
        form = SegmentEmailForm(request.POST)
        context = self._context(request, form)
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        sent = services.registration_email_segment(
            registrations=context["queryset"].select_related(None).only("pk"),
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            by=request.user,
        )
        messages.success(request, _("Message sent to %(count)s registrants.") % {"count": sent})
        return redirect(f"{self.table_path()}?{context['query']}")


class RegistrationStaffDetailView(StaffEventMixin, View):
    template_name = "events/registration/staff_detail.html"
    actions = {
        "approve": services.registration_approve,
        "reject": services.registration_reject,
        "cancel": services.registration_cancel,
        "attended": services.registration_mark_attended,
        "no_show": onsite_services.registration_mark_no_show,
    }

    def _registration(self, pk):
        registration = selectors.registration_for_staff(event=self.event, pk=pk)
        if registration is None:
            raise Http404
        return registration

    def _render(self, request, registration, payment_form, status=200):
        context = {
            "event": self.event,
            "registration": registration,
            "payment_form": payment_form,
            "manage_url": selectors.registration_manage_url(registration),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, slug, pk):
        registration = self._registration(pk)
        return self._render(request, registration, PaymentForm(instance=registration))

    def post(self, request, slug, pk):
        registration = self._registration(pk)
        action = request.POST.get("action", "")
        if action == "payment":
            form = PaymentForm(request.POST, instance=Registration(pk=registration.pk))
            if not form.is_valid():
                return self._render(request, registration, form, status=400)
            services.registration_set_payment(
                registration=registration, by=request.user, **form.cleaned_data
            )
            messages.success(request, _("Payment details saved."))
            return redirect(request.path)
        if action not in self.actions:
            messages.error(request, _("Unknown action."))
            return redirect(request.path)
        try:
            self.actions[action](registration=registration, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Registration updated."))
        return redirect(request.path)


class QuestionListView(StaffEventMixin, View):
    template_name = "events/registration/staff_questions.html"

    def _render(self, request, form, status=200):
        context = {
            "event": self.event,
            "form": form,
            "questions": self.event.questions.order_by("purpose", "position", "pk"),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, slug):
        return self._render(request, QuestionForm())

    def post(self, request, slug):
        form = QuestionForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            services.question_save(event=self.event, values=form.cleaned_data)
        except ValidationError as error:
            for key, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(key if key in form.fields else None, message)
            return self._render(request, form, status=400)
        messages.success(request, _("Question added."))
        return redirect(request.path)


class QuestionEditView(StaffEventMixin, View):
    template_name = "events/registration/staff_question_edit.html"

    def _question(self, pk) -> Question:
        return get_object_or_404(Question, event=self.event, pk=pk)

    def _render(self, request, question, form, status=200):
        context = {"event": self.event, "question": question, "form": form}
        return render(request, self.template_name, context, status=status)

    def get(self, request, slug, pk):
        question = self._question(pk)
        return self._render(request, question, QuestionForm(instance=question))

    def post(self, request, slug, pk):
        question = self._question(pk)
        list_path = reverse("events:question_list", kwargs={"slug": self.event.slug})
        if request.POST.get("action") == "delete":
            services.question_delete(question=question)
            messages.success(request, _("Question deleted."))
            return redirect(list_path)
        form = QuestionForm(request.POST, instance=question)
        if not form.is_valid():
            return self._render(request, question, form, status=400)
        try:
            services.question_save(event=self.event, question=question, values=form.cleaned_data)
        except ValidationError as error:
            for key, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(key if key in form.fields else None, message)
            return self._render(request, question, form, status=400)
        messages.success(request, _("Question saved."))
        return redirect(list_path)


class SurveyResultsView(StaffEventMixin, View):
    def get(self, request, slug):
        context = {
            "event": self.event,
            "survey": selectors.question_results(self.event, Question.Purpose.SURVEY),
            "registration_answers": selectors.question_results(
                self.event, Question.Purpose.REGISTRATION
            ),
            "survey_open": not event_has_ended(event=self.event),
        }
        return render(request, "events/registration/staff_survey.html", context)

    def post(self, request, slug):
        sent = services.survey_invite(event=self.event, by=request.user)
        messages.success(
            request, _("Survey invitation sent to %(count)s registrants.") % {"count": sent}
        )
        return redirect(request.path)
