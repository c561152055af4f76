"""The lessons' stems again, with the Dutch stemmer PostgreSQL uses (``samen/core/stemming.py``: ``dutch_porter``
instead of snowballstemmer 3's newer ``dutch``)."""

import importlib

from django.db import migrations


def restem(apps, schema_editor):
    importlib.import_module("samen.collaboration.migrations.0006_learning_search_stems").fill_stems(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("collaboration", "0006_learning_search_stems")]

    operations = [migrations.RunPython(restem, migrations.RunPython.noop)]
