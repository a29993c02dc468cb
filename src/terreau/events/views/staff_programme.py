"""The staff area of events: create, edit, duplicate, publish and cancel events, and edit
their days, slots, sessions, speakers, rooms, tariffs, options and questions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from terreau.core.forms import apply_service_errors

from ..forms.programme import (
    PART_FORMS,
    CancelEventForm,
    DuplicateEventForm,
    EventForm,
    VenueForm,
    default_duplicate_date,
)
from ..models import Event, Venue
from ..selectors.programme import event_programme
from ..services import programme as services

#: URL words (French) for each editable part of an event.
PART_SLUGS = {
    "jour": "day",
    "creneau": "slot",
    "session": "session",
    "intervenant": "speaker",
    "salle": "room",
    "tarif": "tariff",
    "option": "option",
    "question": "question",
}
#: (add, edit, delete) page titles of each part: French needs the noun's gender.
PART_TITLES = {
    "day": (_lazy("Add a day"), _lazy("Edit the day"), _lazy("Delete this day?")),
    "slot": (
        _lazy("Add a time slot"),
        _lazy("Edit the time slot"),
        _lazy("Delete this time slot?"),
    ),
    "session": (_lazy("Add a session"), _lazy("Edit the session"), _lazy("Delete this session?")),
    "speaker": (_lazy("Add a speaker"), _lazy("Edit the speaker"), _lazy("Delete this speaker?")),
    "room": (_lazy("Add a room"), _lazy("Edit the room"), _lazy("Delete this room?")),
    "tariff": (_lazy("Add a tariff"), _lazy("Edit the tariff"), _lazy("Delete this tariff?")),
    "option": (_lazy("Add an option"), _lazy("Edit the option"), _lazy("Delete this option?")),
    "question": (
        _lazy("Add a question"),
        _lazy("Edit the question"),
        _lazy("Delete this question?"),
    ),
}


class StaffMixin(PermissionRequiredMixin):
    permission_required = "events.manage_event"


class StaffEventMixin(StaffMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            return self.handle_no_permission()
        self.event = get_object_or_404(Event.objects.select_related("venue"), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"event": self.event}

    def manage_url(self) -> str:
        return reverse("events:staff_event", kwargs={"slug": self.event.slug})


class StaffEventListView(StaffMixin, TemplateView):
    template_name = "events/staff/event_list.html"

    def get_context_data(self, **kwargs):
        events = (
            Event.objects.select_related("venue")
            .annotate(registration_count=Count("registrations"))
            .order_by("-starts_at")
        )
        state = self.request.GET.get("state", "")
        if state in {"draft", "published", "cancelled"}:
            events = events.filter(state=state)
        # PostgreSQL text cannot hold NUL characters: drop them rather than fail.
        query = self.request.GET.get("q", "").replace("\x00", "").strip()[:200]
        if query:
            events = events.filter(title__icontains=query)
        page = Paginator(events, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs) | {
            "events": page.object_list,
            "page_obj": page,
            "state": state,
            "query": query,
            "venues": Venue.objects.select_related("commune"),
        }


class StaffEventCreateView(StaffMixin, FormView):
    template_name = "events/staff/event_form.html"
    form_class = EventForm

    def form_valid(self, form):
        try:
            event = services.event_create(fields=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Event created as a draft."))
        return redirect("events:staff_event", slug=event.slug)


class StaffEventUpdateView(StaffEventMixin, FormView):
    template_name = "events/staff/event_form.html"
    form_class = EventForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.event}

    def form_valid(self, form):
        try:
            services.event_update(event=self.event, fields=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Event saved."))
        return redirect(self.manage_url())


class StaffEventView(StaffEventMixin, TemplateView):
    """One event's staff page: its programme and every part, with links to edit each."""

    template_name = "events/staff/event_manage.html"

    def get_context_data(self, **kwargs):
        event = self.event
        return super().get_context_data(**kwargs) | {
            "days": event_programme(event=event),
            "tariffs": event.tariffs.all(),
            "options": event.options.select_related("day"),
            "questions": event.questions.all(),
            "rooms": event.venue.rooms.all() if event.venue_id else [],
            "registration_count": event.registrations.count(),
        }


class StaffEventPublishView(StaffEventMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, slug):
        try:
            services.event_publish(event=self.event)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Event published: it is now in the public agenda."))
        return redirect(self.manage_url())


class StaffEventCancelView(StaffEventMixin, FormView):
    template_name = "events/staff/event_cancel.html"
    form_class = CancelEventForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "registrant_count": self.event.registrations.exclude(status="cancelled").count()
        }

    def form_valid(self, form):
        try:
            services.event_cancel(event=self.event, message=form.cleaned_data["message"])
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Event cancelled; every registrant has been told."))
        return redirect(self.manage_url())


class StaffEventDuplicateView(StaffEventMixin, FormView):
    template_name = "events/staff/event_duplicate.html"
    form_class = DuplicateEventForm

    def get_initial(self):
        return {"starts_on": default_duplicate_date(self.event), "title": self.event.title}

    def form_valid(self, form):
        copy = services.event_duplicate(
            event=self.event,
            starts_on=form.cleaned_data["starts_on"],
            title=form.cleaned_data["title"],
        )
        messages.success(self.request, _("Event duplicated as a draft; check its dates."))
        return redirect("events:staff_event", slug=copy.slug)


class StaffEventPartMixin(StaffEventMixin):
    def dispatch(self, request, *args, **kwargs):
        self.part = PART_SLUGS.get(kwargs["part"])
        if self.part is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_instance(self):
        model = services.EVENT_PARTS[self.part]
        pk = self.kwargs.get("pk")
        if pk is None:
            return model()
        lookups = {
            "day": "event",
            "slot": "day__event",
            "session": "slot__day__event",
            "speaker": "session__slot__day__event",
            "room": "venue__events",
            "tariff": "event",
            "option": "event",
            "question": "event",
        }
        queryset = model.objects.filter(**{lookups[self.part]: self.event}).distinct()
        return get_object_or_404(queryset, pk=pk)

    def get_context_data(self, **kwargs):
        add_title, edit_title, delete_title = PART_TITLES[self.part]
        return super().get_context_data(**kwargs) | {
            "add_title": add_title,
            "edit_title": edit_title,
            "delete_title": delete_title,
            "part": self.kwargs["part"],
        }


class StaffEventPartFormView(StaffEventPartMixin, FormView):
    template_name = "events/staff/part_form.html"

    def get_form_class(self):
        return PART_FORMS[self.part]

    def get_form_kwargs(self):
        self.instance = self.get_instance()
        kwargs = super().get_form_kwargs() | {"event": self.event, "instance": self.instance}
        if self.instance.pk is None and self.part == "session" and "slot" in self.request.GET:
            kwargs["initial"] = {"slot": self.request.GET["slot"]}
        if self.instance.pk is None and self.part == "speaker" and "session" in self.request.GET:
            kwargs["initial"] = {"session": self.request.GET["session"]}
        if self.instance.pk is None and self.part == "slot" and "day" in self.request.GET:
            kwargs["initial"] = {"day": self.request.GET["day"]}
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"is_new": self.instance.pk is None}

    def form_valid(self, form):
        data = form.service_fields()
        try:
            if self.part == "speaker":
                person = services.person_find_or_create(
                    first_name=data.pop("first_name"), last_name=data.pop("last_name")
                )
                data["person"] = person
            if self.part == "room" and not self.event.venue_id:
                raise ValidationError(_("Choose the event's venue before adding rooms."))
            services.event_part_save(event=self.event, instance=self.instance, fields=data)
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.manage_url())


class StaffEventPartDeleteView(StaffEventPartMixin, TemplateView):
    template_name = "events/staff/part_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"object": self.get_instance()}

    def post(self, request, slug, part, pk):
        try:
            services.event_part_delete(event=self.event, instance=self.get_instance())
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Deleted."))
        return redirect(self.manage_url())


class StaffVenueFormView(StaffMixin, FormView):
    template_name = "events/staff/venue_form.html"
    form_class = VenueForm

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        self.venue = get_object_or_404(Venue, pk=pk) if pk else Venue()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.venue}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"venue": self.venue}

    def form_valid(self, form):
        try:
            services.venue_save(venue=self.venue, fields=form.service_fields())
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Venue saved."))
        return redirect("events:staff_events")
