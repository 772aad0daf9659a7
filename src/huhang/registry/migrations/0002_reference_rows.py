from django.db import migrations

from huhang.registry.reference import load_reference_rows


def load(apps, schema_editor):
    load_reference_rows(apps.get_model("registry", "District"), apps.get_model("registry", "Industry"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
