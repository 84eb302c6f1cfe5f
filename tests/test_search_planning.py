"""PostgreSQL's side of the index: compound ends as marked lexemes (migration
0003 rewrites older vectors), new vectors without positions (migration 0004
leaves older ones, which match the same) and the planner told to read matches through the GIN index, set
back afterwards. On SQLite the same calls change nothing."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection

from innoclub.search.backends import backend
from innoclub.search.documents import Document
from innoclub.search.index import index_documents
from innoclub.search.models import SearchDocument
from innoclub.search.query import search
from tests.test_search_pages import put

pytestmark = pytest.mark.django_db

marking = importlib.import_module("innoclub.search.migrations.0003_marked_compound_ends")
positionless = importlib.import_module("innoclub.search.migrations.0004_vectors_without_positions")


def _lexemes() -> dict[str, str]:
    """Lexeme -> weights of the one document's vector (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, array_to_string(weights, '') FROM search_searchdocument, unnest(vector)"
        )
        return dict(cursor.fetchall())


def _compression() -> str:
    """How new vectors are compressed: "l" LZ4, "" the server's default (pglz)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attcompression FROM pg_attribute "
            "WHERE attrelid = 'search_searchdocument'::regclass AND attname = 'vector'"
        )
        return str(cursor.fetchone()[0])


def _titles(query: str) -> list[str]:
    return [hit.url for hit in search(query, user=AnonymousUser()).hits]


def test_older_vectors_are_rewritten_so_that_parts_still_find_compounds():
    put("Wärmepumpe im Rathaus")
    [url] = _titles("Pumpe")
    written = _lexemes() if connection.vendor == "postgresql" else {}
    # What a migration's schema editor offers it (a real one cannot open inside a test on SQLite).
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)

    # Back to the vectors before 0003: weights again (0004 reversed), ends unmarked.
    positionless.weigh_vectors(None, editor)
    marking.unmark_ends(None, editor)
    # The migrations write vectors in SQL, not through the index: no search kept
    # from before may answer for the old vectors (nor, below, the new ones).
    cache.clear()
    if connection.vendor == "postgresql":
        assert _compression() == ""
        assert _lexemes()["pmupemraw"] == "D"
        assert not any(lexeme.startswith("zz") for lexeme in _lexemes())
        assert _titles("Pumpe") == []  # the marked query finds no old vector

    marking.mark_ends(None, editor)
    cache.clear()

    if connection.vendor == "postgresql":
        lexemes = _lexemes()
        assert "zzpmupemraw" in lexemes
        assert "pmupemraw" not in lexemes
        assert set(lexemes["rathaus"]) == {"C"}  # the other terms keep their weight
    assert _titles("Pumpe") == [url]

    # 0004 leaves the older vectors (with positions and weights) as they are:
    # they match the same, until the next write of each (or a rebuild).
    positionless.compress_with_lz4(None, editor)
    cache.clear()
    assert _titles("Pumpe") == [url]
    assert _titles("Rathaus") == [url]
    row = SearchDocument.objects.get()
    index_documents(
        [
            Document(
                kind=row.kind,
                object_id=row.object_id,
                audience=row.audience,
                title=row.title,
                url=url,
            )
        ]
    )
    if connection.vendor == "postgresql":
        # LZ4 where the server has it (Debian's builds do).
        assert _compression() == ("l" if positionless.has_lz4(editor) else "")
        # Exactly what the index writes now: every term once, without weights.
        assert _lexemes() == written
        assert set(written.values()) == {None}
        assert {"rathaus", "warmepump", "waermepumpe", "zzpmupemraw"} <= set(written)
    assert _titles("Pumpe") == [url]
    assert _titles("Wärmepumpe") == [url]
    assert SearchDocument.objects.count() == 1


def test_the_planner_setting_ends_with_the_search():
    put("Wärmepumpe im Rathaus")

    with connection.cursor() as cursor:
        with backend().planning():
            if connection.vendor == "postgresql":
                cursor.execute("SHOW enable_seqscan")
                assert cursor.fetchone() == ("off",)
        search("Wärmepumpe", user=AnonymousUser())

        if connection.vendor == "postgresql":
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone() == ("on",)
    assert _titles("Wärmepumpe")
