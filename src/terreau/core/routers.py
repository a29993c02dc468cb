"""The database router for a read replica (DATABASE_REPLICA_URL): reads go to the replica,
except inside a transaction on default (a read that must see the write it follows); writes and
migrations stay on default."""

from django.db import connections


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if connections["default"].in_atomic_block:
            return "default"
        return "replica"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
