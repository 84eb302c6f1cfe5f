"""The audit log becomes append-only in the database (see ``audit/triggers.py``).

The actor's foreign key no longer sets itself to NULL when the account is
deleted: that UPDATE would be refused by the triggers. ``actor_label`` keeps
who it was, and without a database constraint the dangling id is harmless.
"""

from django.conf import settings
from django.db import migrations, models

from innoclub.audit import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=models.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.RunPython(install, remove, elidable=False),
    ]
