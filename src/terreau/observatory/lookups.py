"""Query helpers shared by the catalogue's filters and its full-text search."""

from django.db.models import F, Func, QuerySet
from django.db.models.lookups import In


class NotIndexed(Func):
    """A column that SQLite must not look up through its index: `+column` (a no-op elsewhere).

    SQLite's planner drives `id IN (subquery)` by the primary key: it reads every initiative
    row the subquery names (thousands for a common theme or word) to test the other filters.
    With `+id IN (subquery)` it walks the best index of those filters instead (the covering
    facets index) and tests membership in the subquery's materialised list.
    """

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra)


def pk_in_subquery(queryset: QuerySet, subquery) -> QuerySet:
    """`queryset.filter(pk__in=subquery)`, the subquery being the selective part on PostgreSQL
    and a membership test on SQLite (see NotIndexed)."""
    field = queryset.model._meta.pk
    return queryset.filter(In(NotIndexed(F("pk"), output_field=field), subquery))
