"""Reads for site-wide pages."""

from .app_modules import app_modules


def home_summary() -> dict:
    """The home page's sections: each app may expose `home.summary()` returning a dict
    (key, title, text, url, count, count_label, items, position) or None."""
    # Every key the template reads is present, so that a missing one never falls back to a
    # dict method (`section.items` would otherwise resolve to dict.items).
    defaults = {"count": None, "count_label": "", "items": (), "position": 100}
    # An app with several sections exposes `home.sections()` (a list of such dicts) instead.
    found = [
        section
        for module in app_modules("home")
        for section in (module.sections() if hasattr(module, "sections") else [module.summary()])
    ]
    sections = [defaults | section for section in found if section]
    sections.sort(key=lambda section: section.get("position", 100))
    return {"home_sections": sections}


def home_next_change():
    """When the home page changes by itself (an event ends, a call opens or closes): each
    app's `home.changes_at()`, if it has one."""
    from .pagecache import next_change

    return next_change(
        *(module.changes_at() for module in app_modules("home") if hasattr(module, "changes_at"))
    )


def _queue_age(queryset, field: str, now) -> float | None:
    oldest = queryset.order_by(field).values_list(field, flat=True).first()
    return None if oldest is None else round((now - oldest).total_seconds(), 1)


def health_report() -> dict:
    """What /sante/ answers: each check's state and the queues' ages in seconds."""
    import secrets

    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.utils import timezone

    report = {"status": "ok", "database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any failure of the database means this server cannot serve
        report.update(status="down", database="down")
        return report
    try:
        key, value = "health:" + secrets.token_hex(4), secrets.token_hex(4)
        cache.set(key, value, 10)
        if cache.get(key) != value:
            raise RuntimeError("cache did not keep a value")
        cache.delete(key)
    except Exception:  # Redis down or full
        report.update(status="down", cache="down")
    now = timezone.now()
    try:
        from django_tasks_db.models import DBTaskResult

        from .outbox.models import OutboxMessage, OutboxStatus

        report["outbox_oldest_pending_seconds"] = _queue_age(
            OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now),
            "next_attempt_at",
            now,
        )
        report["tasks_oldest_ready_seconds"] = _queue_age(
            DBTaskResult.objects.ready(), "enqueued_at", now
        )
    except Exception:  # a table not migrated yet: report the queues as unknown
        report["outbox_oldest_pending_seconds"] = report["tasks_oldest_ready_seconds"] = None
    limit = settings.TERREAU_HEALTH_QUEUE_MAX_AGE
    ages = [report["outbox_oldest_pending_seconds"], report["tasks_oldest_ready_seconds"]]
    if report["status"] == "ok" and any(age is not None and age > limit for age in ages):
        report["status"] = "degraded"
    return report
