"""PostgreSQL's side of the index: compound ends as marked lexemes (migration
0003 rewrites older vectors) and the planner told to read matches through the
GIN index, set back afterwards. On SQLite the same calls change nothing."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection

from innoclub.search.backends import backend
from innoclub.search.models import SearchDocument
from innoclub.search.query import search
from tests.test_search_pages import put

pytestmark = pytest.mark.django_db

migration = importlib.import_module("innoclub.search.migrations.0003_marked_compound_ends")


def _lexemes() -> dict[str, str]:
    """Lexeme -> weights of the one document's vector (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, array_to_string(weights, '') FROM search_searchdocument, unnest(vector)"
        )
        return dict(cursor.fetchall())


def _titles(query: str) -> list[str]:
    return [hit.url for hit in search(query, user=AnonymousUser()).hits]


def test_older_vectors_are_rewritten_so_that_parts_still_find_compounds():
    put("Wärmepumpe im Rathaus")
    [url] = _titles("Pumpe")
    # What a migration's schema editor offers it (a real one cannot open inside a test on SQLite).
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)

    migration.unmark_ends(None, editor)  # back to weight D, as before 0003
    # The migration writes vectors in SQL, not through the index: no search kept
    # from before may answer for the old vectors (nor, below, the new ones).
    cache.clear()
    if connection.vendor == "postgresql":
        assert _lexemes()["pmupemraw"] == "D"
        assert not any(lexeme.startswith("zz") for lexeme in _lexemes())
        assert _titles("Pumpe") == []  # the marked query finds no old vector

    migration.mark_ends(None, editor)
    cache.clear()

    if connection.vendor == "postgresql":
        lexemes = _lexemes()
        assert "zzpmupemraw" in lexemes
        assert "pmupemraw" not in lexemes
        assert set(lexemes["rathaus"]) == {"A"}  # the title keeps its weight
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
