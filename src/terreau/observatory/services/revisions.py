"""Writes to published initiatives: every change goes through here and leaves a revision."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from terreau.core.slugs import slug_unique

from ..completeness import completeness_of
from ..models import Initiative, InitiativeRevision, PublicationState
from ..snapshot import MANY_FIELDS, initiative_snapshot, snapshot_apply


def initiative_unique_slug(title: str) -> str:
    return slug_unique(model=Initiative, text=title, fallback="initiative")


def revision_snapshot(initiative: Initiative) -> dict:
    """The full snapshot a revision stores, with its images and documents listed by title."""
    initiative = Initiative.objects.prefetch_related("links", "media", *MANY_FIELDS).get(
        pk=initiative.pk
    )
    data = initiative_snapshot(initiative)
    data["media"] = sorted(
        f"{media.get_kind_display()} : {media.title}" for media in initiative.media.all()
    )
    return data


def initiative_save_revision(
    *,
    data: dict,
    author,
    publisher,
    message: str = "",
    initiative: Initiative | None = None,
    before_snapshot=None,
    publish: bool = True,
) -> InitiativeRevision:
    """Publish `data` (a snapshot, possibly partial) onto the initiative, or onto a new one
    when `initiative` is None, and record the result as the next revision.

    `before_snapshot(initiative)` runs after the fields are written and before the revision
    is recorded (used to attach uploaded files). Side effects: the initiative is published
    (state, published_at) unless `publish` is False, and its completeness recomputed.
    Raises ValidationError with field keys when the content is invalid; nothing is saved then.
    """
    with transaction.atomic():
        if initiative is None:
            initiative = Initiative(
                slug=initiative_unique_slug(data.get("title") or ""), created_by=author
            )
        else:
            initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if publish:
            initiative.state = PublicationState.PUBLISHED
            initiative.published_at = initiative.published_at or timezone.now()
        snapshot_apply(initiative, data)
        if before_snapshot:
            before_snapshot(initiative)
        snapshot = revision_snapshot(initiative)
        completeness = completeness_of(snapshot)
        if completeness != snapshot["completeness"]:
            Initiative.objects.filter(pk=initiative.pk).update(completeness=completeness)
            snapshot["completeness"] = completeness
        last = InitiativeRevision.objects.filter(initiative=initiative).aggregate(n=Max("number"))
        return InitiativeRevision.objects.create(
            initiative=initiative,
            number=(last["n"] or 0) + 1,
            author=author,
            published_by=publisher,
            message=message[:300],
            data=snapshot,
        )


def initiative_restore_revision(*, revision: InitiativeRevision, moderator) -> InitiativeRevision:
    """Bring an initiative back to an earlier revision's content; this is a new revision.

    Side effects: the initiative's fields, themes, vocabularies and links are replaced
    (images and documents stay as they are: files are not versioned).
    """
    data = {key: value for key, value in revision.data.items() if key != "media"}
    return initiative_save_revision(
        initiative=revision.initiative,
        data=data,
        author=moderator,
        publisher=moderator,
        message=gettext("Restored revision %(number)s") % {"number": revision.number},
    )
