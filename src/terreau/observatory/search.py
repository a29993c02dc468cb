"""Full-text search of initiatives, the same on PostgreSQL and SQLite.

What is searched: title, summary, description and lessons learned, accent- and case-insensitive,
French word forms reduced to their stem ("participatif" finds "participative", "elus" finds
"élus"). A document matches when it holds every searchable word of the query (stop words are
dropped; punctuation, quotes and operators are ignored, so any input is a valid query).

PostgreSQL: a `search_vector` tsvector column (title weight A, summary B, the rest C) computed by
a trigger with the `french_unaccent` configuration, a GIN index, `plainto_tsquery`, `ts_rank`.
SQLite: the FTS5 table `observatory_initiative_fts` (tokenizer unicode61 remove_diacritics 2)
holding the stems that `terreau.core.textsearch.index_text` computes, filled by triggers through
the SQL function `terreau_search_text` registered on every connection; ranked by bm25.

Because triggers do the indexing, every write keeps the index current: services, the admin, the
import, `bulk_create`, `QuerySet.update`. `search_index_update(initiative)` re-indexes one
initiative explicitly (services call it after writes that bypass the ORM's table, it is cheap and
idempotent) and `search_index_rebuild()` re-indexes everything. SQLite drops a table's triggers
when Django rebuilds the table in a migration, so `sqlite_ensure_schema` runs after every
`migrate` (post_migrate) and re-creates what is missing.
"""

import html

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import connection as default_connection
from django.db.models import Expression, Lookup, QuerySet
from django.db.models.expressions import RawSQL

from terreau.core import textsearch

from .lookups import pk_in_subquery
from .models import Initiative, InitiativeSearchEntry

SEARCH_FUNCTION = "terreau_search_text"

POSTGRESQL_SCHEMA = [
    "CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = pg_catalog.french)",
    "ALTER TEXT SEARCH CONFIGURATION french_unaccent "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
    "ALTER TABLE observatory_initiative ADD COLUMN search_vector tsvector",
    """
    CREATE FUNCTION observatory_initiative_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('french_unaccent', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('french_unaccent', coalesce(NEW.summary, '')), 'B') ||
        setweight(to_tsvector('french_unaccent',
                  coalesce(NEW.description, '') || ' ' || coalesce(NEW.lessons, '')), 'C');
      RETURN NEW;
    END
    $$
    """,
    "CREATE TRIGGER observatory_initiative_search_vector BEFORE INSERT OR UPDATE OF "
    "title, summary, description, lessons ON observatory_initiative "
    "FOR EACH ROW EXECUTE FUNCTION observatory_initiative_search_vector()",
    "UPDATE observatory_initiative SET title = title",
    "CREATE INDEX observatory_initiative_search_gin ON observatory_initiative "
    "USING gin (search_vector)",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS observatory_initiative_search_vector ON observatory_initiative",
    "DROP FUNCTION IF EXISTS observatory_initiative_search_vector()",
    "ALTER TABLE observatory_initiative DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
]

# (term, initiative) indexes of the many-to-many tables the facets filter on (migration 0005):
# "the initiatives of these themes" read from the index alone.
TERM_TABLES = (
    ("observatory_initiative_themes", "theme_id"),
    ("observatory_initiative_facilitation_formats", "facilitationformat_id"),
    ("observatory_initiative_target_publics", "targetpublic_id"),
)
TERM_INDEX_NAMES = [f"{table}_term" for table, _column in TERM_TABLES]
TERM_INDEXES = [
    f"CREATE INDEX IF NOT EXISTS {table}_term ON {table} ({column}, initiative_id)"
    for table, column in TERM_TABLES
]

_SQLITE_VALUES = (
    f"new.id, {SEARCH_FUNCTION}(new.title), {SEARCH_FUNCTION}(new.summary), "
    f"{SEARCH_FUNCTION}(coalesce(new.description, '') || ' ' || coalesce(new.lessons, ''))"
)
SQLITE_SCHEMA = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS observatory_initiative_fts USING fts5("
    "title, summary, body, tokenize = 'unicode61 remove_diacritics 2')",
    # bm25 weights: a word in the title counts ten times one in the body, the summary five.
    "INSERT INTO observatory_initiative_fts(observatory_initiative_fts, rank) "
    "VALUES ('rank', 'bm25(10.0, 5.0, 1.0)')",
    "CREATE TRIGGER IF NOT EXISTS observatory_initiative_fts_insert AFTER INSERT ON "
    "observatory_initiative BEGIN INSERT INTO observatory_initiative_fts"
    f"(rowid, title, summary, body) VALUES ({_SQLITE_VALUES}); END",
    "CREATE TRIGGER IF NOT EXISTS observatory_initiative_fts_update AFTER UPDATE OF "
    "title, summary, description, lessons ON observatory_initiative BEGIN "
    "DELETE FROM observatory_initiative_fts WHERE rowid = old.id; "
    "INSERT INTO observatory_initiative_fts"
    f"(rowid, title, summary, body) VALUES ({_SQLITE_VALUES}); END",
    "CREATE TRIGGER IF NOT EXISTS observatory_initiative_fts_delete AFTER DELETE ON "
    "observatory_initiative BEGIN "
    "DELETE FROM observatory_initiative_fts WHERE rowid = old.id; END",
    # Also made by migration 0003_search; a table rebuild loses it on SQLite.
    "CREATE INDEX IF NOT EXISTS observatory_initiative_facets ON observatory_initiative "
    "(state, department_id, commune_id, scale, status, phase, participation_level, start_date)",
    # Also made by migration 0004_catalogue_fingerprint_index.
    "CREATE INDEX IF NOT EXISTS observatory_initiative_updated ON observatory_initiative "
    "(updated_at)",
    # Made by migration 0005_catalogue_indexes; a rebuild of those tables loses them.
    *TERM_INDEXES,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS observatory_initiative_fts_insert",
    "DROP TRIGGER IF EXISTS observatory_initiative_fts_update",
    "DROP TRIGGER IF EXISTS observatory_initiative_fts_delete",
    "DROP TABLE IF EXISTS observatory_initiative_fts",
]


class SearchVectorColumn(Expression):
    """PostgreSQL: the initiative table's `search_vector` column (made by the migration, not a
    model field), under whatever alias the query gives the table (subqueries rename it)."""

    output_field = SearchVectorField()

    def __init__(self, alias: str | None = None):
        super().__init__()
        self.alias = alias

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        clone = self.copy()
        clone.alias = self.alias or query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name(self.alias)}.search_vector", []


class Fts5Match(Lookup):
    """`document__match="…"`: an FTS5 MATCH on the table's hidden column."""

    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", (*lhs_params, *rhs_params)


InitiativeSearchEntry._meta.get_field("document").register_lookup(Fts5Match)


def register_sqlite_function(sender=None, connection=None, **kwargs) -> None:
    """connection_created receiver: give SQLite the Python function its triggers call."""
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_function(
            SEARCH_FUNCTION, 1, textsearch.index_text, deterministic=True
        )


def sqlite_ensure_schema(connection=None) -> None:
    """Create the FTS5 table and its triggers where they are missing (SQLite only)."""
    connection = connection or default_connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'observatory_initiative_fts'"
        )
        exists = cursor.fetchone()[0]
        for statement in SQLITE_SCHEMA:
            if exists and statement.startswith("INSERT"):
                continue
            cursor.execute(statement)


def ensure_schema_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver: SQLite loses triggers and extra indexes when a migration rebuilds
    the initiative table; put them back (and re-index if the triggers were gone)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('observatory_initiative', "
            "'observatory_initiative_fts')"
        )
        if cursor.fetchone()[0] < 2:  # migrated backwards, before the search index
            return
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'observatory_initiative_fts_%'"
        )
        complete = cursor.fetchone()[0] == 3
    sqlite_ensure_schema(connection)
    if not complete:
        search_index_rebuild(connection=connection)


def search_index_update(initiative: Initiative) -> None:
    """Re-index one initiative's text (title, summary, description, lessons learned).

    Triggers index every write already; this makes the intent explicit in services and repairs
    one row after raw writes. No other side effect.
    """
    connection = default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "DELETE FROM observatory_initiative_fts WHERE rowid = %s", [initiative.pk]
            )
            cursor.execute(
                "INSERT INTO observatory_initiative_fts(rowid, title, summary, body) "
                f"SELECT {_SQLITE_VALUES.replace('new.', '')} "
                "FROM observatory_initiative WHERE id = %s",
                [initiative.pk],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE observatory_initiative SET title = title WHERE id = %s", [initiative.pk]
            )


def search_index_rebuild(*, connection=None) -> None:
    """Re-index every initiative (after a bulk load that bypassed triggers, or a repair)."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM observatory_initiative_fts")
            cursor.execute(
                "INSERT INTO observatory_initiative_fts(rowid, title, summary, body) "
                f"SELECT {_SQLITE_VALUES.replace('new.', '')} FROM observatory_initiative"
            )
        elif connection.vendor == "postgresql":
            cursor.execute("UPDATE observatory_initiative SET title = title")


def ranks_in_database() -> bool:
    """PostgreSQL orders a search by relevance in the main query (`search_rank` annotation);
    SQLite asks its FTS5 table for the page's ids in rank order (`search_ranked_ids`)."""
    return default_connection.vendor == "postgresql"


def search_filter(queryset: QuerySet, query: str | None, *, membership: bool = False) -> QuerySet:
    """Initiatives of `queryset` matching `query`. A query without searchable words (only stop
    words, punctuation or emoji) does not filter; odd input never raises.

    PostgreSQL annotates `search_rank` (higher is better). SQLite filters with an uncorrelated
    `id IN (SELECT rowid … MATCH …)`: joining the FTS5 table would let SQLite's planner run the
    full-text query once per initiative. `membership`: other filters on the initiative's
    columns apply too, test the matches as a list (lookups.pk_in_subquery) while SQLite walks
    the index of those filters; otherwise it reads the (state, id) index by each match.
    """
    words = textsearch.query_words(query)
    if not words:
        return queryset.all()
    if ranks_in_database():
        query = SearchQuery(" ".join(words), config="french_unaccent", search_type="plain")
        return (
            queryset.alias(search_vector=SearchVectorColumn())
            .filter(search_vector=query)
            .annotate(search_rank=SearchRank(SearchVectorColumn(), query))
        )
    matching = RawSQL(
        "SELECT rowid FROM observatory_initiative_fts WHERE observatory_initiative_fts MATCH %s",
        [textsearch.fts5_query(textsearch.query_terms(query))],
    )
    return pk_in_subquery(queryset, matching) if membership else queryset.filter(pk__in=matching)


def _ranked_sql(queryset: QuerySet, query: str, select: str, tail: str = ""):
    """SQLite: `select` over the FTS5 matches of `query` among the ids of `queryset`, or None
    when `queryset` is empty by construction. FTS5 drives the query (one MATCH); the unary `+`
    keeps it from probing the full-text index once per candidate id."""
    try:
        inner, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # an invalid filter gave queryset.none(): nothing to rank
        return None
    sql = (
        f"SELECT {select} FROM observatory_initiative_fts "
        "WHERE observatory_initiative_fts MATCH %s "
        f"AND +rowid IN ({inner}) {tail}"
    )
    return sql, [textsearch.fts5_query(textsearch.query_terms(query)), *params]


def search_ranked_ids(queryset: QuerySet, query: str, *, offset: int, limit: int) -> list[int]:
    """SQLite: the ids of `queryset` matching `query`, in relevance order, one page of them.
    `queryset` may be filtered on the search already or not (it need not be: the cheaper)."""
    ranked = _ranked_sql(
        queryset,
        query,
        "rowid",
        # bm25() in the ORDER BY (not the `rank` column): scored after the filter, so only
        # the candidates that pass it are scored. Same weights as the table's rank.
        "ORDER BY bm25(observatory_initiative_fts, 10.0, 5.0, 1.0), rowid LIMIT %s OFFSET %s",
    )
    if ranked is None:
        return []
    sql, params = ranked
    with default_connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [row[0] for row in cursor.fetchall()]


def search_count(queryset: QuerySet, query: str) -> int:
    """SQLite: how many initiatives of `queryset` (not filtered on the search) match `query`,
    read from the full-text index."""
    counted = _ranked_sql(queryset, query, "count(*)")
    if counted is None:
        return 0
    with default_connection.cursor() as cursor:
        cursor.execute(*counted)
        return cursor.fetchone()[0]


def search_title(initiative: Initiative, query: str | None) -> str:
    """The title as escaped HTML, the query's words in <mark>."""
    terms = textsearch.query_terms(query)
    marked = textsearch.highlight(initiative.title, terms, length=10_000) if terms else ""
    return marked or html.escape(initiative.title)


def search_excerpt(initiative: Initiative, query: str | None) -> str:
    """An HTML-safe excerpt of the initiative's text with the query's words in <mark>: from the
    summary, else the description, else the lessons; empty when nothing matches."""
    terms = textsearch.query_terms(query)
    if not terms:
        return ""
    for text in (initiative.summary, initiative.description, initiative.lessons):
        excerpt = textsearch.highlight(textsearch.strip_markdown(text), terms)
        if excerpt:
            return excerpt
    return ""
