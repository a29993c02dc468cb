"""The database router for a read replica (DATABASE_REPLICA_URL), for the public pages and
exports: reads go to the replica only while `ReplicaMiddleware` serves a request that nothing
personal can depend on — a GET or HEAD of a visitor who sends no cookie but the CSRF one (the
page cache's test, `pagecache.anonymous_and_plain`). Everything else reads the primary:
signed-in people, staff pages, forms sent, the worker, commands, and any read inside a
transaction (a read that must see the write it follows). Writes and migrations stay on default.

Replication lag cannot hide a visitor's own write: a request that changes something (POST, …)
sets a short-lived cookie (`PIN_COOKIE`, PIN_SECONDS) under which the same browser reads the
primary for the next few seconds (the confirmation page after a registration, say)."""

import contextvars

from django.conf import settings
from django.db import connections

from .pagecache import anonymous_and_plain

PIN_COOKIE = "terreau_primary"
PIN_SECONDS = 30
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_replica_allowed = contextvars.ContextVar("terreau_replica_allowed", default=False)


def has_replica() -> bool:
    return "replica" in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _replica_allowed.get() or connections["default"].in_atomic_block:
            return "default"
        return "replica"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Let the router use the replica for the requests it may serve (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not has_replica():
            return self.get_response(request)
        token = _replica_allowed.set(anonymous_and_plain(request))
        try:
            response = self.get_response(request)
        finally:
            _replica_allowed.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
