"""The columns of a service that the search and the filters read, computed from the service and what belongs to it
(its organisation, categories, places, languages, costs and service areas).

``reindex(service_ids)`` recomputes them for any number of services in a fixed number of queries and writes them
with one ``executemany`` per batch; every service function that changes a service or what belongs to it (an edit, an
import) calls it inside its transaction. SQLite's FTS5 index follows through database triggers, PostgreSQL's
generated ``tsvector`` column by itself (migration 0002).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from uuid import UUID

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Prefetch

from samen.core.stemming import WORD, stems_of
from samen.socialmap.models import Address, Attribute, Location, Service

INDEX_FIELDS = (
    "search_text",
    "name_stems",
    "body_stems",
    "informal",
    "is_free",
    "postcode_areas",
    "neighbourhoods",
    "language_codes",
    "has_accessibility",
)
BATCH = 500
# The search form's categories and languages, read from every service, are kept in the cache (``selectors``) for at
# most this long; a reindex drops them once its transaction commits, so a change shows at once on this database.
CHOICES_CACHE_KEY = "socialmap:filter-choices"
CHOICES_CACHE_SECONDS = 300
POSTCODE_AREA = re.compile(r"^\s*(\d{4})")


def _words(values: Iterable[str]) -> str:
    """Distinct words, each between spaces (so ``LIKE '% 1011 %'`` matches a whole word)."""
    words = sorted({value.strip().lower() for value in values if value and value.strip()})
    return f" {' '.join(words)} " if words else ""


def stems_and_words(text: str) -> str:
    """The Dutch stems of ``text`` and its words as written (lower case): a search for the start of a compound finds
    it even where the stemmer changes the compound ("eenzaam", whose stem is "eenzam", in "eenzaamheidsaanpak")."""
    words = {word.lower() for word in WORD.findall(text or "")}
    return f" {' '.join(sorted(set(stems_of(text).split()) | words))} " if words else ""


def postcode_area(postal_code: str) -> str:
    """The four digits of a Dutch postcode (``1011 AB`` -> ``1011``); empty for anything else."""
    found = POSTCODE_AREA.match(postal_code or "")
    return found.group(1) if found else ""


def category_names(service_ids: Iterable[UUID]) -> dict[UUID, list[str]]:
    """The names of the taxonomy terms attached to each service (HSDS attributes), in one query."""
    names: dict[UUID, list[str]] = defaultdict(list)
    rows = Attribute.objects.filter(link_entity="service", link_id__in=list(service_ids)).values_list(
        "link_id", "taxonomy_term__name"
    )
    for link_id, name in rows:
        names[link_id].append(name)
    return names


def values_for(service: Service, categories: list[str]) -> dict:
    """The index columns of ``service`` (with its relations prefetched as ``reindex`` does)."""
    locations = [sal.location for sal in service.service_at_locations.all()]
    addresses = [address for location in locations for address in location.addresses.all()]
    areas = list(service.service_areas.all())
    amounts = [option.amount for option in service.cost_options.all()]
    languages = [*service.languages.all(), *(lang for location in locations for lang in location.languages.all())]
    organization = service.organization
    text = " ".join(
        part
        for part in (
            service.alternate_name,
            service.description,
            service.eligibility_description,
            organization.name,
            organization.alternate_name,
            *categories,
        )
        if part
    )
    return {
        "search_text": text,
        "name_stems": stems_and_words(service.name),
        "body_stems": stems_and_words(text),
        "informal": organization.informal,
        "is_free": bool(amounts) and all(amount is not None and amount == 0 for amount in amounts),
        "postcode_areas": _words(postcode_area(address.postal_code) for address in addresses),
        "neighbourhoods": _words([*(address.region for address in addresses), *(area.name for area in areas)]),
        "language_codes": _words(language.code for language in languages),
        "has_accessibility": any(location.accessibility.all() for location in locations),
    }


def reindex(service_ids: Iterable[UUID]) -> int:
    """Recompute the index columns of these services; returns how many were written."""
    ids = list(dict.fromkeys(service_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        locations = Location.objects.prefetch_related(
            Prefetch("addresses", queryset=Address.objects.order_by()), "accessibility", "languages"
        )
        services = list(
            Service.objects.filter(pk__in=batch)
            .select_related("organization")
            .prefetch_related(
                Prefetch("service_at_locations__location", queryset=locations),
                "service_areas",
                "cost_options",
                "languages",
            )
        )
        categories = category_names(batch)
        for service in services:
            for name, value in values_for(service, categories.get(service.pk, [])).items():
                setattr(service, name, value)
        _write_index(services)
        written += len(services)
    if written:
        transaction.on_commit(lambda: cache.delete(CHOICES_CACHE_KEY))
    return written


def _write_index(services: list[Service]) -> None:
    """Write the index columns of ``services``: one UPDATE by id, run for every service (``executemany``). Django's
    ``bulk_update`` builds one CASE per column with a branch per service, which took 70 % of the time of reindexing
    (about 7 of 10 seconds for 1,000 services), and an import holds the database's write lock while it runs."""
    quote = connection.ops.quote_name
    columns = [Service._meta.get_field(name) for name in INDEX_FIELDS]
    key = Service._meta.pk
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    sql = f"UPDATE {quote(Service._meta.db_table)} SET {assignments} WHERE {quote(key.column)} = %s"  # noqa: S608 (names from the model)
    rows = [
        [column.get_db_prep_save(getattr(service, column.attname), connection) for column in columns]
        + [key.get_db_prep_value(service.pk, connection)]
        for service in services
    ]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
