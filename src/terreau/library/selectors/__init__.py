"""Reads of the library: resources, the newsletter, co-development (one module each)."""

from .resources import (
    NEWEST_FIRST,
    can_see_drafts,
    news_latest,
    resource_count,
    resource_detail,
    resource_latest,
    resource_list,
    resource_related,
    resource_visible,
    resource_years,
    resources_published_prefetch,
)

__all__ = [
    "NEWEST_FIRST",
    "can_see_drafts",
    "resource_count",
    "resource_detail",
    "resource_latest",
    "resource_list",
    "resource_visible",
    "news_latest",
    "resource_related",
    "resource_years",
    "resources_published_prefetch",
]
