"""Writes of the library: resources, the newsletter, co-development (one module each)."""

from .resources import (
    LINKS,
    attachment_extract,
    attachment_extraction_queue,
    resource_attachment_add,
    resource_create,
    resource_publish,
    resource_unique_slug,
    resource_unpublish,
    resource_update,
)

__all__ = [
    "LINKS",
    "attachment_extract",
    "attachment_extraction_queue",
    "resource_attachment_add",
    "resource_create",
    "resource_publish",
    "resource_unique_slug",
    "resource_unpublish",
    "resource_update",
]
