"""The library's models: resources and their files, members' proposals of resources, the
newsletter, co-development needs."""

from .codevelopment import Need, NeedState, Offer, OfferKind
from .newsletter import (
    ContentKind,
    Delivery,
    DeliveryState,
    Issue,
    IssueItem,
    IssueState,
    Subscriber,
    SubscriberState,
)
from .proposals import ResourceProposal, ResourceProposalComment
from .resources import (
    Extraction,
    NewsKind,
    Resource,
    ResourceAttachment,
    ResourceKind,
    ResourceState,
)

__all__ = [
    "ContentKind",
    "Extraction",
    "NewsKind",
    "Delivery",
    "DeliveryState",
    "Issue",
    "IssueItem",
    "IssueState",
    "Need",
    "NeedState",
    "Offer",
    "OfferKind",
    "Resource",
    "ResourceAttachment",
    "ResourceKind",
    "ResourceProposal",
    "ResourceProposalComment",
    "ResourceState",
    "Subscriber",
    "SubscriberState",
]
