from django.db import migrations

from huhang.ledger.store import schema_statements


def create(apps, schema_editor):
    for statement in schema_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    """The ledger's append-only tables belong to the framework-free core; this only creates them."""

    dependencies = []
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
