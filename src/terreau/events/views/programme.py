"""Public pages of one event: its page (and archive), programme, iCalendar and PDF exports."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views.generic import TemplateView, View

from .. import ics
from ..documents.programme import programme_pdf
from ..models import Event, EventState
from ..selectors.onsite import event_outputs
from ..selectors.programme import (
    AUDIENCE_LABELS,
    event_attendance_count,
    event_programme,
    event_queryset_for_page,
    event_registration_status,
    event_speakers,
    session_for_event,
)


def event_or_404(request, slug: str, queryset=None) -> Event:
    """The event if this user may see it; drafts are a 404 for everyone but staff."""
    event = get_object_or_404(queryset if queryset is not None else Event.objects, slug=slug)
    if not request.user.has_perm("events.view_event", event):
        raise Http404
    return event


class EventPageMixin:
    def get_queryset(self):
        return event_queryset_for_page()

    def dispatch(self, request, *args, **kwargs):
        self.event = event_or_404(request, kwargs["slug"], self.get_queryset())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "event": self.event,
            "is_past": self.event.ends_at < timezone.now(),
            "is_cancelled": self.event.state == EventState.CANCELLED,
            "can_manage": self.request.user.has_perm("events.manage_event"),
        }


class EventDetailView(EventPageMixin, TemplateView):
    """The event page; after the event, its archive with what came out of it."""

    template_name = "events/programme/event_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["registration"] = event_registration_status(event=self.event)
        context["speakers"] = event_speakers(event=self.event)
        context["audience_label"] = AUDIENCE_LABELS.get(self.event.audience, "")
        if context["is_past"]:
            context["attendance"] = event_attendance_count(event=self.event)
        context["outputs"] = event_outputs(event=self.event)
        context["can_run_onsite"] = self.request.user.has_perm(
            "events.check_in_registrants", self.event
        )
        return context


class EventProgrammeView(EventPageMixin, TemplateView):
    template_name = "events/programme/programme.html"

    def get_queryset(self):
        return Event.objects.select_related("venue__commune")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"days": event_programme(event=self.event)}


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class EventCalendarView(View):
    def get(self, request, slug):
        event = event_or_404(request, slug, event_queryset_for_page())
        content = ics.event_calendar(event=event, days=event_programme(event=event))
        return _calendar_response(content, f"{event.slug}.ics")


class SessionCalendarView(View):
    def get(self, request, slug, pk):
        event = event_or_404(request, slug, event_queryset_for_page())
        session = session_for_event(event=event, session_pk=pk)
        if session is None:
            raise Http404
        content = ics.sessions_calendar(event=event, sessions=[session], name=session.title)
        return _calendar_response(content, f"{event.slug}-{slugify(session.title)[:60]}.ics")


class ProgrammePdfView(View):
    def get(self, request, slug):
        event = event_or_404(request, slug, event_queryset_for_page())
        pdf = programme_pdf(event=event, days=event_programme(event=event), request=request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="programme-{event.slug}.pdf"'
        return response
