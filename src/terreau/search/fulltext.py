"""Full text of the site-wide index, on the observatory's search layer: the same
`french_unaccent` configuration on PostgreSQL, the same FTS5 stems (`terreau_search_text`,
core.textsearch) on SQLite, so both databases find the same documents for a query.

PostgreSQL: a `search_vector` column (title A, summary B, body C) set by a trigger, GIN index.
SQLite: an FTS5 table `search_document_fts` kept by triggers. SQLite drops a table's triggers
when a migration rebuilds it: `ensure_schema_after_migrate` puts them back.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection as default_connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

from terreau.core import textsearch
from terreau.observatory.search import SEARCH_FUNCTION, SearchVectorColumn

TABLE = "search_searchdocument"
FTS = "search_document_fts"

POSTGRESQL_SCHEMA = [
    f"ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector",
    f"""
    CREATE FUNCTION {TABLE}_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('french_unaccent', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('french_unaccent', coalesce(NEW.summary, '')), 'B') ||
        setweight(to_tsvector('french_unaccent', coalesce(NEW.body, '')), 'C');
      RETURN NEW;
    END
    $$
    """,
    f"CREATE TRIGGER {TABLE}_vector BEFORE INSERT OR UPDATE OF title, summary, body ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_vector()",
    f"CREATE INDEX {TABLE}_gin ON {TABLE} USING gin (search_vector)",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_vector ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_vector()",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
]
_VALUES = (
    f"new.id, {SEARCH_FUNCTION}(new.title), {SEARCH_FUNCTION}(new.summary), "
    f"{SEARCH_FUNCTION}(new.body)"
)
SQLITE_SCHEMA = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(title, summary, body, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_insert AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, title, summary, body) VALUES ({_VALUES}); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_update AFTER UPDATE OF title, summary, body ON {TABLE} "
    f"BEGIN DELETE FROM {FTS} WHERE rowid = old.id; "
    f"INSERT INTO {FTS}(rowid, title, summary, body) VALUES ({_VALUES}); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_delete AFTER DELETE ON {TABLE} BEGIN "
    f"DELETE FROM {FTS} WHERE rowid = old.id; END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TABLE IF EXISTS {FTS}",
]


def create_schema(connection) -> None:
    with connection.cursor() as cursor:
        statements = POSTGRESQL_SCHEMA if connection.vendor == "postgresql" else SQLITE_SCHEMA
        for statement in statements:
            cursor.execute(statement)


def drop_schema(connection) -> None:
    with connection.cursor() as cursor:
        statements = POSTGRESQL_DROP if connection.vendor == "postgresql" else SQLITE_DROP
        for statement in statements:
            cursor.execute(statement)


def ensure_schema_after_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM sqlite_master WHERE name IN ('{TABLE}', '{FTS}')")
        if cursor.fetchone()[0] < 2:
            return
        cursor.execute(
            f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '{FTS}_%'"
        )
        complete = cursor.fetchone()[0] == 3
    create_schema(connection)
    if not complete:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS}")
            cursor.execute(
                f"INSERT INTO {FTS}(rowid, title, summary, body) "
                f"SELECT {_VALUES.replace('new.', '')} FROM {TABLE}"
            )


def match(queryset: QuerySet, query: str) -> QuerySet:
    """Documents of `queryset` holding every searchable word of `query` (French stems, accents
    and case ignored). A query without searchable words matches nothing. On PostgreSQL they
    are annotated with `search_rank` (higher is better); `ranked_page` orders them on both.

    SQLite filters with an uncorrelated `id IN (SELECT rowid … MATCH …)`, as the observatory's
    search does: a rank in a correlated subquery would run the full-text query once per
    matching document (quadratic for a common word)."""
    words = textsearch.query_words(query)
    if not words:
        return queryset.none()
    if default_connection.vendor == "postgresql":
        tsquery = SearchQuery(" ".join(words), config="french_unaccent", search_type="plain")
        return (
            queryset.alias(search_vector=SearchVectorColumn())
            .filter(search_vector=tsquery)
            .annotate(search_rank=SearchRank(SearchVectorColumn(), tsquery))
        )
    terms = textsearch.fts5_query(textsearch.query_terms(query))
    matching = RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [terms])
    return queryset.filter(pk__in=matching)


RANKED = (F("search_rank").desc(), F("date").desc(nulls_last=True), "pk")
# The same order on SQLite: bm25 (lower is better) with weights title 10, summary 5, text 1.
SQLITE_SCORE = f"bm25({FTS}, 10.0, 5.0, 1.0)"


def _sqlite_then(table: str) -> str:
    """After the score: the newest first (undated last), then the id."""
    return f"{table}.date IS NULL, {table}.date DESC, {table}.id"


def ranked_page(queryset: QuerySet, query: str, *, offset: int, limit: int, fields=()) -> list:
    """One page of `queryset` (documents already matched by `match`), best first: relevance,
    then the newest, then the id — the same order on both databases (bm25 with weights title
    10, summary 5, text 1 on SQLite; ts_rank with weights A, B, C on PostgreSQL).

    SQLite: the FTS5 table drives the query (MATCH, ordered by bm25 after the filter, so only
    the candidates that pass it are scored); the unary `+` keeps it from probing the full-text
    index once per candidate."""
    if default_connection.vendor == "postgresql":
        return list(queryset.only(*fields).order_by(*RANKED)[offset : offset + limit])
    terms = textsearch.query_terms(query)
    if not terms:
        return []
    try:
        inner, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # queryset.none(): nothing to rank
        return []
    model = queryset.model
    names = [model._meta.pk.column, *(model._meta.get_field(name).column for name in fields)]
    columns = ", ".join(f"ranked.{name}" for name in names)
    # One query, as on PostgreSQL: the page's documents come with their ranking.
    return list(
        model.objects.raw(
            f"SELECT {columns} FROM {FTS} JOIN {TABLE} AS ranked ON ranked.id = {FTS}.rowid "
            f"WHERE {FTS} MATCH %s AND +{FTS}.rowid IN ({inner}) "
            f"ORDER BY {SQLITE_SCORE}, {_sqlite_then('ranked')} LIMIT %s OFFSET %s",
            [textsearch.fts5_query(terms), *params, limit, offset],
        )
    )


def ranked_groups(queryset: QuerySet, query: str, *, per_kind: int, fields=()) -> dict:
    """Every kind's count and best `per_kind` documents of `queryset` (documents *not yet*
    matched: the facets only) holding every word of `query` (`kind → (count, [documents])`),
    in `ranked_page`'s order, in two queries: one pass over the full-text index ranks every
    match once on narrow rows (id, kind, rank, date — window functions give each its number
    within its kind and its kind's count), then the fields of the best ones are read. The
    results page of every kind then scores the matches once, not once per kind."""
    top = _best_per_kind(queryset, query, per_kind)
    if not top:
        return {}
    documents = queryset.model.objects.only("kind", *fields).in_bulk([pk for pk, *_ in top])
    groups: dict = {}
    for pk, kind, total in top:  # by kind, then rank
        if pk in documents:  # not re-indexed away between the two queries
            groups.setdefault(kind, (total, []))[1].append(documents[pk])
    return groups


def _best_per_kind(queryset: QuerySet, query: str, per_kind: int) -> list[tuple]:
    """(id, kind, the kind's count) of each kind's best `per_kind` matches, by kind then rank."""
    if default_connection.vendor == "postgresql":
        from django.db.models import Count, RowRange, Window
        from django.db.models.functions import RowNumber

        # One window (one sort) for both: the number in rank order, the count over the whole kind.
        def by_kind(expression):
            return Window(
                expression,
                partition_by=F("kind"),
                order_by=RANKED,
                frame=RowRange(start=None, end=None),
            )

        return list(
            match(queryset, query)
            .annotate(position=by_kind(RowNumber()), total=by_kind(Count("pk")))
            .filter(position__lte=per_kind)
            .order_by("kind", "position")
            .values_list("pk", "kind", "total")
        )
    terms = textsearch.query_terms(query)
    if not terms or not textsearch.query_words(query):
        return []
    try:
        kept, params = queryset.order_by().values("id", "kind", "date").query.sql_with_params()
    except EmptyResultSet:
        return []
    with default_connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, kind, total FROM (SELECT kept.id, kept.kind, "
            "ROW_NUMBER() OVER kind_rank AS position, COUNT(*) OVER kind_rank AS total "
            f"FROM (SELECT rowid, {SQLITE_SCORE} AS score FROM {FTS} "
            f"WHERE {FTS} MATCH %s) AS matches "
            f"JOIN ({kept}) AS kept ON kept.id = matches.rowid "
            # One sort for both: the count over the whole kind, the number in rank order.
            "WINDOW kind_rank AS (PARTITION BY kept.kind ORDER BY matches.score, "
            f"{_sqlite_then('kept')} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
            ") WHERE position <= %s ORDER BY kind, position",
            [textsearch.fts5_query(terms), *params, per_kind],
        )
        return cursor.fetchall()
