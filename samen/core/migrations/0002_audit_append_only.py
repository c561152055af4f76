"""Make the audit log append-only in the database itself (see ``samen/core/db_triggers.py``).

Anyone who can drop these triggers can still tamper; the hash chain (``manage.py verify_audit_log``)
then reports it.
"""

from django.db import migrations

from samen.core.db_triggers import install_audit_triggers, remove_audit_triggers


def forward(apps, schema_editor):
    install_audit_triggers(schema_editor.connection)


def backward(apps, schema_editor):
    remove_audit_triggers(schema_editor.connection)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS core_auditentry_append_only();")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
