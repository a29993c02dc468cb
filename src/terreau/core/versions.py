"""One version mechanism for the whole site: what cached pages and fragments are keyed on.

Each *scope* is a counter in the database (`ContentVersion`), so every server process sees a
change on its next read (the local-memory cache is per process; the counters are not):

- `site`: everything public pages show — events and their programmes, speakers, rooms,
  tariffs, initiatives, methods, resources, organisations, people, territories, themes…
- `registrations`: registrations and what hangs on them (answers, choices, assignments,
  attendance, the action log), which change far more often and which only the event pages show.

Every save, delete and many-to-many change of a model moves its scope's counter **in the same
transaction** (signals connected in `CoreConfig.ready`), whatever made it — services, the admin,
fixtures, the demo. Writes that send no signal — `QuerySet.update` (and so `bulk_update`) that
changed rows, `bulk_create` that created some — move it too: `connect()` wraps those two
methods once for every model, so no caller has to remember `bump()` (a cached programme PDF
kept a removed speaker's name, or an event day's old date, for a week when one forgot).
A reader reads the versions *before* it reads the content, so content newer than
its version may be stored under an older key (harmless: the next reader misses), never the
reverse.

Models of other apps are in `site` unless listed below; new apps need nothing to be covered.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable

from django.core.signals import request_finished, request_started
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_migrate
from django.utils import timezone

SITE = "site"
REGISTRATIONS = "registrations"
SCOPES = (SITE, REGISTRATIONS)

# app label → scope for all its models (None: no public page shows them).
APP_SCOPES = {
    "admin": None,
    "auth": None,
    "contenttypes": None,
    "sessions": None,
    "axes": None,
    "account": None,
    "socialaccount": None,
    "mfa": None,
    "usersessions": None,
    "django_tasks_database": None,
    "accounts": None,
}
# "app_label.ModelName" → scope, ahead of the app's.
MODEL_SCOPES = {
    "core.ContentVersion": None,
    "core.OutboxMessage": None,
    "core.OutboxBody": None,
    "observatory.InitiativeSearchEntry": None,  # derived from the initiative (saved with it)
    "events.Registration": REGISTRATIONS,
    "events.RegistrationTally": None,  # kept by database triggers with the registrations
    "events.RegistrationAction": REGISTRATIONS,
    "events.Answer": REGISTRATIONS,
    "events.WorkshopChoice": REGISTRATIONS,
    "events.WorkshopAssignment": REGISTRATIONS,
    "events.AssignmentRun": REGISTRATIONS,
    "events.AttendanceRecord": REGISTRATIONS,
    "events.EventDocument": None,  # staff's printed documents
    "library.Delivery": None,  # one row per subscriber and issue sent (bulk-created in batches)
}


def scope_of(model) -> str | None:
    meta = model._meta
    label = f"{meta.app_label}.{meta.object_name}"
    if label in MODEL_SCOPES:
        return MODEL_SCOPES[label]
    return APP_SCOPES.get(meta.app_label, SITE)


# Within one request the versions are read once (the page cache, the registration form and the
# facets all ask); a write in the request forgets them. Outside requests nothing is kept.
_memo = threading.local()


def _request_started(**kwargs) -> None:
    _memo.values = {}


def _request_finished(**kwargs) -> None:
    _memo.values = None


def bump(*scopes: str) -> None:
    """Move the counters of these scopes (default: every scope), in the current transaction."""
    from .models import ContentVersion

    if getattr(_memo, "values", None):
        _memo.values.clear()

    now = timezone.now()
    for name in scopes or SCOPES:
        updated = ContentVersion.objects.filter(name=name).update(
            value=F("value") + 1, changed_at=now
        )
        if not updated:
            try:
                with transaction.atomic():
                    ContentVersion.objects.create(name=name, value=1, changed_at=now)
            except IntegrityError:  # created meanwhile by another writer
                ContentVersion.objects.filter(name=name).update(
                    value=F("value") + 1, changed_at=now
                )


def current(scopes: Iterable[str]) -> tuple[str, object]:
    """(the versions of these scopes as one string, the latest change among them): one query."""
    names = sorted(scopes)
    memo = getattr(_memo, "values", None)
    key = tuple(names)
    if memo is not None and key in memo:
        return memo[key]
    table = connection.ops.quote_name("core_contentversion")
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, value, changed_at FROM {table} WHERE name IN ({marks})", names
        )
        rows = {name: (value, changed) for name, value, changed in cursor.fetchall()}
    stamp = ".".join(str(rows.get(name, (0, None))[0]) for name in names)
    changes = [changed for _value, changed in rows.values() if changed is not None]
    latest = max(changes) if changes else None
    if isinstance(latest, str):  # SQLite hands back text through a raw cursor
        latest = _parse_datetime(latest)
    if memo is not None:
        memo[key] = (stamp, latest)
    return stamp, latest


def _parse_datetime(value: str):
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(value)
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.UTC)
    return parsed


def _is_historical(model) -> bool:
    """A migration's model (its state, not the app's class): the version table may not exist."""
    return model.__module__ == "__fake__"


# While `migrate` runs, the version table may not exist yet (data migrations, post-migrate
# handlers of other apps): nothing is served then, so nothing is counted.
_migrating = False


def _migration_started(**kwargs) -> None:
    global _migrating
    _migrating = True


def _migration_finished(**kwargs) -> None:
    global _migrating
    _migrating = False


def _on_change(sender, **kwargs) -> None:
    if _migrating or _is_historical(sender):
        return
    scope = scope_of(sender)
    if scope is not None:
        bump(scope)


def _on_m2m_change(sender, instance, action, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    # The through model may be auto-created: the scope is the one of the model changed.
    if _migrating or _is_historical(type(instance)):
        return
    scope = scope_of(type(instance))
    if scope is not None:
        bump(scope)


def _on_bulk_write(model) -> None:
    if _migrating or _is_historical(model):
        return
    scope = scope_of(model)
    if scope is not None:
        bump(scope)


def _wrap_bulk_writes() -> None:
    """`QuerySet.update` and `QuerySet.bulk_create` send no signal: wrap them so that they move
    their model's version like a save does (`bulk_update` goes through `update`)."""
    from django.db.models import QuerySet

    if getattr(QuerySet, "_terreau_versioned", False):
        return
    update, bulk_create = QuerySet.update, QuerySet.bulk_create

    @functools.wraps(update)
    def versioned_update(self, **kwargs):
        rows = update(self, **kwargs)
        if rows:
            _on_bulk_write(self.model)
        return rows

    @functools.wraps(bulk_create)
    def versioned_bulk_create(self, objs, *args, **kwargs):
        created = bulk_create(self, objs, *args, **kwargs)
        if created:
            _on_bulk_write(self.model)
        return created

    QuerySet.update = versioned_update
    QuerySet.bulk_create = versioned_bulk_create
    QuerySet._terreau_versioned = True


def connect() -> None:
    _wrap_bulk_writes()
    request_started.connect(_request_started, dispatch_uid="terreau.core.versions.started")
    request_finished.connect(_request_finished, dispatch_uid="terreau.core.versions.finished")
    pre_migrate.connect(_migration_started, dispatch_uid="terreau.core.versions.pre_migrate")
    post_migrate.connect(_migration_finished, dispatch_uid="terreau.core.versions.post_migrate")
    post_save.connect(_on_change, dispatch_uid="terreau.core.versions.save")
    post_delete.connect(_on_change, dispatch_uid="terreau.core.versions.delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="terreau.core.versions.m2m")
