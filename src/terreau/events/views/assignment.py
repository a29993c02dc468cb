"""Staff pages of the workshop assignment: run it, read its explanation, see each workshop's
participants and waiting list, pin or move a person, send everyone their programme."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from ..forms.assignment import AssignmentMoveForm, AssignmentRunForm, AssignmentSearchForm
from ..models import Event, Registration, RegistrationStatus, Session, Slot
from ..selectors import assignment as selectors
from ..services import assignment as services


class EventStaffMixin(PermissionRequiredMixin):
    permission_required = "events.manage_event"

    @cached_property
    def event(self) -> Event:
        return get_object_or_404(Event, slug=self.kwargs["slug"])

    def get_permission_object(self):
        return self.event

    def dashboard(self):
        return redirect("events:assignment", slug=self.event.slug)


class AssignmentDashboardView(EventStaffMixin, TemplateView):
    template_name = "events/assignment/dashboard.html"

    def get_context_data(self, **kwargs):
        data = selectors.assignment_input(event=self.event)
        search = AssignmentSearchForm(self.request.GET or None)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        last_run = selectors.assignment_last_run(event=self.event)
        run_form = kwargs.pop("run_form", None) or AssignmentRunForm()
        return super().get_context_data(
            event=self.event,
            has_rounds=data.has_rounds,
            participants=len(data.participants),
            rounds=selectors.assignment_state(data=data),
            report=selectors.assignment_report(run=last_run),
            run_form=run_form,
            search_form=search,
            query=query,
            found=selectors.assignment_search(event=self.event, query=query) if query else [],
            **kwargs,
        )


class AssignmentRunView(EventStaffMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = AssignmentRunForm(request.POST)
        if form.is_valid():
            try:
                run = services.assignment_run(
                    event=self.event,
                    method=form.cleaned_data["method"],
                    spread_categories=form.cleaned_data["spread_categories"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if run.status == "infeasible":
                    messages.warning(
                        request,
                        _("Not everyone could be placed: see who is left without a seat below."),
                    )
                else:
                    messages.success(request, _("The workshops are assigned."))
                return self.dashboard()
        view = AssignmentDashboardView(request=request, kwargs=self.kwargs, args=())
        response = view.render_to_response(view.get_context_data(run_form=form))
        response.status_code = 400
        return response


class AssignmentFillView(EventStaffMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        changed = services.assignment_fill_free_seats(event=self.event)
        messages.success(
            request,
            ngettext(
                "%(count)d participant took a seat from a waiting list.",
                "%(count)d participants took a seat from a waiting list.",
                len(changed),
            )
            % {"count": len(changed)},
        )
        return self.dashboard()


class AssignmentNotifyView(EventStaffMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        count = services.assignment_notify(event=self.event)
        messages.success(
            request,
            ngettext(
                "%(count)d participant will receive their programme by e-mail.",
                "%(count)d participants will receive their programme by e-mail.",
                count,
            )
            % {"count": count},
        )
        return self.dashboard()


class AssignmentWorkshopView(EventStaffMixin, TemplateView):
    template_name = "events/assignment/workshop.html"

    def get_context_data(self, **kwargs):
        session = get_object_or_404(
            Session.objects.select_related("slot__day", "room"),
            pk=self.kwargs["pk"],
            slot__day__event=self.event,
            slot__round_number__isnull=False,
        )
        data = selectors.assignment_input(event=self.event)
        lists = selectors.assignment_workshop(data=data, session=session)
        return super().get_context_data(
            event=self.event,
            session=session,
            round_label=selectors.round_label(session.slot),
            seats=selectors.session_seats(session),
            **lists,
            **kwargs,
        )


class AssignmentPersonView(EventStaffMixin, TemplateView):
    template_name = "events/assignment/person.html"

    @cached_property
    def registration(self) -> Registration:
        return get_object_or_404(
            Registration,
            pk=self.kwargs["pk"],
            event=self.event,
            status=RegistrationStatus.CONFIRMED,
        )

    def form(self, data=None):
        slots = selectors.round_slots(event=self.event)
        return AssignmentMoveForm(
            data, slots=[(slot, selectors.round_label(slot)) for slot in slots]
        )

    def get_context_data(self, **kwargs):
        data = selectors.assignment_input(event=self.event)
        return super().get_context_data(
            event=self.event,
            registration=self.registration,
            rows=selectors.assignment_person(data=data, registration=self.registration),
            form=kwargs.pop("form", None) or self.form(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            service = (
                services.assignment_pin if form.cleaned_data["pin"] else services.assignment_move
            )
            try:
                service(
                    registration=self.registration,
                    session=form.cleaned_data["session"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is now in “%(title)s”.")
                    % {"name": self.registration.full_name, "title": form.cleaned_data["session"]},
                )
                return redirect(
                    "events:assignment_person", slug=self.event.slug, pk=self.registration.pk
                )
        return self.render_to_response(self.get_context_data(form=form), status=400)


class AssignmentUnpinView(AssignmentPersonView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        slot = get_object_or_404(Slot, pk=self.kwargs["slot"], day__event=self.event)
        services.assignment_unpin(registration=self.registration, slot=slot, by=request.user)
        messages.success(request, _("The placement is no longer pinned."))
        return redirect("events:assignment_person", slug=self.event.slug, pk=self.registration.pk)
