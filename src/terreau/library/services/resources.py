"""Writes of the library: create and update a resource, publish it, attach files.

Staff edit resources in the Django admin, whose publish actions call these functions; the demo
loader uses them too.
"""

from django.db import transaction
from django.utils.text import slugify

from ..models import Resource, ResourceAttachment, ResourceState

LINKS = ("themes", "organisations", "initiatives", "events")


def resource_unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "ressource"
    slug, number = base, 2
    while Resource.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def _set_links(resource: Resource, links: dict) -> None:
    """Set the relations given (a relation passed as None is left as it is)."""
    for name in LINKS:
        if links.get(name) is not None:
            getattr(resource, name).set(links[name])


@transaction.atomic
def resource_create(
    *,
    title: str,
    kind: str,
    summary: str,
    slug: str = "",
    themes=None,
    organisations=None,
    initiatives=None,
    events=None,
    **fields,
) -> Resource:
    """Create a resource (a draft unless `state` says otherwise) with its links.

    Raises ValidationError (field keys) when a field is invalid. No side effect.
    """
    resource = Resource(
        title=title, kind=kind, summary=summary, slug=slug or resource_unique_slug(title), **fields
    )
    resource.full_clean()
    resource.save()
    _set_links(
        resource,
        {
            "themes": themes,
            "organisations": organisations,
            "initiatives": initiatives,
            "events": events,
        },
    )
    return resource


@transaction.atomic
def resource_update(
    *, resource: Resource, themes=None, organisations=None, initiatives=None, events=None, **fields
) -> Resource:
    """Change a resource's fields and, for the relations given (not None), its links."""
    for name, value in fields.items():
        setattr(resource, name, value)
    resource.full_clean()
    resource.save()
    _set_links(
        resource,
        {
            "themes": themes,
            "organisations": organisations,
            "initiatives": initiatives,
            "events": events,
        },
    )
    return resource


def resource_publish(*, resource: Resource) -> Resource:
    """Make a resource public: it appears in the list and on the pages of what it mentions."""
    if resource.state != ResourceState.PUBLISHED:
        resource.state = ResourceState.PUBLISHED
        resource.save(update_fields=["state", "updated_at"])
    return resource


def resource_unpublish(*, resource: Resource) -> Resource:
    """Take a resource back to draft: only moderators and staff see it then."""
    if resource.state != ResourceState.DRAFT:
        resource.state = ResourceState.DRAFT
        resource.save(update_fields=["state", "updated_at"])
    return resource


@transaction.atomic
def resource_attachment_add(
    *, resource: Resource, title: str, file, position: int | None = None
) -> ResourceAttachment:
    """Attach a file to a resource. The file is checked by content and size (core.uploads):
    raises ValidationError with a `file` key when it is refused, and nothing is stored."""
    if position is None:
        position = resource.attachments.count()
    attachment = ResourceAttachment(resource=resource, title=title, file=file, position=position)
    attachment.full_clean()
    attachment.save()
    return attachment
