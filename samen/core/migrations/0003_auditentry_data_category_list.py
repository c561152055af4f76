"""Room for a list of data categories in one access entry (a page that shows several categories writes one
entry naming them all). The append-only triggers are taken off for the change and put back afterwards: on
SQLite the column change rebuilds the table, which would drop them."""

from django.db import migrations, models

from samen.core.db_triggers import install_audit_triggers, remove_audit_triggers


def triggers_off(apps, schema_editor):
    remove_audit_triggers(schema_editor.connection)


def triggers_on(apps, schema_editor):
    install_audit_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [
        migrations.RunPython(triggers_off, triggers_on),
        migrations.AlterField(
            model_name="auditentry",
            name="data_category",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.RunPython(triggers_on, triggers_off),
    ]
