"""A lost registration link sent again to the address it was registered with.

The answer is the same whether or not the address is registered (nothing tells a stranger who
is), and sends are rate-limited per address and event, and per client address, through the
cache, so the form cannot be used to flood someone's mailbox."""

import hashlib

from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from ..models import Event, Registration
from ..selectors.registration import registration_manage_url
from .registration import LIVE_STATUSES

# One message per address and event every 10 minutes; 10 requests per client per hour.
ADDRESS_WINDOW = 600
CLIENT_LIMIT = 10
CLIENT_WINDOW = 3600


def _key(*parts: str) -> str:
    return "events:link-resend:" + hashlib.sha256(":".join(parts).encode()).hexdigest()


def client_is_limited(client: str) -> bool:
    """Counts one request of `client` (its IP address) and tells whether it is over the limit."""
    key = _key("client", client)
    cache.add(key, 0, CLIENT_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, CLIENT_WINDOW)
        count = 1
    return count > CLIENT_LIMIT


@transaction.atomic
def registration_link_resend(*, event: Event, email: str) -> bool:
    """Sends the personal links of `email`'s live registrations for `event` again. Returns
    whether a message was sent (for tests and logs only: the visitor sees the same answer)."""
    email = email.strip()
    if not cache.add(_key("address", str(event.pk), email.lower()), 1, ADDRESS_WINDOW):
        return False
    registration = (
        Registration.objects.filter(event=event, email__iexact=email, status__in=LIVE_STATUSES)
        .select_related("event")
        .order_by("pk")
        .first()
    )
    if registration is None:
        return False
    context = {
        "registration": registration,
        "event": event,
        "manage_url": registration_manage_url(registration),
    }
    with translation.override(translation.get_language() or "fr"):
        subject = " ".join(
            render_to_string("events/registration/email/link_subject.txt", context).split()
        )
        body = render_to_string("events/registration/email/link.txt", context)
    EmailMessage(subject=subject, body=body, to=[registration.email]).send()
    return True
