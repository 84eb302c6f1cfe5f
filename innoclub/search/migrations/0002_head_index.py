"""PostgreSQL: a GIN index on ``head`` (title and summary), so that the first
part of the ranking reads the small vectors alone (backends.py, ``Part``)."""

from django.db import migrations


def create_head_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_document_head "
            "ON search_searchdocument USING gin (head)"
        )


def drop_head_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_head")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create_head_index, drop_head_index)]
