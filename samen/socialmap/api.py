"""The read-only HSDS 3.0 API of the social map, in the shapes of the official ``openapi.json``, under ``/api/hsds/``.

Open without login (``policies``: the social map is public directory data; nothing of a household is in it), GET
and HEAD only, JSON only. Plain Django views rather than django-ninja: the shapes are HSDS's own (``hsds.py``), and
the tests check every answer against the official schemas.

- ``/``: the HSDS version, profile and the address of the OpenAPI file.
- ``/services``, ``/organizations``, ``/taxonomies``, ``/taxonomy_terms``, ``/service_at_locations``: pages in the
  wrapper of openapi.json (``total_items``, ``total_pages``, ``page_number``, ``size``, ``first_page``,
  ``last_page``, ``empty``, ``contents``). ``page`` (from 1) and ``per_page`` (1 to 200, default 50); a page after
  the last one is an empty page. Filters as openapi.json defines them: ``search`` (name and description),
  ``taxonomy_term_id``, ``taxonomy_id``, ``organization_id``, ``modified_after`` (services and services at
  locations), ``full`` (fully nested contents), ``full_service`` (organizations: their services in full),
  ``parent_id`` and ``top_only`` (terms without a parent), ``postcode`` (services at locations whose address has
  the same four digits). ``format`` other than
  ``json``, ``proximity`` (needs a geocoder Samen does not have) and ``minimal`` (a service of only ``id`` and
  ``last_modified`` would not validate against service.json, which requires ``name`` and ``status``) are answered
  with 400 and the reason.
- ``/<kind>/{id}``: one object, fully nested. 404 (JSON) for an unknown or malformed id. (The official openapi.json
  names ``compiled/service.json`` as the answer of ``/service_at_locations/{id}``, a slip: the answer is a service at
  a location in the shape of ``service_at_location_full.json``, checked against ``service_at_location.json``.)
A service in full (``/services/{id}``, ``full=true``, ``full_service=true``, inside a service at a location) carries
its capacity as HSDS 3.1 does, a list ``capacities`` (``hsds.capacity_data``, with Samen's ``samen_waiting``): 3.0's
service schema allows fields it does not know, so every answer still validates against the 3.0 openapi.json. A
service without capacity has no ``capacities`` (the official examples come back as they are).
Every list is read in a fixed number of queries, however long the page (``hsds.*_full`` prefetch).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samen.socialmap import hsds
from samen.socialmap.models import Attribute, Organization, Service, ServiceAtLocation, Taxonomy

PER_PAGE = 50
MAX_PER_PAGE = 200
TRUE = {"true", "1", "yes"}
FALSE = {"false", "0", "no", ""}


class BadRequest(ValueError):
    pass


def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _problem(status: int, message: str) -> JsonResponse:
    return _json({"error": message}, status=status)


def _api(view: Callable) -> Callable:
    """GET/HEAD only; a bad parameter is a 400 with the reason, never an error page."""

    @require_safe
    def wrapped(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as error:
            return _problem(400, str(error))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _flag(request: HttpRequest, name: str) -> bool:
    value = request.GET.get(name, "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise BadRequest(_("%(name)s must be true or false.") % {"name": name})


def _whole(request: HttpRequest, name: str, default: int, low: int, high: int | None = None) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"\d{1,9}", raw.strip()):
        raise BadRequest(_("%(name)s must be a whole number.") % {"name": name})
    value = int(raw)
    if value < low or (high is not None and value > high):
        limits = f"{low}-{high}" if high is not None else f"{low} or more"
        raise BadRequest(_("%(name)s must be %(limits)s.") % {"name": name, "limits": limits})
    return value


def _uuid(value: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadRequest(_("%(name)s must be an HSDS id (a UUID).") % {"name": name}) from None


def _common(request: HttpRequest) -> None:
    if request.GET.get("format", "json").strip().lower() not in ("", "json"):
        raise BadRequest(_("Only format=json is offered."))
    if any("\x00" in value for _name, values in request.GET.lists() for value in values):
        raise BadRequest(_("A parameter holds the character NUL, which no text in HSDS can hold."))


def _page(request: HttpRequest, queryset: QuerySet, serialise: Callable[[list], list[dict]]) -> JsonResponse:
    _common(request)
    number = _whole(request, "page", 1, 1)
    per_page = _whole(request, "per_page", PER_PAGE, 1, MAX_PER_PAGE)
    total = queryset.count()
    pages = math.ceil(total / per_page) if total else 0
    start = (number - 1) * per_page
    items = list(queryset[start : start + per_page]) if start < total else []
    return _json(
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": number,
            "size": len(items),
            "first_page": number == 1,
            "last_page": number >= pages,
            "empty": total == 0,
            "contents": serialise(items),
        }
    )


def _one(queryset: QuerySet, item_id: str, serialise: Callable[[Any], dict]) -> JsonResponse:
    try:
        pk = uuid.UUID(item_id)
    except ValueError:
        return _problem(404, _("Not found: %(id)s is not an HSDS id.") % {"id": item_id[:100]})
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        return _problem(404, _("Not found."))
    return _json(serialise(obj))


def _search(queryset: QuerySet, request: HttpRequest, *fields: str) -> QuerySet:
    words = request.GET.get("search", "").split()[:10]
    for word in words:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def _service_filters(queryset: QuerySet, request: HttpRequest, prefix: str = "") -> QuerySet:
    """``taxonomy_term_id``, ``taxonomy_id``, ``organization_id``, ``modified_after`` on services (or, with
    ``prefix="service__"``, on services at locations)."""
    if term := request.GET.get("taxonomy_term_id"):
        # By link_id only: ids are unique across kinds, and files name the kind freely (the examples: "link_entity").
        linked = Attribute.objects.filter(taxonomy_term_id=_uuid(term, "taxonomy_term_id"))
        queryset = queryset.filter(**{f"{prefix}pk__in" if prefix else "pk__in": linked.values("link_id")})
    if taxonomy := request.GET.get("taxonomy_id"):
        linked = Attribute.objects.filter(taxonomy_term__taxonomy_detail_id=_uuid(taxonomy, "taxonomy_id"))
        queryset = queryset.filter(**{f"{prefix}pk__in" if prefix else "pk__in": linked.values("link_id")})
    if organization := request.GET.get("organization_id"):
        queryset = queryset.filter(**{f"{prefix}organization_id": _uuid(organization, "organization_id")})
    if after := request.GET.get("modified_after"):
        moment = hsds.parse_datetime(after.replace(" ", "+"))
        if moment is None:
            try:
                moment = dt.datetime.combine(dt.date.fromisoformat(after), dt.time(), tzinfo=dt.UTC)
            except ValueError:
                raise BadRequest(_("modified_after must be a date and time such as 2024-05-01T09:30:00Z.")) from None
        queryset = queryset.filter(**{f"{prefix}last_modified__gte": moment})
    return queryset


def _with_attributes(items: list, serialise: Callable[..., dict]) -> list[dict]:
    attributes = hsds.attributes_of(items)  # one query for the whole page
    return [serialise(item, attributes=attributes) for item in items]


# --- the views -----------------------------------------------------------------------------------------------------


@_api
def root(request: HttpRequest) -> JsonResponse:
    """What this API is: HSDS 3.0, no profile of its own, the official OpenAPI file."""
    return _json(
        {
            "version": hsds.HSDS_VERSION,
            "profile": "https://docs.openreferral.org/en/latest/hsds/overview.html",
            "openapi_url": hsds.OPENAPI_URL,
        }
    )


@_api
def services(request: HttpRequest) -> JsonResponse:
    full = _flag(request, "full")
    if _flag(request, "minimal"):
        raise BadRequest(_("minimal is not offered: a service of only id and last_modified is not valid HSDS."))
    base = hsds.services_full() if full else Service.objects.select_related("organization")
    queryset = _search(base, request, "name", "alternate_name", "description", "search_text")
    queryset = _service_filters(queryset, request).order_by("name", "id")
    if full:
        return _page(
            request,
            queryset,
            lambda items: _with_attributes(items, hsds.service_data),
        )
    return _page(request, queryset, lambda items: [hsds.service_list_data(item) for item in items])


@_api
def service(request: HttpRequest, item_id: str) -> JsonResponse:
    return _one(hsds.services_full(), item_id, lambda obj: hsds.service_data(obj, attributes=hsds.attributes_of([obj])))


@_api
def organizations(request: HttpRequest) -> JsonResponse:
    full = _flag(request, "full")
    full_service = _flag(request, "full_service")
    queryset = _search(
        hsds.organizations_full(services=full_service) if full or full_service else Organization.objects.all(),
        request,
        "name",
        "alternate_name",
        "description",
    ).order_by("name", "id")
    if full or full_service:

        def serialise(items):
            attributes = hsds.attributes_of(items)
            return [hsds.organization_data(item, attributes=attributes, services=full_service) for item in items]

        return _page(request, queryset, serialise)
    return _page(request, queryset, lambda items: [hsds.organization_list_data(item) for item in items])


@_api
def organization(request: HttpRequest, item_id: str) -> JsonResponse:
    """Fully nested; its services with their one-to-one fields, or in full with ``full_service=true``."""
    full_service = _flag(request, "full_service")
    queryset = hsds.organizations_full(services=full_service)
    if not full_service:
        queryset = queryset.prefetch_related("services")

    def serialise(obj):
        data = hsds.organization_data(obj, attributes=hsds.attributes_of([obj]), services=full_service)
        if not full_service:
            listed = [hsds.service_list_data(item) for item in obj.services.all()]
            for item in listed:
                item.pop("organization", None)
            if listed:
                data["services"] = listed
        return data

    return _one(queryset, item_id, serialise)


@_api
def taxonomies(request: HttpRequest) -> JsonResponse:
    queryset = _search(Taxonomy.objects.all(), request, "name", "description").order_by("name", "id")
    return _page(request, queryset, lambda items: [hsds.taxonomy_data(item) for item in items])


@_api
def taxonomy(request: HttpRequest, item_id: str) -> JsonResponse:
    return _one(Taxonomy.objects.all(), item_id, hsds.taxonomy_data)


@_api
def taxonomy_terms(request: HttpRequest) -> JsonResponse:
    queryset = _search(hsds.taxonomy_terms_full(), request, "name", "description", "code")
    if taxonomy_id := request.GET.get("taxonomy_id"):
        queryset = queryset.filter(taxonomy_detail_id=_uuid(taxonomy_id, "taxonomy_id"))
    if parent_id := request.GET.get("parent_id"):
        queryset = queryset.filter(parent_id=_uuid(parent_id, "parent_id"))
    if _flag(request, "top_only"):
        queryset = queryset.filter(parent__isnull=True)
    return _page(request, queryset.order_by("name", "id"), lambda items: [hsds.taxonomy_term_data(i) for i in items])


@_api
def taxonomy_term(request: HttpRequest, item_id: str) -> JsonResponse:
    return _one(hsds.taxonomy_terms_full(), item_id, hsds.taxonomy_term_data)


@_api
def service_at_locations(request: HttpRequest) -> JsonResponse:
    if request.GET.get("proximity"):
        raise BadRequest(_("proximity is not offered: Samen has no geocoder for postcodes."))
    full = _flag(request, "full")
    base = (
        hsds.service_at_locations_full()
        if full
        else ServiceAtLocation.objects.select_related("location", "service__organization")
    )
    queryset = _search(base, request, "service__name", "service__description", "location__name", "description")
    queryset = _service_filters(queryset, request, prefix="service__")
    if postcode := request.GET.get("postcode", "").strip():
        digits = re.match(r"\d{4}", postcode)
        queryset = queryset.filter(
            location__addresses__postal_code__istartswith=digits.group(0) if digits else postcode
        ).distinct()
    queryset = queryset.order_by("service__name", "id")
    if full:
        return _page(
            request,
            queryset,
            lambda items: _with_attributes(items, hsds.service_at_location_data),
        )
    return _page(request, queryset, lambda items: [hsds.service_at_location_list_data(item) for item in items])


@_api
def service_at_location(request: HttpRequest, item_id: str) -> JsonResponse:
    return _one(
        hsds.service_at_locations_full(),
        item_id,
        lambda obj: hsds.service_at_location_data(obj, attributes=hsds.attributes_of([obj])),
    )
