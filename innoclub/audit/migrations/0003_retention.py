"""Entries older than ``triggers.KEPT_AT_LEAST_DAYS`` may be deleted, so that the
retention period can be kept; the triggers are replaced by that version."""

from django.db import migrations

from innoclub.audit import triggers


def reinstall(apps, schema_editor):
    triggers.remove(schema_editor.connection)
    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop, elidable=False)]
