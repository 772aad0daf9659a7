from django.db import migrations

from huhang.ledger.store import schema_statements


def create(apps, schema_editor):
    # Idempotent: on a database created after this table joined the schema, 0001 made it already.
    for statement in schema_statements(schema_editor.connection.vendor, tables=("ledger_timestamp",)):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    """RFC 3161 time-stamps of checkpoints (append-only, like the other ledger tables)."""

    dependencies = [("evidence", "0002_evidence_and_events")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
