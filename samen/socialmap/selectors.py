"""Reads of the social map for its pages: a service with everything it shows, the details a result card shows for a
page of services (a fixed number of queries, whatever the number of services), the filter choices."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from samen.socialmap.indexing import CHOICES_CACHE_KEY, CHOICES_CACHE_SECONDS, category_names
from samen.socialmap.models import (
    STALE_AFTER_DAYS,
    Address,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    TaxonomyTerm,
)
from samen.socialmap.search import SHOWN_STATUSES


def parse_uuid(value) -> UUID | None:
    try:
        return UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def is_stale(service: Service, now: datetime.datetime | None = None) -> bool:
    """Nobody checked the entry for ``STALE_AFTER_DAYS`` days."""
    return (now or timezone.now()) - service.checked_at > datetime.timedelta(days=STALE_AFTER_DAYS)


def capacities_of(service_ids: Iterable[UUID]) -> dict[UUID, list[ServiceCapacity]]:
    found: dict[UUID, list[ServiceCapacity]] = defaultdict(list)
    for capacity in ServiceCapacity.objects.filter(service_id__in=list(service_ids)).order_by("id"):
        found[capacity.service_id].append(capacity)
    return found


def result_details(services: list[Service]) -> tuple[dict[UUID, list[str]], dict[UUID, list[ServiceCapacity]]]:
    """The categories and the capacity of each service on a result page: two queries."""
    ids = [service.pk for service in services]
    if not ids:
        return {}, {}
    return category_names(ids), capacities_of(ids)


def service_for(service_id) -> Service | None:
    """A service the search shows, with its organisation (``None`` for an unknown id or a status it does not show)."""
    pk = parse_uuid(service_id)
    if pk is None:
        return None
    return Service.objects.filter(pk=pk, status__in=SHOWN_STATUSES).select_related("organization").first()


@dataclass(frozen=True)
class ServicePage:
    """What a service's page shows: the service (with its organisation, places, languages, costs, areas and
    capacity), its categories, and the opening hours and phone numbers of the service, of its places and of the
    service at each place (HSDS links a schedule or a phone to any of the three), the service's own first."""

    service: Service
    locations: list[Location]
    categories: list[str]
    schedules: list[Schedule]
    phones: list[Phone]


def _own_first(rows, service: Service, locations: list[Location]) -> list:
    """Schedules or phones in the order the page shows them: the service's own, then per place in the page's order."""
    place = {location.pk: index for index, location in enumerate(locations, start=1)}
    return sorted(rows, key=lambda row: 0 if row.location_id is None else place.get(row.location_id, len(place) + 1))


def service_page(service_id) -> ServicePage | None:
    """A service with everything its page shows, in a fixed number of queries whatever it has (shown statuses only;
    ``None`` for anything else)."""
    pk = parse_uuid(service_id)
    if pk is None:
        return None
    locations = Location.objects.prefetch_related(
        Prefetch("addresses", queryset=Address.objects.order_by("id")), "accessibility"
    )
    service = (
        Service.objects.filter(pk=pk, status__in=SHOWN_STATUSES)
        .select_related("organization", "organization__maintainer")
        .prefetch_related(
            Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.order_by("id")),
            Prefetch("service_at_locations__location", queryset=locations),
            "languages",
            "cost_options",
            "service_areas",
            "capacities",
        )
        .first()
    )
    if service is None:
        return None
    at_places = list(service.service_at_locations.all())
    places = [sal.location for sal in at_places]
    linked = Q(service=service) | Q(location__in=[place.pk for place in places])
    linked |= Q(service_at_location__in=[sal.pk for sal in at_places])
    return ServicePage(
        service=service,
        locations=places,
        categories=category_names([pk]).get(pk, []),
        schedules=_own_first(Schedule.objects.filter(linked), service, places),
        phones=_own_first(Phone.objects.filter(linked), service, places),
    )


def filter_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The search form's categories and languages (``category_choices``, ``language_choices``): both read every
    service's rows (about 110 ms at 50,000 services on SQLite), so they are kept in the cache for a few minutes and
    dropped whenever services are reindexed (``indexing.CHOICES_CACHE_KEY``)."""
    found = cache.get(CHOICES_CACHE_KEY)
    if found is None:
        found = (category_choices(), language_choices())
        cache.set(CHOICES_CACHE_KEY, found, CHOICES_CACHE_SECONDS)
    return found


def category_choices() -> list[tuple[str, str]]:
    """The categories to filter on: the top-level terms that have services, by name (one query)."""
    terms = TaxonomyTerm.objects.filter(parent__isnull=True, attributes__link_entity="service").distinct()
    return [(str(term.pk), term.name) for term in terms.order_by("name")]


def language_choices() -> list[tuple[str, str]]:
    """The languages services are given in (code, name), by name (one query)."""
    rows = (
        Language.objects.filter(service__isnull=False)
        .exclude(code="")
        .values_list("code", "name")
        .distinct()
        .order_by("name")
    )
    seen: dict[str, str] = {}
    for code, name in rows:
        seen.setdefault(code.lower(), name or code)
    return sorted(seen.items(), key=lambda item: item[1])


def maintained_by(organisation_id: int | None) -> QuerySet[Service]:
    """The services an organisation in Samen keeps up to date (all of them when ``organisation_id`` is None: the
    functional administrator), oldest check first."""
    services = Service.objects.select_related("organization")
    if organisation_id is not None:
        services = services.filter(organization__maintainer_id=organisation_id)
    return services.order_by("checked_at", "name")


def stale_count(organisation_id: int | None, now) -> int:
    """How many of those services were not checked for over a year (one COUNT on the index of ``checked_at``)."""
    return maintained_by(organisation_id).filter(checked_at__lt=now - datetime.timedelta(days=STALE_AFTER_DAYS)).count()
