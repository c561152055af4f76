"""Chain version 2: one hash chain per stream (a household, a user, the system) instead of one for the whole
installation, so that writers for different households do not queue on one locked row.

Existing entries are not rewritten (their hashes must stay verifiable): they become chain version 1, stream
``legacy``, and the old single head row becomes the head of that stream. ``occurred_on`` (the Dutch calendar day)
is filled in for them: version 1 does not hash it, and ``verify_audit_log`` checks that it is the day of the
hashed ``occurred_at``. The append-only triggers are taken off for the change and put back afterwards (on SQLite
adding a constraint rebuilds the table, which would drop them; filling ``occurred_on`` is an UPDATE).

It also adds the day summary that "Wie keek" reads (``AuditDaySummary``), counted from the entries so far.
"""

import zoneinfo

from django.db import migrations, models
from django.db.models import Count, Max
from django.db.models.functions import TruncDate

from samen.core.db_triggers import install_audit_triggers, remove_audit_triggers

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def triggers_off(apps, schema_editor):
    remove_audit_triggers(schema_editor.connection)


def triggers_on(apps, schema_editor):
    install_audit_triggers(schema_editor.connection)


def copy_head_forward(apps, schema_editor):
    old = apps.get_model("core", "AuditChainHead").objects.filter(pk=1).first()
    if old is not None:
        apps.get_model("core", "AuditStreamHead").objects.create(
            stream="legacy", last_sequence=old.last_sequence, last_hash=old.last_hash
        )


def copy_head_backward(apps, schema_editor):
    legacy = apps.get_model("core", "AuditStreamHead").objects.filter(stream="legacy").first()
    if legacy is not None:
        apps.get_model("core", "AuditChainHead").objects.create(
            pk=1, last_sequence=legacy.last_sequence, last_hash=legacy.last_hash
        )


def fill_day(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditEntry.objects.filter(occurred_on__isnull=True).update(occurred_on=TruncDate("occurred_at", tzinfo=AMSTERDAM))


def fill_day_summaries(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditDaySummary = apps.get_model("core", "AuditDaySummary")
    key = ("household_id", "occurred_on", "user_id", "organisation_name", "role", "action", "data_category", "purpose")
    groups = (
        AuditEntry.objects.filter(household_id__isnull=False)
        .values(*key)
        .annotate(times=Count("pk"), last_at=Max("occurred_at"))
        .order_by()
    )
    batch = []
    for group in groups.iterator(chunk_size=2000):
        group["day"] = group.pop("occurred_on")
        group["user_id"] = group["user_id"] or 0
        batch.append(AuditDaySummary(**group))
        if len(batch) == 2000:
            AuditDaySummary.objects.bulk_create(batch)
            batch = []
    AuditDaySummary.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_auditentry_data_category_list")]

    operations = [
        migrations.RunPython(triggers_off, triggers_on),
        # The head: one row per stream (the old single row becomes the head of the stream "legacy").
        migrations.CreateModel(
            name="AuditStreamHead",
            fields=[
                ("stream", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("last_sequence", models.PositiveBigIntegerField(default=0)),
                ("last_hash", models.CharField(default="0" * 64, max_length=64)),
            ],
        ),
        migrations.RunPython(copy_head_forward, copy_head_backward),
        migrations.DeleteModel(name="AuditChainHead"),
        migrations.RenameModel(old_name="AuditStreamHead", new_name="AuditChainHead"),
        # The entry: the Dutch day, the chain version, the stream and the place in it.
        migrations.AddField(model_name="auditentry", name="occurred_on", field=models.DateField(null=True)),
        migrations.RunPython(fill_day, migrations.RunPython.noop),
        migrations.AlterField(model_name="auditentry", name="occurred_on", field=models.DateField()),
        migrations.AddField(
            model_name="auditentry",
            name="chain_version",
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="stream",
            field=models.CharField(default="legacy", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="stream_sequence",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                fields=("stream", "stream_sequence"), name="audit_stream_sequence_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("chain_version", 1), ("stream", "legacy"), ("stream_sequence__isnull", True))
                | models.Q(("chain_version", 2), ("stream_sequence__gte", 1)),
                name="audit_chain_version_fields",
            ),
        ),
        # "Wie keek" per day: a summary counted by ``record``, filled in here from the entries so far.
        migrations.CreateModel(
            name="AuditDaySummary",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("household_id", models.BigIntegerField()),
                ("day", models.DateField()),
                ("user_id", models.BigIntegerField()),
                ("organisation_name", models.CharField(blank=True, max_length=200)),
                ("role", models.CharField(blank=True, max_length=40)),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("read", "read"),
                            ("create", "create"),
                            ("update", "change"),
                            ("delete", "delete"),
                            ("export", "export"),
                            ("print", "print"),
                            ("search", "search"),
                            ("break_the_glass", "break the glass"),
                            ("login", "log in"),
                            ("logout", "log out"),
                            ("login_failed", "failed login"),
                        ],
                        max_length=32,
                    ),
                ),
                ("data_category", models.CharField(blank=True, max_length=200)),
                (
                    "purpose",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("COC", "coordination of care"),
                            ("BTG", "break the glass"),
                            ("HOPERAT", "operations"),
                            ("PATRQT", "requested by the citizen"),
                        ],
                        max_length=16,
                    ),
                ),
                ("times", models.PositiveIntegerField()),
                ("last_at", models.DateTimeField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "household_id",
                            "day",
                            "user_id",
                            "organisation_name",
                            "role",
                            "action",
                            "data_category",
                            "purpose",
                        ),
                        name="audit_day_summary_key",
                    )
                ],
            },
        ),
        migrations.RunPython(fill_day_summaries, migrations.RunPython.noop),
        migrations.RunPython(triggers_on, triggers_off),
    ]
