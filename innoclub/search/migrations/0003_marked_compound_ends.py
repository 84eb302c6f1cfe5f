"""PostgreSQL: the ends of compounds become marked lexemes instead of plain
ones told apart by weight D (backends.py, ``PostgreSQLBackend``), so that
matching needs no weights and the GIN index answers it alone.

The vectors are rewritten in place: the lexemes with weight D are the ends
(nothing else has that weight); they get the mark in front and keep weight D,
the other lexemes keep their weights A–C. ``head`` holds the title's ends the
same way. The reverse takes the mark off again.
"""

from django.db import migrations

MARK = "zz"


def _rewrite(column: str, end: str) -> str:
    """``column`` with every D lexeme replaced by ``end`` (an SQL expression of ``lexeme``)."""
    ends = f"(SELECT string_agg({end}, ' ') FROM unnest(ts_filter({column}, '{{d}}')))"
    return (
        f"{column} = ts_filter({column}, '{{a,b,c}}') "
        f"|| setweight(to_tsvector('simple', coalesce({ends}, '')), 'D')"
    )


def _run(schema_editor, end: str) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"UPDATE search_searchdocument SET {_rewrite('vector', end)}, "  # noqa: S608 - constants
            f"{_rewrite('head', end)} WHERE vector IS NOT NULL"
        )


def mark_ends(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, f"'{MARK}' || lexeme")


def unmark_ends(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, f"substr(lexeme, {len(MARK) + 1})")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_head_index")]

    operations = [migrations.RunPython(mark_ends, unmark_ends)]
