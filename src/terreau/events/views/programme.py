"""Public pages of one event: its page (and archive), programme, iCalendar and PDF exports."""

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from django.utils.translation import get_language
from django.views.generic import TemplateView, View

from terreau.core import versions
from terreau.core.throttle import throttled

from .. import audiences, ics
from ..documents.programme import programme_pdf
from ..models import Event, EventState
from ..selectors.programme import (
    AUDIENCE_LABELS,
    event_page,
    event_programme,
    session_for_event,
    session_page,
)
from .common import event_or_404


def _events():
    return Event.objects.select_related("venue__commune")


class EventPageMixin:
    def get_queryset(self):
        return _events()

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


def _bounded(response, changes_at):
    """Tell the page cache when the page changes by itself (registration opens or closes…)."""
    response.expires_at = changes_at
    return response


class EventDetailView(EventPageMixin, TemplateView):
    """The event page; after the event, its archive with what came out of it. One selector
    (`event_page`) reads what it shows."""

    template_name = "events/programme/event_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.page = event_page(slug=kwargs["slug"])
        if self.page is None or not request.user.has_perm("events.view_event", self.page.event):
            raise Http404
        self.event = self.page.event
        return _bounded(TemplateView.dispatch(self, request, *args, **kwargs), self.page.changes_at)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context |= {
            "page": self.page,
            "registration": self.page.registration,
            "speakers": self.page.speakers,
            "outputs": self.page.outputs,
            "attendance": self.page.attendance if context["is_past"] else None,
            "audience_label": AUDIENCE_LABELS.get(self.event.audience, ""),
            "can_run_onsite": user.has_perm("events.check_in_registrants", self.event),
            "can_manage_registrations": user.has_perm("events.manage_registrations", self.event),
            "registered_by": audiences.registration_owner(self.event),
        }
        return context


class EventProgrammeView(EventPageMixin, TemplateView):
    template_name = "events/programme/programme.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"days": event_programme(event=self.event)}


class SessionDetailView(EventPageMixin, TemplateView):
    """A session's own page: kind, time, room, round, brief, speakers and their biographies,
    its report-back after the event, its .ics; linked from the programme."""

    template_name = "events/programme/session_detail.html"

    def get(self, request, *args, **kwargs):
        self.page = session_page(event=self.event, session_pk=kwargs["pk"])
        if self.page is None:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "page": self.page,
            "session": self.page.session,
        }


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class EventCalendarView(View):
    def get(self, request, slug):
        event = event_or_404(request, slug, _events())
        content = ics.event_calendar(event=event, days=event_programme(event=event))
        return _calendar_response(content, f"{event.slug}.ics")


class SessionCalendarView(View):
    def get(self, request, slug, pk):
        event = event_or_404(request, slug, _events())
        session = session_for_event(event=event, session_pk=pk)
        if session is None:
            raise Http404
        content = ics.sessions_calendar(event=event, sessions=[session], name=session.title)
        return _calendar_response(content, f"{event.slug}-{slugify(session.title)[:60]}.ics")


@method_decorator(throttled("pdf"), name="dispatch")
class ProgrammePdfView(View):
    def get(self, request, slug):
        event = event_or_404(request, slug, _events())
        # Drawing takes seconds: each version of the site's content is drawn once per language.
        stamp, _changed = versions.current((versions.SITE,))
        key = f"events:programme-pdf:{event.pk}:{stamp}:{get_language()}"
        pdf = cache.get(key)
        if pdf is None:
            pdf = programme_pdf(event=event, days=event_programme(event=event), request=request)
            cache.set(key, pdf, timeout=7 * 24 * 3600)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="programme-{event.slug}.pdf"'
        return response
