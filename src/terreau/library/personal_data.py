"""The library's personal data: newsletter subscriptions and their delivery log,
co-development needs and offers, proposals of resources (a published resource stays: it is the
network's, without its proposer's name)."""

import datetime as dt

from django.db.models import Q
from django.db.models.functions import Lower

from terreau.privacy import purposes
from terreau.privacy.registry import FORMER_MEMBER

from .models import (
    Delivery,
    Need,
    Offer,
    ResourceProposal,
    ResourceProposalComment,
    Subscriber,
    SubscriberState,
)

PENDING_RETENTION = dt.timedelta(days=30)
ENDED_RETENTION = dt.timedelta(days=3 * 365)
DELIVERY_RETENTION = dt.timedelta(days=2 * 365)

PURPOSES = purposes.LIBRARY


def _subscriptions(user):
    return Subscriber.objects.annotate(lower=Lower("email")).filter(
        Q(user=user) | Q(lower=(user.email or "").lower())
    )


def export(user) -> dict:
    subscriptions = list(_subscriptions(user).prefetch_related("themes"))
    return {
        "newsletter": [
            {
                "email": s.email,
                "state": s.state,
                "kinds": s.kinds,
                "themes": [t.name for t in s.themes.all()],
                "created_at": s.created_at,
                "confirmed_at": s.confirmed_at,
                "deliveries": list(
                    Delivery.objects.filter(subscriber=s).values(
                        "issue__subject", "state", "created_at"
                    )
                ),
            }
            for s in subscriptions
        ],
        "codevelopment_needs": list(
            Need.objects.filter(author=user).values("title", "description", "state", "created_at")
        ),
        "codevelopment_offers": list(
            Offer.objects.filter(author=user).values("need__title", "kind", "text", "created_at")
        ),
        "resource_proposals": list(
            ResourceProposal.objects.filter(author=user).values(
                "title", "kind", "summary", "body", "state", "created_at", "submitted_at"
            )
        ),
        "resource_proposal_comments": list(
            ResourceProposalComment.objects.filter(author=user).values(
                "proposal__title", "action", "body", "created_at"
            )
        ),
    }


def erase(user, *, remove_content: bool) -> None:
    _subscriptions(user).delete()  # deliveries go with them
    # Proposals (and their private files) go; what was published from them stays.
    for proposal in ResourceProposal.objects.filter(author=user).exclude(file=""):
        proposal.file.delete(save=False)
    ResourceProposal.objects.filter(author=user).delete()
    ResourceProposalComment.objects.filter(author=user).update(author=None)
    if remove_content:
        Offer.objects.filter(author=user).delete()
        Need.objects.filter(author=user).delete()
        return
    Offer.objects.filter(author=user).update(author=None, author_name=FORMER_MEMBER)
    Need.objects.filter(author=user).update(author=None, author_name=FORMER_MEMBER)


def purge(now) -> int:
    removed = Subscriber.objects.filter(
        state=SubscriberState.PENDING, created_at__lt=now - PENDING_RETENTION
    ).delete()[0]
    removed += Subscriber.objects.filter(
        state__in=[
            SubscriberState.UNSUBSCRIBED,
            SubscriberState.BOUNCED,
            SubscriberState.COMPLAINED,
        ],
        unsubscribed_at__lt=now - ENDED_RETENTION,
    ).delete()[0]
    removed += Delivery.objects.filter(created_at__lt=now - DELIVERY_RETENTION).delete()[0]
    return removed
