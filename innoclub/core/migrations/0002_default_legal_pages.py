from django.db import migrations


def create_pages(apps, schema_editor):
    from innoclub.core.legal_texts import DEFAULTS

    LegalPage = apps.get_model("core", "LegalPage")
    for slug, (title, body) in DEFAULTS.items():
        LegalPage.objects.get_or_create(slug=slug, defaults={"title": title, "body": body})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
