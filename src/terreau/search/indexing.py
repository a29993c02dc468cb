"""Keeping the site-wide index current: each save of an indexed kind's model re-indexes that
object after the transaction commits (a public object is written, any other removed);
`terreau search_reindex` rebuilds a kind or all of them."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from .models import SearchDocument
from .registry import SearchKind, search_kinds

MAX_BODY = 200_000


def _write(kind: SearchKind, obj, document) -> None:
    row, _created = SearchDocument.objects.update_or_create(
        kind=kind.key,
        object_id=obj.pk,
        defaults={
            "title": document.title[:400],
            "summary": document.summary or "",
            "body": (document.body or "")[:MAX_BODY],
            "url": document.url[:500],
            "date": document.date,
            "department_code": document.department_code or "",
        },
    )
    row.themes.set(document.theme_ids)


def index_object(kind: SearchKind, pk) -> None:
    """(Re-)index one object of a kind: written when public, removed otherwise."""
    obj = kind.objects().filter(pk=pk).first()
    if obj is None:
        SearchDocument.objects.filter(kind=kind.key, object_id=pk).delete()
        return
    _write(kind, obj, kind.document(obj))


def reindex(kind: SearchKind) -> int:
    """Rebuild one kind's documents. Returns how many public objects it holds."""
    count = 0
    with transaction.atomic():
        kept = []
        for obj in kind.objects().iterator(chunk_size=500):
            _write(kind, obj, kind.document(obj))
            kept.append(obj.pk)
            count += 1
        SearchDocument.objects.filter(kind=kind.key).exclude(object_id__in=kept).delete()
    return count


def _schedule(kind: SearchKind, pks) -> None:
    pks = [pk for pk in pks if pk is not None]
    if pks:
        transaction.on_commit(lambda: [index_object(kind, pk) for pk in pks])


def connect_signals() -> None:
    from . import fulltext

    post_migrate.connect(fulltext.ensure_schema_after_migrate, dispatch_uid="terreau-site-search")
    for kind in search_kinds():
        if not kind.is_indexed or kind.model is None:
            continue

        def saved(sender, instance, raw=False, _kind=kind, **kwargs):
            if not raw:
                _schedule(_kind, [instance.pk])

        def deleted(sender, instance, _kind=kind, **kwargs):
            SearchDocument.objects.filter(kind=_kind.key, object_id=instance.pk).delete()

        def themes_changed(sender, instance, action, _kind=kind, **kwargs):
            if action.startswith("post_") and isinstance(instance, _kind.model):
                _schedule(_kind, [instance.pk])

        post_save.connect(saved, sender=kind.model, weak=False)
        post_delete.connect(deleted, sender=kind.model, weak=False)
        themes = getattr(kind.model, "themes", None)
        # Only a many-to-many `themes` (a reverse foreign key of that name has no `through`).
        if themes is not None and getattr(themes, "through", None) is not None:
            m2m_changed.connect(themes_changed, sender=themes.through, weak=False)
        for model, objects_of in kind.depends_on.items():

            def dependency_saved(sender, instance, raw=False, _kind=kind, _of=objects_of, **kw):
                if not raw:
                    _schedule(_kind, [obj.pk for obj in _of(instance)])

            post_save.connect(dependency_saved, sender=model, weak=False)
