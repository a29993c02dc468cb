"""Writes of the library: create and update a resource, publish it, attach files.

Staff edit resources in the Django admin, whose publish actions call these functions; the demo
loader uses them too.
"""

from django.db import transaction

from terreau.core.slugs import slug_unique

from ..models import Resource, ResourceAttachment, ResourceState

LINKS = (
    "themes",
    "organisations",
    "initiatives",
    "events",
    "calls",
    "groups",
    "worksites",
    "authors",
    "related",
)


def resource_unique_slug(title: str) -> str:
    return slug_unique(model=Resource, text=title, fallback="ressource")


def _set_links(resource: Resource, links: dict) -> None:
    """Set the relations given (a relation passed as None is left as it is)."""
    for name in LINKS:
        if links.get(name) is not None:
            getattr(resource, name).set(links[name])


def _pop_links(fields: dict) -> dict:
    return {
        name: fields.pop(name, None)
        for name in ("calls", "groups", "worksites", "authors", "related")
    }


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
    extra = _pop_links(fields)
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
            **extra,
        },
    )
    return resource


@transaction.atomic
def resource_update(
    *, resource: Resource, themes=None, organisations=None, initiatives=None, events=None, **fields
) -> Resource:
    """Change a resource's fields and, for the relations given (not None), its links."""
    extra = _pop_links(fields)
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
            **extra,
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
    attachment_extraction_queue(attachment=attachment)
    return attachment


def attachment_extraction_queue(*, attachment: ResourceAttachment) -> None:
    """Queue the extraction of a document's text and cover (task `extract_attachment`, with
    the current transaction on the database queue)."""
    from terreau.core.tasks import task_enqueue_atomic

    from ..tasks import extract_attachment

    task_enqueue_atomic(extract_attachment, attachment.pk)


def attachment_extract(*, attachment: ResourceAttachment) -> ResourceAttachment:
    """Extract the attachment's text (PDF, DOCX, ODT) and a PDF's cover, in a child process
    with limits (extraction.py), then refresh the resource's searchable text. A file that does
    not parse or breaks the limits is marked failed, with the reason; nothing raises."""
    from django.core.files.base import ContentFile

    from ..extraction import DOCUMENT_TYPES, extract
    from ..models import Extraction

    if attachment.extension.lower() not in DOCUMENT_TYPES:
        attachment.extraction = Extraction.NONE
        attachment.save(update_fields=["extraction"])
        return attachment
    try:
        path = attachment.file.path
    except (NotImplementedError, ValueError):  # a storage without local files (S3…)
        path = None
    if path is None and attachment.file:
        result = _extract_from_copy(attachment.file, extract)
    else:
        result = extract(path) if path else None
    if result is None or result.error:
        attachment.extraction = Extraction.FAILED
        attachment.extraction_error = (result.error if result else "no file")[:300]
        attachment.save(update_fields=["extraction", "extraction_error"])
        return attachment
    attachment.text = result.text
    attachment.extraction = Extraction.DONE
    attachment.extraction_error = ""
    if result.cover:
        attachment.thumbnail.save(
            f"cover-{attachment.pk}.png", ContentFile(result.cover), save=False
        )
    attachment.save(update_fields=["text", "extraction", "extraction_error", "thumbnail"])
    resource_refresh_attachments_text(resource=attachment.resource)
    return attachment


def _extract_from_copy(field_file, extract):
    """Extract from a local copy of a file kept on a remote storage (the child process reads
    a path)."""
    import shutil
    import tempfile
    from pathlib import Path

    suffix = Path(field_file.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with field_file.open("rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        return extract(copy.name)


def resource_refresh_attachments_text(*, resource: Resource) -> Resource:
    texts = resource.attachments.order_by("position", "pk").values_list("text", flat=True)
    resource.attachments_text = "\n".join(text for text in texts if text)[:2_000_000]
    resource.save(update_fields=["attachments_text", "updated_at"])
    return resource
