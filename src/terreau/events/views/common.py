"""What the events' public views share: the event a visitor may see, or a 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import Event


def event_or_404(request, slug: str, queryset=None) -> Event:
    """The event if this user may see it (the `events.view_event` rule: drafts are a 404 for
    everyone but staff); every public page of an event finds it through here."""
    event = get_object_or_404(queryset if queryset is not None else Event.objects, slug=slug)
    if not request.user.has_perm("events.view_event", event):
        raise Http404
    return event
