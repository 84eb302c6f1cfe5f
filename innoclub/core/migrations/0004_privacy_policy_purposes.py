import hashlib

from django.db import migrations

# SHA-256 of the privacy policy that migration 0002 wrote before the policy
# listed every processing purpose. A page still holding exactly that text was
# never edited by the operator and gets the new default; an edited page is
# left alone (the office compares it with the new default by hand).
PREVIOUS_DEFAULT = "9f18e9854d6936f3a4cc66fac3098c80cb9a454780adae7805d098cf89a3dc1b"


def update_unedited_policy(apps, schema_editor):
    from innoclub.core.legal_texts import DEFAULTS

    LegalPage = apps.get_model("core", "LegalPage")
    page = LegalPage.objects.filter(slug="datenschutz").first()
    if page is None:
        return
    if hashlib.sha256(page.body.encode()).hexdigest() == PREVIOUS_DEFAULT:
        page.body = DEFAULTS["datenschutz"][1]
        page.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("core", "0003_data_version")]

    operations = [migrations.RunPython(update_unedited_policy, migrations.RunPython.noop)]
