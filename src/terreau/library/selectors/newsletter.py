"""Reads of the newsletter: content to compose an issue from, an issue's progress and its
per-recipient delivery log."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from terreau.calls.models import Call
from terreau.core.dates import date_format
from terreau.core.markdown import markdown_to_text
from terreau.events.models import Event, EventState

from ..models import (
    ContentKind,
    Delivery,
    DeliveryState,
    Issue,
    NewsKind,
    Resource,
    ResourceKind,
    ResourceState,
    Subscriber,
    SubscriberState,
)
from .resources import NEWEST_FIRST

RECENT = dt.timedelta(days=120)


def _absolute(path: str) -> str:
    from django.conf import settings

    return settings.SITE_URL + path


def newsletter_candidates(*, now=None, limit: int = 30, since=RECENT) -> list[dict]:
    """Recent and coming content an issue may hold, as issue items (dicts keyed by `source`):
    news and other resources published lately, events coming or just past, calls for
    applications open or opening (the calls app's, and calls published as resources or news,
    all under the "calls" topic of the preferences). Five queries (three of themes)."""
    now = now or timezone.now()
    candidates = []
    resources = Resource.objects.filter(state=ResourceState.PUBLISHED)
    if since is not None:
        resources = resources.filter(
            Q(published_on__gte=(now - since).date())
            | Q(published_on__isnull=True, created_at__gte=now - since)
        )
    resources = resources.prefetch_related("themes").order_by(*NEWEST_FIRST)[:limit]
    for resource in resources:
        candidates.append(
            {
                "source": f"resource:{resource.pk}",
                "kind": _resource_kind(resource),
                "title": resource.title,
                "summary": resource.summary,
                "url": _absolute(resource.get_absolute_url()),
                "date_text": date_format(resource.published_on, "DATE_FORMAT")
                if resource.published_on
                else "",
                "theme_ids": [theme.pk for theme in resource.themes.all()],
            }
        )
    events = (
        Event.objects.filter(state=EventState.PUBLISHED, starts_at__gte=now - dt.timedelta(days=30))
        .prefetch_related("themes")
        .order_by("starts_at", "pk")[:limit]
    )
    for event in events:
        candidates.append(
            {
                "source": f"event:{event.pk}",
                "kind": ContentKind.EVENT,
                "title": event.title,
                "summary": event.summary,
                "url": _absolute(event.get_absolute_url()),
                "date_text": date_format(timezone.localtime(event.starts_at), "DATE_FORMAT"),
                "theme_ids": [theme.pk for theme in event.themes.all()],
            }
        )
    for call in calls_open(now=now, limit=limit):
        candidates.append(
            {
                "source": f"call:{call.pk}",
                "kind": ContentKind.CALL,
                "title": call.title,
                "summary": markdown_to_text(call.summary)[:600],
                "url": _absolute(call.get_absolute_url()),
                "date_text": _("until %(date)s")
                % {"date": date_format(timezone.localtime(call.closes_at), "DATE_FORMAT")},
                "theme_ids": [],
            }
        )
    return candidates


def calls_open(*, now=None, limit: int = 30, opening_soon: bool = True) -> list[Call]:
    """Published calls for applications still taking applications (or, with `opening_soon`,
    not open yet), the nearest deadline first."""
    now = now or timezone.now()
    calls = Call.objects.filter(is_published=True, closes_at__gte=now, results_sent_at__isnull=True)
    if not opening_soon:
        calls = calls.filter(opens_at__lte=now)
    return list(calls.order_by("closes_at", "pk")[:limit])


def _resource_kind(resource: Resource) -> str:
    if resource.kind == ResourceKind.CALL or resource.news_kind == NewsKind.CALL:
        return ContentKind.CALL
    return ContentKind.NEWS if resource.kind == ResourceKind.NEWS else ContentKind.RESOURCE


def issue_list():
    return Issue.objects.annotate(
        delivery_count=Count("deliveries", filter=Q(deliveries__state=DeliveryState.QUEUED))
    ).order_by("-created_at", "-pk")


def subscriber_counts() -> dict:
    rows = Subscriber.objects.values("state").annotate(count=Count("pk"))
    counts = dict.fromkeys(SubscriberState.values, 0)
    counts.update({row["state"]: row["count"] for row in rows})
    return counts


def issue_progress(*, issue: Issue) -> dict:
    """How far an issue's sending is: deliveries per state, and how many confirmed subscribers
    have none yet (while it is being queued)."""
    rows = Delivery.objects.filter(issue=issue).values("state").annotate(count=Count("pk"))
    by_state = dict.fromkeys(DeliveryState.values, 0)
    by_state.update({row["state"]: row["count"] for row in rows})
    written = sum(by_state.values())
    remaining = 0
    if issue.state == "sending":
        remaining = (
            Subscriber.objects.filter(state=SubscriberState.CONFIRMED)
            .exclude(deliveries__issue=issue)
            .count()
        )
    total = written + remaining
    return {
        "by_state": by_state,
        "written": written,
        "remaining": remaining,
        "total": total,
        "percent": round(100 * written / total) if total else 100,
    }


def delivery_log(*, issue: Issue, query: str = ""):
    deliveries = Delivery.objects.filter(issue=issue).order_by("pk")
    if query:
        deliveries = deliveries.filter(email__icontains=query[:254])
    return deliveries
