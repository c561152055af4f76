# The waiting answers become one row per round (and per learning entry) holding a list in a random order: the old
# tables held waiting answers only (emptied by every batch), so they are dropped and made anew.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("collaboration", "0003_round_alphas"),
    ]

    operations = [
        migrations.DeleteModel(name="PendingResponse"),
        migrations.DeleteModel(name="PendingSafetyAnswer"),
        migrations.CreateModel(
            name="PendingResponse",
            fields=[
                (
                    "round",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="pending",
                        serialize=False,
                        to="collaboration.pulseround",
                    ),
                ),
                ("answers", models.JSONField(blank=True, default=list)),
            ],
            options={"verbose_name": "pending responses", "verbose_name_plural": "pending responses"},
        ),
        migrations.CreateModel(
            name="PendingSafetyAnswer",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="collaboration.learningentry",
                    ),
                ),
                ("values", models.JSONField(blank=True, default=list)),
            ],
            options={
                "verbose_name": "pending safety check answers",
                "verbose_name_plural": "pending safety check answers",
            },
        ),
    ]
