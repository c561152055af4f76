"""The services' search stems again, with the Dutch stemmer PostgreSQL uses (``samen/core/stemming.py``:
``dutch_porter`` instead of snowballstemmer 3's newer ``dutch``). The name's and the rest's stems are recomputed
from the stored name and ``search_text`` as ``indexing.reindex`` makes them; on SQLite the FTS5 triggers follow."""

from django.db import migrations

BATCH = 500


def restem(apps, schema_editor):
    from samen.socialmap.indexing import stems_and_words

    Service = apps.get_model("socialmap", "Service")
    ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        services = list(Service.objects.filter(pk__in=ids[start : start + BATCH]).only("name", "search_text"))
        for service in services:
            service.name_stems = stems_and_words(service.name)
            service.body_stems = stems_and_words(service.search_text)
        Service.objects.bulk_update(services, ["name_stems", "body_stems"])


class Migration(migrations.Migration):
    dependencies = [("socialmap", "0003_own_network")]

    operations = [migrations.RunPython(restem, migrations.RunPython.noop)]
