"""Template helpers of the registration area: links on the event page, answers as text, times
of day as the programme prints them."""

from django import template
from django.utils.translation import gettext as _

from .. import clock
from ..selectors.registration import event_public_participants

register = template.Library()


@register.filter
def join_answer(value) -> str:
    """An answer as text: lists joined, yes/no spelt out."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


@register.filter(expects_localtime=True)
def time_of_day(value) -> str:
    """A time of day in the programme's format ("16h30" in French)."""
    return clock.time_of_day(value)


@register.inclusion_tag("events/registration/_event_links.html", takes_context=True)
def registration_links(context, event):
    """The public list of participants who opted in (name and organisation only) and, for
    staff, the registration management pages (event page). One query for the list."""
    request = context.get("request")
    user = getattr(request, "user", None)
    participants = list(event_public_participants(event))
    return {
        "event": event,
        "can_manage": bool(user and user.has_perm("events.manage_registrations", event)),
        "participants": participants,
    }
