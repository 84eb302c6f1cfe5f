"""The full-text index of each database, behind one small interface.

SQLite: an FTS5 table ``search_fts`` whose rowid is the document's id, with
one column per kind of term (``analysis.py``) and BM25 ranking. PostgreSQL: the
``vector`` column of the document row (a ``tsvector``: every term of title,
summary and text and the ends of compounds as marked lexemes, without
positions or weights) with a GIN index for matching, and the small ``head``
(title and summary, weighted) ranked by ``ts_rank``. Both receive terms analysed in Python, so
both match exactly the same documents; PostgreSQL's ``simple`` configuration
stores the terms as given (the Snowball German stemming PostgreSQL's
``german`` configuration would do has already happened, plus what it lacks:
folding, gender forms, compound ends).

A query reaches a backend as a ``Match``: per query word the alternatives in
three strengths. ``strict``: the stem in title, summary or text. ``exact``:
the folded word itself. ``loose``: the stem as the end of a compound, a
compound's parts written apart, a prefix of the stem, names one typo away. A document matches when
every word matches loosely; it ranks in the upper tier when every word matches
strictly.

Ranking comes in two parts (``Part``), so that a broad query need not score
every match: ``HEAD``, the documents with every word's stem in their title or
summary, rank first; ``REST``, all other matches, after them. A first page of
a broad query is filled from the head alone, which is a small share of the
matches (query.py, ``_page``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import Case, F, FloatField, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from innoclub.search import vectors
from innoclub.search.analysis import Terms

# SQLite's page cache during a rebuild (KiB): room for the FTS5 segments it merges.
BULK_CACHE_KIB = 256 * 1024

# Relative weights: title above summary above text; the exact folded word adds
# to its column's stem; the end of a compound counts least.
TITLE, SUMMARY, BODY, EXACT, ENDS = 10.0, 4.0, 1.0, 6.0, 0.5


@dataclass(frozen=True)
class WordMatch:
    stem: str
    word: str
    prefix: bool
    # Search the stem backwards among the ends of compounds.
    ending: str
    splits: tuple[tuple[str, str], ...]
    typos: tuple[str, ...]  # stems of names one edit away


@dataclass(frozen=True)
class Match:
    words: tuple[WordMatch, ...]
    # Any word suffices (the fallback when no document has them all).
    any_word: bool = False


class Part(Enum):
    """Which matches a ranked query returns (see the module's docstring)."""

    HEAD = "head"
    REST = "rest"


@dataclass(frozen=True)
class IndexRow:
    document_id: int
    title: Terms
    summary: Terms
    body: Terms
    # What the backend's ``prepare`` made of the terms, if it was made before.
    prepared: tuple[str, ...] = ()


def _quote(term: str) -> str:
    # Terms are [a-z0-9] only (analysis.words); quoting keeps FTS5 from reading
    # a term such as "and" or "near" as an operator.
    return f'"{term}"'


class SQLiteBackend:
    vendor = "sqlite"

    # Nothing to prepare beyond the terms (cf. ``PostgreSQLBackend.prepare``).
    prepare = None

    def write(self, rows: Sequence[IndexRow]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_fts WHERE rowid = %s", [(row.document_id,) for row in rows]
            )
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, summary, body, exact, ends) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (
                        row.document_id,
                        row.title.stems,
                        row.summary.stems,
                        row.body.stems,
                        f"{row.title.exact} {row.summary.exact}",
                        f"{row.title.ends} {row.summary.ends} {row.body.ends}",
                    )
                    for row in rows
                ],
            )

    def insert(
        self,
        columns: Sequence[str],
        documents: Sequence[tuple[Any, ...]],
        texts: Sequence[tuple[int, str, str]],
        rows: Sequence[IndexRow],
    ) -> None:
        """A rebuild's new documents: their rows (``columns``), texts and index entries."""
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO search_searchdocument ({', '.join(columns)}) "  # noqa: S608 - our names
                f"VALUES ({', '.join(['%s'] * len(columns))})",
                documents,
            )
            cursor.executemany(
                "INSERT INTO search_searchtext (document_id, summary, body) VALUES (%s, %s, %s)",
                texts,
            )
        self.write(rows)

    def delete(self, document_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk in document_ids]
            )

    def empty(self, tables: Sequence[str]) -> None:
        """Plain DELETEs (SQLite truncates a table deleted whole); the ORM's
        cascade would first read every row."""
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our table names

    def clear(self) -> None:
        """The table dropped and created again, as it was defined: deleting its
        rows would read each one back (3 s for 100,000 documents)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
            (definition,) = cursor.fetchone()
            cursor.execute("DROP TABLE search_fts")
            cursor.execute(definition)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A rebuild writes hundreds of megabytes into the FTS5 table, whose
        merges read fresh segments back; with SQLite's page cache of 2 MB they
        come from the file again and again. Larger for the rebuild, then as before."""
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            (before,) = cursor.fetchone()
            cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")  # negative: KiB
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")

    @contextmanager
    def planning(self) -> Iterator[None]:
        yield

    @staticmethod
    def _expression(match: Match, *, strict: bool) -> str:
        groups = []
        for word in match.words:
            if strict:
                groups.append("{title summary body} : " + _quote(word.stem))
                continue
            options = [_quote(word.stem), _quote(word.word)]
            if word.ending:
                options.append(f"ends : {_quote(word.ending)} *")
            if word.prefix:
                options.append(_quote(word.stem) + " *")
            options += [f"({_quote(head)} AND {_quote(tail)})" for head, tail in word.splits]
            options += [_quote(stem) for stem in word.typos]
            groups.append("(" + " OR ".join(options) + ")")
        return (" OR " if match.any_word else " AND ").join(groups)

    @staticmethod
    def _head(match: Match) -> str:
        # The exact word adds nothing to the matches (its stem is in title or
        # summary then), but to bm25(): an exact match ranks above a stemmed one.
        groups = [
            f"({{title summary}} : {_quote(word.stem)} OR exact : {_quote(word.word)})"
            for word in match.words
        ]
        return "(" + (" OR " if match.any_word else " AND ").join(groups) + ")"

    def filter(self, documents: QuerySet[Any], match: Match) -> QuerySet[Any]:
        return documents.filter(
            id__in=RawSQL(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
                [self._expression(match, strict=False)],
            )
        )

    def ranked(self, documents: QuerySet[Any], match: Match, part: Part) -> QuerySet[Any]:
        """``documents`` narrowed to the matches of ``part``, with the alias
        ``score`` and, for the rest, ``tier`` (the head is all upper tier).

        Both are higher for better matches. Aliases, not annotations: they are
        computed once, in ORDER BY, and never sent back.
        """
        head = self._head(match)
        # Every word's stem in title or summary: the head is all in the upper tier.
        expression = (
            head if part is Part.HEAD else f"({self._expression(match, strict=False)}) NOT {head}"
        )
        # bm25() needs the FTS table in the same SELECT; Django cannot join a
        # virtual table, so extra() names it. Everything user-made is a parameter.
        documents = documents.extra(
            tables=["search_fts"],
            where=["search_fts.rowid = search_searchdocument.id", "search_fts MATCH %s"],
            params=[expression],
        ).alias(
            # bm25() is lower for better matches; negated so that higher is better.
            score=RawSQL(  # noqa: S611 - constant SQL
                f"-bm25(search_fts, {TITLE}, {SUMMARY}, {BODY}, {EXACT}, {ENDS})",
                [],
                output_field=FloatField(),
            ),
        )
        if part is Part.HEAD:
            return documents
        within = "search_fts.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
        untyped = _without_typos(match)
        sql, params = f"CASE WHEN {within} THEN 2", [self._expression(match, strict=True)]
        if untyped is not None:
            sql += f" WHEN {within} THEN 1 ELSE 0 END"
            params.append(self._expression(untyped, strict=False))
        else:
            sql += " ELSE 1 END"
        # Constant SQL; every term is a parameter.
        return documents.alias(tier=RawSQL(sql, params, output_field=IntegerField()))  # noqa: S611


class PostgreSQLBackend:
    """The ends of compounds are lexemes of their own, each behind ``MARK``, not
    a weight: a query without weights is answered by the GIN index alone,
    while a weight sends every candidate row back to be checked, which
    unpacks its whole vector (then 6 KB on average; 300 ms for 45,000
    matches instead of 30). For the same reason the planner is told to prefer the
    index (``planning``): it cannot know what unpacking costs and would scan
    the table for a broad query.
    """

    vendor = "postgresql"
    MARK = vectors.MARK

    # ``head`` (title, summary, the title's compound ends) ranks; ``vector``
    # (everything) matches. Ranking reads the small one: ts_rank over the whole
    # text would unpack every long vector among the matches. ``{title}`` and so
    # on stand for the SQL of each value.
    HEAD = (
        "setweight(to_tsvector('simple', {title}), 'A') || "
        "setweight(to_tsvector('simple', {summary}), 'B') || "
        "setweight(to_tsvector('simple', {title_ends}), 'D')"
    )
    # The set of terms, without positions or weights: matching asks for neither
    # (no phrases, no weights, see the class), and without them a vector is a
    # third smaller and written without PostgreSQL's text parser, three times
    # faster. Older vectors, with positions, match the same (migration 0004).
    VECTOR = "array_to_tsvector(string_to_array({terms}, ' '))"

    def write(self, rows: Sequence[IndexRow]) -> None:
        if not rows:
            return
        values = ", ".join(["(%s::bigint, %s, %s, %s, %s)"] * len(rows))
        params: list[Any] = []
        for row in rows:
            params += [row.document_id, *self.row_values(row)]
        head = self.HEAD.format(title="v.title", summary="v.summary", title_ends="v.title_ends")
        vector = self.VECTOR.format(terms="v.terms")
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE search_searchdocument AS d SET head = {head}, vector = {vector} "  # noqa: S608
                f"FROM (VALUES {values}) AS v(id, title, summary, title_ends, terms) "
                "WHERE d.id = v.id",
                params,
            )

    # The texts of a row's vectors, from its terms; the rebuild's analysing
    # process prepares them (``IndexRow.prepared``).
    prepare = staticmethod(vectors.postgres_values)

    def row_values(self, row: IndexRow) -> tuple[str, ...]:
        """The texts of ``head`` (title, summary, the title's compound ends)
        and ``vector`` (every term)."""
        return row.prepared or self.prepare(row.title, row.summary, row.body)

    # The analysed texts beside a new row's columns while a rebuild inserts it.
    STAGED = ("title_terms", "summary_terms", "title_ends", "terms")

    def insert(
        self,
        columns: Sequence[str],
        documents: Sequence[tuple[Any, ...]],
        texts: Sequence[tuple[int, str, str]],
        rows: Sequence[IndexRow],
    ) -> None:
        """A rebuild's new documents, each row written once, with its vectors.

        COPY, the fastest way in, into a temporary table that holds the
        analysed texts beside the columns; then one INSERT … SELECT computes
        the vectors (``HEAD``, ``VECTOR``). Binding the hundreds of kilobytes
        of terms of a batch into INSERT statements cost the driver more than
        the database its work.
        """
        names = ", ".join(columns)
        staged = ", ".join(self.STAGED)
        head = self.HEAD.format(
            title="title_terms", summary="summary_terms", title_ends="title_ends"
        )
        with connection.cursor() as cursor:
            # Once per transaction (it goes with the commit), emptied after each use.
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS search_staging ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {names}, {', '.join(f'NULL::text AS {name}' for name in self.STAGED)} "
                "FROM search_searchdocument WITH NO DATA"
            )
            # Binary: no text to escape here and to parse there (hundreds of megabytes).
            cursor.execute(
                "SELECT atttypid FROM pg_attribute WHERE attrelid = 'search_staging'::regclass "
                "AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
            )
            types = [oid for (oid,) in cursor.fetchall()]
            with cursor.cursor.copy(
                f"COPY search_staging ({names}, {staged}) FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.set_types(types)
                for document, row in zip(documents, rows, strict=True):
                    copy.write_row((*document, *self.row_values(row)))
            cursor.execute(
                f"INSERT INTO search_searchdocument ({names}, head, vector) "  # noqa: S608
                f"SELECT {names}, {head}, {self.VECTOR.format(terms='terms')} FROM search_staging"
            )
            cursor.execute("TRUNCATE search_staging")
            with cursor.cursor.copy(
                "COPY search_searchtext (document_id, summary, body) FROM STDIN"
            ) as copy:
                for text in texts:
                    copy.write_row(text)

    def delete(self, document_ids: Sequence[int]) -> None:
        """The vector lives in the document row and goes with it."""

    def clear(self) -> None:
        """The vector lives in the document row and goes with it."""

    def empty(self, tables: Sequence[str]) -> None:
        """TRUNCATE, inside the rebuild's transaction like everything else: a
        DELETE would leave every old row behind, dead, for the inserts, the id
        lookups and the index builds to step over until a vacuum. TRUNCATE
        locks out readers until the commit, as dropping the indexes (``bulk``)
        does anyway; the transaction's deferred foreign-key checks run first,
        as TRUNCATE refuses to leave them pending."""
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    @contextmanager
    def planning(self) -> Iterator[None]:
        """The queries inside read the matches through the GIN indexes (see the class).

        One statement: the setting ends with the transaction, which is the
        search's own unless it runs inside another; then it is set back.
        """
        outer = connection.in_atomic_block
        with transaction.atomic(savepoint=False):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
            try:
                yield
            finally:
                if outer and not connection.needs_rollback:
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL enable_seqscan = on")

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Build the GIN index once at the end: several times faster than row by row.

        Dropping and creating an index is refused while the transaction has
        deferred foreign-key checks pending; they are run first, and deferred
        again afterwards as Django declares them.
        """
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("DROP INDEX IF EXISTS search_document_vector")
            cursor.execute("DROP INDEX IF EXISTS search_document_head")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)"
            )
            cursor.execute(
                "CREATE INDEX search_document_head ON search_searchdocument USING gin (head)"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("ANALYZE search_searchdocument")

    @classmethod
    def _expression(cls, match: Match, *, strict: bool) -> str:
        groups = []
        for word in match.words:
            if strict:
                groups.append(word.stem)
                continue
            options = [word.stem, word.word]
            if word.ending:
                options.append(f"{cls.MARK}{word.ending}:*")
            if word.prefix:
                options.append(f"{word.stem}:*")
            options += [f"({head} & {tail})" for head, tail in word.splits]
            options += list(word.typos)
            groups.append("(" + " | ".join(options) + ")")
        return (" | " if match.any_word else " & ").join(groups)

    def _query(self, match: Match, *, strict: bool) -> SearchQuery:
        return SearchQuery(
            self._expression(match, strict=strict), search_type="raw", config="simple"
        )

    @staticmethod
    def _head(match: Match) -> SearchQuery:
        # In ``head``, A is the title and B the summary.
        groups = [f"{word.stem}:AB" for word in match.words]
        expression = (" | " if match.any_word else " & ").join(groups)
        return SearchQuery(expression, search_type="raw", config="simple")

    def filter(self, documents: QuerySet[Any], match: Match) -> QuerySet[Any]:
        return documents.filter(vector=self._query(match, strict=False))

    def ranked(self, documents: QuerySet[Any], match: Match, part: Part) -> QuerySet[Any]:
        loose = self._query(match, strict=False)
        # Weights in the order D, C, B, A. A match in the text alone ranks 0.
        score = SearchRank(F("head"), loose, weights=[ENDS / TITLE, 0.0, SUMMARY / TITLE, 1.0])
        if part is Part.HEAD:
            # Read through the small ``head`` alone (its own GIN index): every
            # word's stem is in title or summary, so all of them are in the upper tier.
            return documents.filter(head=self._head(match)).alias(score=score)
        return (
            documents.filter(vector=loose)
            .exclude(head=self._head(match))
            .alias(tier=self._tier(documents.model, match), score=score)
        )

    def _tier(self, model: type[Any], match: Match) -> Case:
        """The rest's tiers (see ``_without_typos``), each read through the
        index as a set of ids: a test per row would unpack every vector."""

        def within(query: SearchQuery) -> Any:
            return model.objects.filter(vector=query).values("id")

        untyped = _without_typos(match)
        steps = [When(id__in=within(self._query(match, strict=True)), then=Value(2))]
        if untyped is not None:
            steps.append(When(id__in=within(self._query(untyped, strict=False)), then=Value(1)))
        default = Value(0 if untyped is not None else 1)
        return Case(*steps, default=default, output_field=IntegerField())


def _without_typos(match: Match) -> Match | None:
    """``match`` without the names one typo away; None when it has none.

    The tiers of the rest: 2 when every word matched by its stem, 1
    when every word matched without a typo (a compound part, a prefix), 0
    when only a name one typo away matched: "Weide" finds "Bienenweide"
    before news about the town of Heide.
    """
    if not any(word.typos for word in match.words):
        return None
    return replace(match, words=tuple(replace(word, typos=()) for word in match.words))


Backend = SQLiteBackend | PostgreSQLBackend


def backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    return SQLiteBackend()
