"""The public agenda: list with filters, month view, map and the iCalendar feed."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from .. import ics
from ..forms.programme import AgendaFilterForm
from ..selectors.agenda import (
    AgendaFilters,
    agenda_events,
    agenda_feed_events,
    agenda_map_points,
    agenda_month,
)


class AgendaFilterMixin:
    default_period = "upcoming"
    has_period = True

    def make_form(self, *args, **kwargs) -> AgendaFilterForm:
        form = AgendaFilterForm(*args, **kwargs)
        if not self.has_period:
            del form.fields["period"]
        return form

    def get_filters(self) -> AgendaFilters:
        self.filter_form = self.make_form(self.request.GET or None)
        if not self.filter_form.is_bound or not self.filter_form.is_valid():
            return AgendaFilters(period=self.default_period)
        data = self.filter_form.cleaned_data
        return AgendaFilters(
            kind=data["kind"],
            theme=data["theme"],
            department=data["department"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            period=data.get("period") or self.default_period,
        )

    def get_context_data(self, **kwargs):
        filters = self.get_filters()
        if not self.filter_form.is_bound:
            self.filter_form = self.make_form(initial={"period": filters.period})
        return super().get_context_data(**kwargs) | {
            "filters": filters,
            "filter_form": self.filter_form,
        }


class AgendaView(AgendaFilterMixin, TemplateView):
    template_name = "events/agenda/agenda.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(agenda_events(filters=context["filters"]), self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        return context | {"page_obj": page, "events": page.object_list}


class AgendaMonthView(AgendaFilterMixin, TemplateView):
    template_name = "events/agenda/month.html"
    default_period = "all"
    has_period = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        year, month = self.kwargs.get("year", today.year), self.kwargs.get("month", today.month)
        if not (1 <= month <= 12 and 1900 <= year <= 2200):
            raise Http404
        return context | {"month": agenda_month(year=year, month=month, filters=context["filters"])}


class AgendaMapView(AgendaFilterMixin, TemplateView):
    template_name = "events/agenda/map.html"
    default_period = "all"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        events = list(agenda_events(filters=context["filters"])[:500])
        points = agenda_map_points(events=events)
        placed = {point["url"] for point in points}
        return context | {
            "events": events,
            "points": points,
            "unplaced": [event for event in events if event.get_absolute_url() not in placed],
            "map_settings": {
                "tiles": settings.TERREAU_MAP_TILES_URL,
                "attribution": settings.TERREAU_MAP_ATTRIBUTION,
            },
            "located_count": len(points),
        }


class AgendaFeedView(View):
    """The subscribable iCalendar feed of every published event."""

    def get(self, request):
        content = ics.agenda_calendar(
            events=agenda_feed_events(),
            name=_("%(site)s — events") % {"site": settings.SITE_NAME},
        )
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="agenda.ics"'
        return response
