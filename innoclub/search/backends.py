"""The full-text index of each database, behind one small interface.

SQLite: an FTS5 table ``search_fts`` whose rowid is the document's id, with
one column per kind of term (``analysis.py``) and BM25 ranking. PostgreSQL: the
``vector`` column of the document row (a ``tsvector`` with weights A–D) with a
GIN index for matching, and the small ``head`` (title and summary) ranked by
``ts_rank``. Both receive terms analysed in Python, so
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
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from innoclub.search.analysis import Terms

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


@dataclass(frozen=True)
class IndexRow:
    document_id: int
    title: Terms
    summary: Terms
    body: Terms


def _quote(term: str) -> str:
    # Terms are [a-z0-9] only (analysis.words); quoting keeps FTS5 from reading
    # a term such as "and" or "near" as an operator.
    return f'"{term}"'


class SQLiteBackend:
    vendor = "sqlite"

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

    def delete(self, document_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk in document_ids]
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    @contextmanager
    def bulk(self) -> Iterator[None]:
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

    def filter(self, documents: QuerySet[Any], match: Match) -> QuerySet[Any]:
        return documents.filter(
            id__in=RawSQL(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
                [self._expression(match, strict=False)],
            )
        )

    def ranked(self, documents: QuerySet[Any], match: Match) -> QuerySet[Any]:
        """``documents`` narrowed to the matches, with the aliases ``tier`` and ``score``.

        Both are higher for better matches. Aliases, not annotations: they are
        computed once, in ORDER BY, and never sent back.
        """
        # bm25() needs the FTS table in the same SELECT; Django cannot join a
        # virtual table, so extra() names it. Everything user-made is a parameter.
        return documents.extra(
            tables=["search_fts"],
            where=["search_fts.rowid = search_searchdocument.id", "search_fts MATCH %s"],
            params=[self._expression(match, strict=False)],
        ).alias(
            tier=RawSQL(
                "search_fts.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
                [self._expression(match, strict=True)],
                output_field=IntegerField(),
            ),
            # bm25() is lower for better matches; negated so that higher is better.
            score=RawSQL(  # noqa: S611 - constant SQL
                f"-bm25(search_fts, {TITLE}, {SUMMARY}, {BODY}, {EXACT}, {ENDS})",
                [],
                output_field=FloatField(),
            ),
        )


class PostgreSQLBackend:
    vendor = "postgresql"

    # ``head`` (title, summary, the title's compound ends) ranks; ``vector``
    # (everything) matches. Ranking reads the small one: ts_rank over the whole
    # text would unpack every long vector among the matches.
    HEAD = (
        "setweight(to_tsvector('simple', v.title), 'A') || "
        "setweight(to_tsvector('simple', v.summary), 'B') || "
        "setweight(to_tsvector('simple', v.title_ends), 'D')"
    )
    VECTOR = (
        "setweight(to_tsvector('simple', v.title), 'A') || "
        "setweight(to_tsvector('simple', v.summary), 'B') || "
        "setweight(to_tsvector('simple', v.body), 'C') || "
        "setweight(to_tsvector('simple', v.ends), 'D')"
    )

    def write(self, rows: Sequence[IndexRow]) -> None:
        if not rows:
            return
        values = ", ".join(["(%s::bigint, %s, %s, %s, %s, %s)"] * len(rows))
        params: list[Any] = []
        for row in rows:
            params += [
                row.document_id,
                f"{row.title.stems} {row.title.exact}",
                f"{row.summary.stems} {row.summary.exact}",
                row.body.stems,
                row.title.ends,
                f"{row.title.ends} {row.summary.ends} {row.body.ends}",
            ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE search_searchdocument AS d SET head = {self.HEAD}, vector = {self.VECTOR} "  # noqa: S608
                f"FROM (VALUES {values}) AS v(id, title, summary, body, title_ends, ends) "
                "WHERE d.id = v.id",
                params,
            )

    def delete(self, document_ids: Sequence[int]) -> None:
        """The vector lives in the document row and goes with it."""

    def clear(self) -> None:
        """The vector lives in the document row and goes with it."""

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
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("ANALYZE search_searchdocument")

    @staticmethod
    def _expression(match: Match, *, strict: bool) -> str:
        groups = []
        for word in match.words:
            if strict:
                groups.append(f"{word.stem}:ABC")
                continue
            options = [word.stem, word.word]
            if word.ending:
                options.append(f"{word.ending}:*D")
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

    def filter(self, documents: QuerySet[Any], match: Match) -> QuerySet[Any]:
        return documents.filter(vector=self._query(match, strict=False))

    def ranked(self, documents: QuerySet[Any], match: Match) -> QuerySet[Any]:
        loose = self._query(match, strict=False)
        return documents.filter(vector=loose).alias(
            tier=Case(
                When(vector=self._query(match, strict=True), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            # Weights in the order D, C, B, A. A match in the text alone ranks 0.
            score=SearchRank(F("head"), loose, weights=[ENDS / TITLE, 0.0, SUMMARY / TITLE, 1.0]),
        )


Backend = SQLiteBackend | PostgreSQLBackend


def backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    return SQLiteBackend()
