"""HSDS 3.0 for the social map: the official schemas, checking records against them, and the mapping between HSDS
objects and the map's tables in both directions.

Where the schemas come from
    No installed package ships the HSDS 3.0 schemas (the package lists name ``hsds-validator`` and
    ``hsds-data-tool``, neither installed, neither a pinned copy of the 3.0 schemas), so Samen reads the official
    schema folder from the setting ``SAMEN_HSDS_SCHEMA_DIR`` (default: ``../shared/testdata/hsds-3.0/schema`` beside
    the repository). When the folder is missing every use says so (``SchemaFolderMissing``) instead of passing
    records unchecked. The files refer to each other by file name (``"$ref": "phone.json"``) and carry no ``$id`` or
    ``$schema``: they are read as JSON Schema Draft 2020-12 (the ``jsonSchemaDialect`` of the official
    ``openapi.json``) into a local ``referencing.Registry`` under their file name, and also under the addresses
    ``openapi.json`` points at (``.../3.0/schema/<name>`` and ``.../3.0/schema/compiled/<name>``; the compiled
    ``*_list.json`` shapes are the base schema of the same object, which accepts a record with only its one-to-one
    fields). The registry never retrieves anything: an unknown reference is an error, never a network request.

Checking (``validate``)
    ``validate(kind, record)`` gives one ``RecordError`` per problem: which record (kind, id and name), which field
    (a path such as ``phones[0].number``) and why, in plain words. Formats are checked (``uuid``, ``email``).

Export (``organization_data``, ``service_data``, ...)
    The nested shapes of the official examples (``service_full.json``, ``organization_full.json``,
    ``service_at_location_full.json``, ``location.json``, ``taxonomy.json``, ``taxonomy_term.json``) and their list
    shapes (only one-to-one fields). A link is given once: by nesting, or else by its ``*_id`` field, never both; a
    child inside its parent carries no id of that parent (as in the examples). Empty values (``""``, ``null``) are
    left out: the map stores an absent text as empty text. What the map does not model (``extra``) is given back as
    it came. Dates are ``YYYY-MM-DD``, times ``HH:MM:SS``, date-times ISO 8601 in UTC, amounts JSON numbers.

Import (``parse``)
    ``parse(kind, record)`` turns one HSDS record with everything nested in it into ``Row`` s (one per object, the
    same object given twice — the examples repeat a phone, a schedule and a location in several places — is one row
    whose links are all kept). Values are converted and checked by the model fields (length, address, dates);
    ``samen.socialmap.importing`` writes the rows.

Capacity (HSDS 3.1 inside HSDS 3.0)
    HSDS 3.0 has no capacity; HSDS 3.1 gives a service a list ``capacities`` of ``service_capacity`` objects
    (``id``, ``service_id``, ``unit`` as a ``unit`` object ``{"id", "name"}``, ``available``, ``maximum``,
    ``description``, ``updated``). Samen writes and reads that list on a service (``ServiceCapacity``); 3.0's service
    schema allows fields it does not know, so the records stay valid HSDS 3.0. Unlike the 3.0 children, a capacity
    nested in its service carries its ``service_id`` (3.1 names it). Samen's waiting list is one field more
    on each capacity object: ``samen_waiting``, the number of people waiting (absent when unknown). The unit's id is
    derived from its name (``unit_id``); a unit object given by a file (with its own id, ``scheme``, ``uri``, ...) is
    kept and given back while the name stays the same. The schemas do not know the list, so the import checks it by
    Samen's own rules (``_parse_capacities``): errors per record, field (``capacities[0].available``) and reason, as
    for the schema.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from uuid import UUID, uuid5

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from samen.socialmap.models import (
    Accessibility,
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    Taxonomy,
    TaxonomyTerm,
)

HSDS_VERSION = "3.0"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
OFFICIAL_BASES = (
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/",
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/compiled/",
)
# The compiled list shapes openapi.json refers to: the base schema of the same object.
LIST_ALIASES = {
    "service_list.json": "service.json",
    "organization_list.json": "organization.json",
    "service_at_location_list.json": "service_at_location.json",
}
# The kinds a file may hold at its top level, with the key of their list in a dict of lists.
TOP_KINDS = {
    "organizations": "organization",
    "services": "service",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "service_at_locations": "service_at_location",
    "locations": "location",
}


class SchemaFolderMissing(ImproperlyConfigured):
    """The folder with the HSDS 3.0 schemas is not where ``SAMEN_HSDS_SCHEMA_DIR`` says."""


# --- the schemas ------------------------------------------------------------------------------------------------


def schema_dir() -> Path:
    return Path(settings.SAMEN_HSDS_SCHEMA_DIR)


def _missing(folder: Path) -> SchemaFolderMissing:
    return SchemaFolderMissing(
        _(
            "The HSDS 3.0 schemas are not in %(folder)s. Set SAMEN_HSDS_SCHEMA_DIR to the folder with the official "
            "schema files (service.json, organization.json, ..., openapi.json) of HSDS 3.0."
        )
        % {"folder": folder}
    )


@functools.cache
def _load(folder: str) -> tuple[Registry, dict[str, dict]]:
    path = Path(folder)
    files = sorted(path.glob("*.json")) if path.is_dir() else []
    if not any(file.name == "service.json" for file in files):
        raise _missing(path)
    documents: dict[str, dict] = {}
    resources: list[tuple[str, Resource]] = []
    for file in files:
        contents = json.loads(file.read_text(encoding="utf-8"))
        documents[file.name] = contents
        resource = DRAFT202012.create_resource(contents)
        resources.append((file.name, resource))
        resources.extend((base + file.name, resource) for base in OFFICIAL_BASES)
    for alias, name in LIST_ALIASES.items():
        resource = DRAFT202012.create_resource(documents[name])
        resources.extend((base + alias, resource) for base in OFFICIAL_BASES)
    return Registry().with_resources(resources).crawl(), documents


def registry() -> Registry:
    """The local registry of the schema files (nothing is ever fetched)."""
    return _load(str(schema_dir()))[0]


def schema(name: str) -> dict:
    """One schema file as JSON (``"service"`` or ``"openapi"``)."""
    return _load(str(schema_dir()))[1][f"{name}.json"]


@functools.cache
def _validator(folder: str, ref: str) -> Draft202012Validator:
    registry_, _documents = _load(folder)
    return Draft202012Validator({"$ref": ref}, registry=registry_, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validator_for(ref: str) -> Draft202012Validator:
    """A validator for a reference into the registry (``"service.json"``, ``"openapi.json#/paths/..."``)."""
    return _validator(str(schema_dir()), ref)


# --- errors in plain words --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordError:
    record: str
    field: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"record": self.record, "field": self.field, "reason": self.reason}


def record_label(kind: str, record: Any, number: int | None = None) -> str:
    """``service ac148810-… "Community Counselling"`` (and its place in the file, when known)."""
    parts = [f"{number}." if number is not None else "", kind.replace("_", " ")]
    if isinstance(record, dict):
        if isinstance(record.get("id"), str):
            parts.append(record["id"])
        name = record.get("name")
        if isinstance(name, str) and name:
            parts.append(f'"{name[:60]}"')
    return " ".join(part for part in parts if part)


def field_path(parts) -> str:
    """``phones[0].languages[1].code`` from a JSON path."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_TYPE_WORDS = {
    "string": gettext_noop("text"),
    "number": gettext_noop("a number"),
    "integer": gettext_noop("a whole number"),
    "boolean": gettext_noop("true or false"),
    "array": gettext_noop("a list"),
    "object": gettext_noop("an object"),
    "null": gettext_noop("empty"),
}


def _type_words(expected) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return _(" or ").join(_(_TYPE_WORDS.get(name, name)) for name in names)


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def _reason(error) -> tuple[list, str]:
    """The path of the field and the reason, for one jsonschema error."""
    path = list(error.absolute_path)
    validator = error.validator
    if validator == "required":
        missing = next((name for name in error.validator_value if name not in error.instance), "")
        return [*path, missing], _("is missing; HSDS requires it")
    if validator == "type":
        return path, _("must be %(type)s, not %(value)s") % {
            "type": _type_words(error.validator_value),
            "value": _shown(error.instance),
        }
    if validator == "enum":
        return path, _("must be one of: %(choices)s (it is %(value)s)") % {
            "choices": ", ".join(str(choice) for choice in error.validator_value),
            "value": _shown(error.instance),
        }
    if validator == "format":
        words = {
            "uuid": _("is not a valid id: HSDS ids are UUIDs such as 3fa85f64-5717-4562-b3fc-2c963f66afa6"),
            "email": _("is not an e-mail address"),
            "uri": _("is not a web address"),
            "date-time": _("is not a date and time such as 2024-05-01T09:30:00Z"),
        }
        return path, words.get(
            error.validator_value, _("is not in the form %(format)s") % {"format": error.validator_value}
        ) + f" ({_shown(error.instance)})"
    return path, error.message


def schema_errors(ref: str, instance: Any, label: str) -> list[RecordError]:
    found = []
    for error in sorted(validator_for(ref).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        path, reason = _reason(error)
        found.append(RecordError(label, field_path(path) or "-", reason))
    return list(dict.fromkeys(found))


def validate(kind: str, record: Any, *, label: str | None = None) -> list[RecordError]:
    """The problems of one HSDS record of ``kind`` (``service``, ``organization``, ...) against the official schema;
    empty when it is valid HSDS. Fields the schema does not know (those of a profile) are allowed, as in HSDS."""
    return schema_errors(f"{kind}.json", record, label or record_label(kind, record))


# --- the mapping ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One HSDS object: its model, its one-to-one fields (HSDS names, schema order), the lists of objects nested in
    it (key -> kind and the link field on the child) and the single objects nested in it (key -> kind and the link
    field on this object)."""

    name: str
    model: type[models.Model]
    fields: tuple[str, ...]
    children: dict[str, tuple[str, str]] = field(default_factory=dict)
    single: dict[str, tuple[str, str]] = field(default_factory=dict)
    attributes: bool = False  # taxonomy terms attached through HSDS attributes are rows of ``Attribute``
    aliases: dict[str, str] = field(default_factory=dict)  # HSDS name -> model attname, where they differ

    def attname(self, name: str) -> str:
        return self.aliases.get(name, name)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("taxonomy", Taxonomy, ("id", "name", "description", "uri", "version")),
        Kind(
            "taxonomy_term",
            TaxonomyTerm,
            ("id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id", "term_uri"),
            single={"taxonomy_detail": ("taxonomy", "taxonomy_detail_id")},
            aliases={"taxonomy_id": "taxonomy_detail_id"},
        ),
        Kind(
            "organization",
            Organization,
            (
                "id",
                "name",
                "alternate_name",
                "description",
                "email",
                "website",
                "tax_status",
                "tax_id",
                "year_incorporated",
                "legal_status",
                "logo",
                "uri",
                "parent_organization_id",
            ),
            children={
                "phones": ("phone", "organization_id"),
                "locations": ("location", "organization_id"),
                "services": ("service", "organization_id"),
            },
            attributes=True,
        ),
        Kind(
            "location",
            Location,
            (
                "id",
                "location_type",
                "url",
                "organization_id",
                "name",
                "alternate_name",
                "description",
                "transportation",
                "latitude",
                "longitude",
                "external_identifier",
                "external_identifier_type",
            ),
            children={
                "languages": ("language", "location_id"),
                "addresses": ("address", "location_id"),
                "accessibility": ("accessibility", "location_id"),
                "phones": ("phone", "location_id"),
                "schedules": ("schedule", "location_id"),
            },
            attributes=True,
        ),
        Kind(
            "address",
            Address,
            (
                "id",
                "location_id",
                "attention",
                "address_1",
                "address_2",
                "city",
                "region",
                "state_province",
                "postal_code",
                "country",
                "address_type",
            ),
        ),
        Kind("accessibility", Accessibility, ("id", "location_id", "description", "details", "url")),
        Kind(
            "service",
            Service,
            (
                "id",
                "organization_id",
                "program_id",
                "name",
                "alternate_name",
                "description",
                "url",
                "email",
                "status",
                "interpretation_services",
                "application_process",
                "fees_description",
                "wait_time",
                "fees",
                "accreditations",
                "eligibility_description",
                "minimum_age",
                "maximum_age",
                "assured_date",
                "assurer_email",
                "licenses",
                "alert",
                "last_modified",
            ),
            children={
                "phones": ("phone", "service_id"),
                "schedules": ("schedule", "service_id"),
                "service_areas": ("service_area", "service_id"),
                "service_at_locations": ("service_at_location", "service_id"),
                "languages": ("language", "service_id"),
                "cost_options": ("cost_option", "service_id"),
            },
            single={"organization": ("organization", "organization_id")},
            attributes=True,
        ),
        Kind(
            "service_at_location",
            ServiceAtLocation,
            ("id", "service_id", "location_id", "description"),
            children={
                "phones": ("phone", "service_at_location_id"),
                "schedules": ("schedule", "service_at_location_id"),
            },
            single={"location": ("location", "location_id"), "service": ("service", "service_id")},
            attributes=True,
        ),
        Kind(
            "phone",
            Phone,
            (
                "id",
                "location_id",
                "service_id",
                "organization_id",
                "service_at_location_id",
                "number",
                "extension",
                "type",
                "description",
            ),
            children={"languages": ("language", "phone_id")},
        ),
        Kind(
            "schedule",
            Schedule,
            (
                "id",
                "service_id",
                "location_id",
                "service_at_location_id",
                "valid_from",
                "valid_to",
                "dtstart",
                "timezone",
                "until",
                "count",
                "wkst",
                "freq",
                "interval",
                "byday",
                "byweekno",
                "bymonthday",
                "byyearday",
                "description",
                "opens_at",
                "closes_at",
                "schedule_link",
                "attending_type",
                "notes",
            ),
        ),
        Kind("language", Language, ("id", "service_id", "location_id", "phone_id", "name", "code", "note")),
        Kind(
            "cost_option",
            CostOption,
            ("id", "service_id", "valid_from", "valid_to", "option", "currency", "amount", "amount_description"),
        ),
        Kind("service_area", ServiceArea, ("id", "service_id", "name", "description", "extent", "extent_type", "uri")),
        # HSDS 3.1's service_capacity, in the list ``capacities`` of a service (read by ``_parse_capacities``, not by
        # the schema), with Samen's waiting list as ``samen_waiting``.
        Kind(
            "service_capacity",
            ServiceCapacity,
            ("id", "service_id", "unit", "available", "maximum", "description", "updated", "samen_waiting"),
            aliases={"samen_waiting": "waiting"},
        ),
        Kind(
            "attribute",
            Attribute,
            ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
            single={"taxonomy_term": ("taxonomy_term", "taxonomy_term_id")},
        ),
    )
}
# Models in the order they are written (what a row links to is written before it).
WRITE_ORDER = (
    "taxonomy",
    "taxonomy_term",
    "organization",
    "location",
    "address",
    "accessibility",
    "service",
    "service_at_location",
    "phone",
    "schedule",
    "language",
    "cost_option",
    "service_area",
    "service_capacity",
    "attribute",
)
# Kept by Samen and never written by an import (besides the id).
SAMEN_FIELDS = {"maintainer", "informal", "created_at", "updated_at", "checked_at", "checked_by"}
# Coordinates outside the earth cannot be placed on a map (the official examples use 100 and 101): such a value is
# valid HSDS, so it is kept as it came (in ``extra``, exported unchanged) and the column stays empty.
COORDINATE_RANGE = {"latitude": 90, "longitude": 180}
# The key of a service's list of capacities (HSDS 3.1), and the largest count a capacity column holds (PostgreSQL's
# integer: the model's PositiveIntegerField).
CAPACITIES = "capacities"
COUNT_MAX = 2_147_483_647
# The namespace of the ids of capacity units: a unit's id is uuid5(UNIT_NAMESPACE, its name), so the same name has
# the same id in every export, on every installation. Never change it: exported unit ids would change with it.
UNIT_NAMESPACE = UUID("eba670b9-e768-4533-b41a-452bbed2b205")


def _model_field(model: type[models.Model], attname: str) -> models.Field:
    for model_field in model._meta.concrete_fields:
        if model_field.attname == attname:
            return model_field
    raise KeyError(attname)


def _is_link(model_field: models.Field) -> bool:
    return model_field.is_relation or isinstance(model_field, models.UUIDField)


# --- model -> HSDS ---------------------------------------------------------------------------------------------


def json_value(value: Any) -> Any:
    """A column value as JSON: ids and dates as text, amounts and coordinates as numbers (whole ones as integers)."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC)
        text = value.strftime("%Y-%m-%dT%H:%M:%S")
        if value.microsecond % 1000:
            text += f".{value.microsecond:06d}"
        elif value.microsecond:
            text += f".{value.microsecond // 1000:03d}"
        return text + "Z"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _own(kind: Kind, obj: models.Model, *, skip: frozenset[str] = frozenset(), one_to_one_only: bool = False) -> dict:
    """The fields of ``obj`` that HSDS names, without empty ones and without the links in ``skip``, then ``extra``
    (lists and objects in it only when ``one_to_one_only`` is false)."""
    data: dict[str, Any] = {}
    for name in kind.fields:
        if name in skip:
            continue
        value = getattr(obj, kind.attname(name))
        if value is None or value == "":
            continue
        data[name] = json_value(value)
    for key, value in (obj.extra or {}).items():
        if key in data or (one_to_one_only and isinstance(value, list)):
            continue
        data[key] = value
    return data


class Attributes:
    """The taxonomy terms attached to a set of objects, read in one query (``Attribute`` links by id and kind)."""

    def __init__(self, ids) -> None:
        self.by_link: dict[UUID, list[Attribute]] = {}
        ids = list(ids)
        if ids:
            rows = Attribute.objects.filter(link_id__in=ids).select_related("taxonomy_term__taxonomy_detail")
            for row in rows.order_by("id"):
                self.by_link.setdefault(row.link_id, []).append(row)

    def of(self, obj: models.Model) -> list[Attribute]:
        return self.by_link.get(obj.pk, [])


NO_ATTRIBUTES = Attributes([])


def taxonomy_data(taxonomy: Taxonomy) -> dict:
    return _own(KINDS["taxonomy"], taxonomy)


def taxonomy_term_data(term: TaxonomyTerm) -> dict:
    skip = frozenset({"taxonomy_id"}) if term.taxonomy_detail_id else frozenset()
    data = _own(KINDS["taxonomy_term"], term, skip=skip)
    if term.taxonomy_detail_id:
        data["taxonomy_detail"] = taxonomy_data(term.taxonomy_detail)
    return data


def _attributes_into(data: dict, obj: models.Model, attributes: Attributes) -> None:
    rows = [
        {
            **_own(KINDS["attribute"], row, skip=frozenset({"link_id", "taxonomy_term_id"})),
            "taxonomy_term": taxonomy_term_data(row.taxonomy_term),
        }
        for row in attributes.of(obj)
    ]
    if rows:
        data["attributes"] = rows + list(data.get("attributes", []))


# A nested object carries none of its links to the objects it can belong to: wherever it belongs, it is nested there
# (the official examples repeat one phone inside its service, location and organization, without ids of them).
NESTED_LINKS = {
    "phone": frozenset({"location_id", "service_id", "organization_id", "service_at_location_id"}),
    "language": frozenset({"service_id", "location_id", "phone_id"}),
    "schedule": frozenset({"service_id", "location_id", "service_at_location_id"}),
    "address": frozenset({"location_id"}),
    "accessibility": frozenset({"location_id"}),
    "cost_option": frozenset({"service_id"}),
    "service_area": frozenset({"service_id"}),
}


def _nested(kind: str, obj: models.Model) -> dict:
    return _own(KINDS[kind], obj, skip=NESTED_LINKS[kind])


def unit_id(name: str) -> UUID:
    """The id of a capacity unit: derived from its name (uuid5 on the fixed ``UNIT_NAMESPACE``), so it is stable."""
    return uuid5(UNIT_NAMESPACE, name)


def _unit_data(capacity: ServiceCapacity) -> dict:
    """The unit as HSDS 3.1's ``unit`` object: the one a file gave (its id, scheme, ...) while its name is still the
    unit of the capacity, else the name with its derived id."""
    given = (capacity.extra or {}).get("unit")
    if isinstance(given, dict) and given.get("name") == capacity.unit:
        return {"id": str(unit_id(capacity.unit)), **given}
    return {"id": str(unit_id(capacity.unit)), "name": capacity.unit}


def capacity_data(capacity: ServiceCapacity) -> dict:
    """One capacity as HSDS 3.1's ``service_capacity`` (with its ``service_id``, as 3.1 names it), plus Samen's
    waiting list as ``samen_waiting``."""
    data = _own(KINDS["service_capacity"], capacity)
    data["unit"] = _unit_data(capacity)
    return data


def phone_data(phone: Phone) -> dict:
    data = _nested("phone", phone)
    languages = [_nested("language", language) for language in phone.languages.all()]
    if languages:
        data["languages"] = languages
    return data


def location_data(location: Location, *, attributes: Attributes = NO_ATTRIBUTES, nested: bool = False) -> dict:
    """A location with everything nested in it (``examples/location.json``); ``nested`` (inside an organization or
    a service at a location) without its ``organization_id``, as in the examples."""
    data = _own(KINDS["location"], location, skip=frozenset({"organization_id"}) if nested else frozenset())
    items = {
        "languages": [_nested("language", item) for item in location.languages.all()],
        "addresses": [_nested("address", item) for item in location.addresses.all()],
        "accessibility": [_nested("accessibility", item) for item in location.accessibility.all()],
        "phones": [phone_data(item) for item in location.phones.all()],
        "schedules": [_nested("schedule", item) for item in location.schedules.all()],
    }
    data.update({key: value for key, value in items.items() if value})
    _attributes_into(data, location, attributes)
    return data


def location_list_data(location: Location) -> dict:
    return _own(KINDS["location"], location, skip=frozenset({"organization_id"}), one_to_one_only=True)


def organization_data(
    organization: Organization, *, attributes: Attributes = NO_ATTRIBUTES, services: bool = False
) -> dict:
    """An organization with its phones and locations (as nested in ``service_full.json``), and with ``services`` its
    services in full (``organization_full.json``)."""
    data = _own(KINDS["organization"], organization)
    phones = [phone_data(item) for item in organization.phones.all()]
    locations = [location_data(item, attributes=attributes, nested=True) for item in organization.locations.all()]
    if phones:
        data["phones"] = phones
    if locations:
        data["locations"] = locations
    if services:
        listed = [
            service_data(item, attributes=attributes, organization=False, nested=True)
            for item in organization.services.all()
        ]
        if listed:
            data["services"] = listed
    _attributes_into(data, organization, attributes)
    return data


def organization_list_data(organization: Organization) -> dict:
    return _own(KINDS["organization"], organization, one_to_one_only=True)


def service_at_location_data(
    sal: ServiceAtLocation, *, attributes: Attributes = NO_ATTRIBUTES, service: bool = True
) -> dict:
    """A service at a location with its location in full and (``service``) its service with its organization
    (``service_at_location_full.json``); inside a service without the service."""
    data = _own(KINDS["service_at_location"], sal, skip=frozenset({"service_id", "location_id"}))
    phones = [phone_data(item) for item in sal.phones.all()]
    schedules = [_nested("schedule", item) for item in sal.schedules.all()]
    if phones:
        data["phones"] = phones
    if schedules:
        data["schedules"] = schedules
    data["location"] = location_data(sal.location, attributes=attributes, nested=True)
    if service:
        data["service"] = service_data(sal.service, attributes=attributes, locations=False)
    _attributes_into(data, sal, attributes)
    return data


def service_at_location_list_data(sal: ServiceAtLocation) -> dict:
    data = _own(KINDS["service_at_location"], sal, skip=frozenset({"service_id", "location_id"}), one_to_one_only=True)
    data["location"] = location_list_data(sal.location)
    data["service"] = service_list_data(sal.service)
    return data


def service_data(
    service: Service,
    *,
    attributes: Attributes = NO_ATTRIBUTES,
    organization: bool = True,
    locations: bool = True,
    nested: bool = False,
) -> dict:
    """A service with everything nested in it (``service_full.json``): with ``organization`` its organization nested
    (else its ``organization_id``, unless it is ``nested`` in its organization), with ``locations`` its services at
    locations, and its ``capacities`` (HSDS 3.1) when it has any."""
    skip = {"organization_id"} if organization or nested else set()
    data = _own(KINDS["service"], service, skip=frozenset(skip))
    data.pop(CAPACITIES, None)  # only the table's capacity (``extra`` of an import before capacity was read)
    nested = {
        "phones": [phone_data(item) for item in service.phones.all()],
        "schedules": [_nested("schedule", item) for item in service.schedules.all()],
        "service_areas": [_nested("service_area", item) for item in service.service_areas.all()],
        "service_at_locations": [
            service_at_location_data(item, attributes=attributes, service=False)
            for item in (service.service_at_locations.all() if locations else [])
        ],
        "languages": [_nested("language", item) for item in service.languages.all()],
        "cost_options": [_nested("cost_option", item) for item in service.cost_options.all()],
        CAPACITIES: [capacity_data(item) for item in service.capacities.all()],
    }
    data.update({key: value for key, value in nested.items() if value})
    if organization:
        data["organization"] = organization_data(service.organization, attributes=attributes)
    _attributes_into(data, service, attributes)
    return data


def service_list_data(service: Service) -> dict:
    """A service with its one-to-one fields and its organization (``service_list.json``)."""
    data = _own(KINDS["service"], service, skip=frozenset({"organization_id"}), one_to_one_only=True)
    data["organization"] = organization_list_data(service.organization)
    return data


# --- HSDS -> rows -----------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One object of an import: its model, id, the columns the file gives (attnames), what the map keeps in
    ``extra``, and where it was found (for errors)."""

    kind: str
    id: UUID
    values: dict[str, Any]
    extra: dict[str, Any]
    label: str
    path: str


@dataclass
class Parsed:
    rows: dict[tuple[str, UUID], Row] = field(default_factory=dict)
    errors: list[RecordError] = field(default_factory=list)
    warnings: list[RecordError] = field(default_factory=list)
    # The services whose file gives a list ``capacities`` (even an empty one), with the ids in it: their capacity is
    # what the file says (the importer removes the others). A service without the key keeps what is stored.
    capacities: dict[UUID, set[UUID]] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        key = (row.kind, row.id)
        known = self.rows.get(key)
        if known is None:
            self.rows[key] = row
            return
        for name, value in row.values.items():
            if name in known.values and known.values[name] != value:
                self.errors.append(
                    RecordError(
                        row.label,
                        f"{row.path}.{name}" if row.path else name,
                        _("the %(kind)s %(id)s is given more than once with a different %(field)s")
                        % {"kind": row.kind.replace("_", " "), "id": row.id, "field": name},
                    )
                )
            else:
                known.values[name] = value
        for name, value in row.extra.items():
            known.extra.setdefault(name, value)


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


_WHOLE = (models.IntegerField, models.PositiveIntegerField, models.PositiveSmallIntegerField)


def convert(model: type[models.Model], attname: str, value: Any) -> Any:
    """An HSDS value as the column stores it, checked by the model field; raises ``ValidationError``."""
    model_field = _model_field(model, attname)
    if _is_link(model_field):
        try:
            return UUID(str(value))
        except ValueError:
            raise ValidationError(_("is not a valid id: HSDS ids are UUIDs")) from None
    if isinstance(model_field, _WHOLE):
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise ValidationError(_("must be a whole number"))
        value = int(value)
    elif isinstance(model_field, models.DecimalField):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValidationError(_("must be a number"))
        try:
            value = Decimal(repr(value) if isinstance(value, float) else str(value))
        except InvalidOperation:
            raise ValidationError(_("must be a number")) from None
    elif isinstance(model_field, models.FloatField):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(_("must be a number"))
        value = float(value)
    elif isinstance(model_field, models.DateTimeField):
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValidationError(_("is not a date and time such as 2024-05-01T09:30:00Z"))
        value = parsed
    elif isinstance(model_field, models.DateField):
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValidationError(_("is not a date such as 2024-05-01"))
    elif isinstance(model_field, models.TimeField):
        if not isinstance(value, str) or not re.fullmatch(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?", value):
            raise ValidationError(_("is not a time such as 09:30:00"))
    elif not isinstance(value, str):
        raise ValidationError(_("must be text"))
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError(_("contains a character that cannot be stored"))
    # A TextField checks its max_length only in forms: the import checks it here.
    limit = model_field.max_length
    if isinstance(value, str) and limit and len(value) > limit:
        raise ValidationError(
            _("is too long: at most %(limit)d characters, it has %(count)d") % {"limit": limit, "count": len(value)}
        )
    return model_field.clean(value, None)


# The offsets clocks on earth use (UTC-12 to UTC+14). Python accepts up to a day; PostgreSQL refuses beyond 15:59,
# and near year 1 or 9999 a larger one leaves the calendar when the moment is turned into UTC.
LARGEST_OFFSET = dt.timedelta(hours=14)


def parse_datetime(value: Any) -> dt.datetime | None:
    """An ISO 8601 date and time as a moment in UTC (without an offset: taken as UTC), or None when it is not one a
    database can store."""
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
        if not timezone.is_aware(parsed):
            return parsed.replace(tzinfo=dt.UTC)
        if abs(parsed.utcoffset()) > LARGEST_OFFSET:
            return None
        return parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None


def parse(kind_name: str, record: dict, *, label: str, into: Parsed | None = None) -> Parsed:
    """The rows of one valid HSDS record with everything nested in it."""
    parsed = into if into is not None else Parsed()
    _parse(kind_name, record, links={}, label=label, path="", parsed=parsed)
    return parsed


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _parse(
    kind_name: str, record: dict, *, links: dict[str, UUID], label: str, path: str, parsed: Parsed
) -> UUID | None:
    kind = KINDS[kind_name]
    try:
        row_id = UUID(str(record.get("id")))
    except ValueError:
        parsed.errors.append(RecordError(label, _join(path, "id"), _("is not a valid id: HSDS ids are UUIDs")))
        return None
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    handled = set(kind.fields) | set(kind.children) | set(kind.single)
    for name in kind.fields:
        value = record.get(name)
        if name == "id" or value is None:
            continue
        attname = kind.attname(name)
        try:
            converted = convert(kind.model, attname, value)
        except ValidationError as error:
            parsed.errors.append(RecordError(label, _join(path, name), _messages(error)))
            continue
        limit = COORDINATE_RANGE.get(name) if kind.model is Location else None
        if limit is not None and not -limit <= converted <= limit:
            extra[name] = value
            parsed.warnings.append(
                RecordError(
                    label,
                    _join(path, name),
                    _("%(value)s is not between -%(limit)s and %(limit)s: kept as given, but not shown on a map")
                    % {"value": value, "limit": limit},
                )
            )
            continue
        values[attname] = converted
    for attname, parent_id in links.items():
        given = values.get(attname)
        if given is not None and given != parent_id:
            parsed.errors.append(
                RecordError(
                    label,
                    _join(path, attname),
                    _("says it belongs to %(given)s, but it is inside %(parent)s")
                    % {"given": given, "parent": parent_id},
                )
            )
        values[attname] = parent_id
    for key, (child_kind, own_link) in kind.single.items():
        nested = record.get(key)
        if not isinstance(nested, dict):
            continue
        nested_id = _parse(child_kind, nested, links={}, label=label, path=_join(path, key), parsed=parsed)
        if nested_id is None:
            continue
        if values.get(own_link) not in (None, nested_id):
            parsed.errors.append(
                RecordError(
                    label,
                    _join(path, key),
                    _("the nested %(key)s has another id than %(field)s")
                    % {
                        "key": key,
                        "field": own_link,
                    },
                )
            )
        values[own_link] = nested_id
    for key, (child_kind, child_link) in kind.children.items():
        for index, child in enumerate(record.get(key) or []):
            if isinstance(child, dict):
                _parse(
                    child_kind,
                    child,
                    links={child_link: row_id},
                    label=label,
                    path=f"{_join(path, key)}[{index}]",
                    parsed=parsed,
                )
    if kind.attributes:
        handled.add("attributes")
        loose = []
        for index, attribute in enumerate(record.get("attributes") or []):
            if isinstance(attribute, dict) and (attribute.get("taxonomy_term_id") or attribute.get("taxonomy_term")):
                _parse(
                    "attribute",
                    {"link_entity": kind_name, **attribute},
                    links={"link_id": row_id},
                    label=label,
                    path=f"{_join(path, 'attributes')}[{index}]",
                    parsed=parsed,
                )
            else:
                loose.append(attribute)
        if loose:
            extra["attributes"] = loose
    if kind_name == "service":
        handled.add(CAPACITIES)
        if record.get(CAPACITIES) is not None:
            _parse_capacities(record[CAPACITIES], service_id=row_id, label=label, path=path, parsed=parsed)
    for key, value in record.items():
        if key not in handled:
            extra[key] = value
    parsed.add(Row(kind_name, row_id, values, extra, label, path))
    return row_id


def _count(value: Any) -> int:
    """A count of a capacity (available, maximum, people waiting): a whole number from 0; raises ``ValidationError``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value != int(value):
        raise ValidationError(_("must be a whole number"))
    if value < 0:
        raise ValidationError(_("cannot be below 0"))
    if value > COUNT_MAX:
        raise ValidationError(_("is too large: at most %(limit)d") % {"limit": COUNT_MAX})
    return int(value)


def _parse_capacities(given: Any, *, service_id: UUID, label: str, path: str, parsed: Parsed) -> None:
    """The rows of a service's list ``capacities`` (HSDS 3.1's service_capacity), checked by Samen's rules since the
    3.0 schemas do not know it: ``id`` a UUID, ``unit`` a unit object with a name (or the name as text),
    ``available`` a whole number from 0, ``maximum`` empty or a whole number not below ``available``,
    ``samen_waiting`` empty or a whole number from 0, ``description`` text within the column, ``updated`` a date and
    time when given. Fields it does not know are kept in ``extra`` and given back."""
    where = _join(path, CAPACITIES)
    if not isinstance(given, list):
        parsed.errors.append(
            RecordError(
                label,
                where,
                _("must be %(type)s, not %(value)s") % {"type": _type_words("array"), "value": _shown(given)},
            )
        )
        return
    listed = parsed.capacities.setdefault(service_id, set())
    for index, capacity in enumerate(given):
        at = f"{where}[{index}]"
        if not isinstance(capacity, dict):
            parsed.errors.append(
                RecordError(
                    label,
                    at,
                    _("must be %(type)s, not %(value)s") % {"type": _type_words("object"), "value": _shown(capacity)},
                )
            )
            continue
        errors: list[RecordError] = []

        def fail(name: str, reason: str, at: str = at, errors: list = errors) -> None:
            errors.append(RecordError(label, _join(at, name), reason))

        values: dict[str, Any] = {"service_id": service_id}
        extra: dict[str, Any] = {}
        row_id = None
        if capacity.get("id") is None:
            fail("id", _("is missing; HSDS requires it"))
        else:
            try:
                row_id = UUID(capacity["id"]) if isinstance(capacity["id"], str) else None
            except ValueError:
                row_id = None
            if row_id is None:
                fail("id", _("is not a valid id: HSDS ids are UUIDs"))
        if capacity.get("service_id") is not None:
            try:
                given_service = UUID(str(capacity["service_id"]))
            except ValueError:
                fail("service_id", _("is not a valid id: HSDS ids are UUIDs"))
            else:
                if given_service != service_id:
                    fail(
                        "service_id",
                        _("says it belongs to %(given)s, but it is inside %(parent)s")
                        % {"given": given_service, "parent": service_id},
                    )
        unit = capacity.get("unit")
        name = None
        if unit is None:
            fail("unit", _("is missing; HSDS requires it"))
        elif isinstance(unit, str):
            name, name_at = unit, "unit"
        elif isinstance(unit, dict):
            name, name_at = unit.get("name"), "unit.name"
            if name is None:
                fail(name_at, _("is missing; HSDS requires it"))
            if unit.get("id") is not None:
                try:
                    UUID(str(unit["id"]))
                except ValueError:
                    fail("unit.id", _("is not a valid id: HSDS ids are UUIDs"))
        else:
            fail(
                "unit",
                _("must be %(type)s, not %(value)s")
                % {"type": _type_words(["object", "string"]), "value": _shown(unit)},
            )
        if name is not None:
            if isinstance(name, str) and not name.strip():
                fail(name_at, _("must not be empty"))
            else:
                try:
                    values["unit"] = convert(ServiceCapacity, "unit", name)
                except ValidationError as error:
                    fail(name_at, _messages(error))
        # A unit object that says more than its name (its own id, a scheme, ...) is kept and given back.
        if isinstance(unit, dict) and "unit" in values:
            derived = {"id": str(unit_id(values["unit"])), "name": values["unit"]}
            if unit not in (derived, {"name": values["unit"]}):
                extra["unit"] = unit
        for name, attname, required in (
            ("available", "available", True),
            ("maximum", "maximum", False),
            ("samen_waiting", "waiting", False),
        ):
            if capacity.get(name) is None:
                if required:
                    fail(name, _("is missing; HSDS requires it"))
                continue
            try:
                values[attname] = _count(capacity[name])
            except ValidationError as error:
                fail(name, _messages(error))
        available, maximum = values.get("available"), values.get("maximum")
        if available is not None and maximum is not None and available > maximum:
            fail("available", _("is above the maximum (%(maximum)d)") % {"maximum": maximum})
        if capacity.get("description") is not None:
            try:
                values["description"] = convert(ServiceCapacity, "description", capacity["description"])
            except ValidationError as error:
                fail("description", _messages(error))
        if capacity.get("updated") is not None:
            moment = parse_datetime(capacity["updated"])
            if moment is None:
                fail("updated", _("is not a date and time such as 2024-05-01T09:30:00Z"))
            else:
                values["updated"] = moment
        known = set(KINDS["service_capacity"].fields)
        extra.update({key: value for key, value in capacity.items() if key not in known})
        if errors or row_id is None:
            parsed.errors.extend(errors)
            continue
        listed.add(row_id)
        parsed.add(Row("service_capacity", row_id, values, extra, label, at))


def kind_of(record: Any) -> str | None:
    """What kind of HSDS object a record without a type is, from the fields only that kind has; None when it
    cannot be told (a record with only id, name and description)."""
    if not isinstance(record, dict):
        return None
    keys = set(record)
    if keys & {
        "status",
        "service_at_locations",
        "organization",
        "cost_options",
        "service_areas",
        "program_id",
        CAPACITIES,
    }:
        return "service"
    if "location_type" in keys or keys & {"addresses", "accessibility", "transportation", "latitude", "longitude"}:
        return "location"
    if keys & {"location", "service", "location_id", "service_id"}:
        return "service_at_location"
    if keys & {"taxonomy_id", "taxonomy_detail", "taxonomy", "code", "parent_id", "term_uri", "language"}:
        return "taxonomy_term"
    organization_only = set(KINDS["organization"].fields) - {"id", "name", "description", "uri"}
    if keys & (
        organization_only | {"services", "locations", "phones", "funding", "programs", "organization_identifiers"}
    ):
        return "organization"
    if keys & {"uri", "version"}:
        return "taxonomy"
    return None


# --- reading for export and the API: a fixed number of queries, however many rows ---------------------------------


def _phones() -> models.Prefetch:
    return models.Prefetch("phones", queryset=Phone.objects.prefetch_related("languages"))


def locations_full() -> models.QuerySet[Location]:
    return Location.objects.prefetch_related("languages", "addresses", "accessibility", _phones(), "schedules")


def organizations_full(*, services: bool = False) -> models.QuerySet[Organization]:
    lookups: list = [_phones(), models.Prefetch("locations", queryset=locations_full())]
    if services:
        lookups.append(models.Prefetch("services", queryset=services_full(organization=False)))
    return Organization.objects.prefetch_related(*lookups)


def service_at_locations_full(*, service: bool = True) -> models.QuerySet[ServiceAtLocation]:
    lookups: list = [_phones(), "schedules", models.Prefetch("location", queryset=locations_full())]
    if service:
        lookups.append(models.Prefetch("service", queryset=services_full(locations=False)))
    return ServiceAtLocation.objects.prefetch_related(*lookups)


def services_full(*, organization: bool = True, locations: bool = True) -> models.QuerySet[Service]:
    lookups: list = [_phones(), "schedules", "service_areas", "languages", "cost_options", CAPACITIES]
    if locations:
        lookups.append(models.Prefetch("service_at_locations", queryset=service_at_locations_full(service=False)))
    if organization:
        lookups.append(models.Prefetch("organization", queryset=organizations_full()))
    return Service.objects.prefetch_related(*lookups)


def taxonomy_terms_full() -> models.QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.select_related("taxonomy_detail")


def attributes_of(objects) -> Attributes:
    """The attributes of these objects and of everything nested in them that can carry attributes, in one query."""
    ids: set[UUID] = set()

    def collect(obj) -> None:
        if obj.pk in ids:
            return
        ids.add(obj.pk)
        cache = getattr(obj, "_prefetched_objects_cache", {})
        for name in ("locations", "services", "service_at_locations"):
            for item in cache.get(name, []):
                collect(item)
        for name in ("organization", "location", "service"):
            if name in obj._state.fields_cache and obj._state.fields_cache[name] is not None:
                collect(obj._state.fields_cache[name])

    for obj in objects:
        collect(obj)
    return Attributes(ids)


def export_data() -> dict[str, list[dict]]:
    """All of the map as one HSDS file (a dict of lists, which the import takes): every organization with its phones
    and locations, every service in full with its ``organization_id``, every taxonomy and term."""
    organizations = list(organizations_full())
    services = list(services_full(organization=False))
    locations = list(locations_full().filter(organization__isnull=True, service_at_locations__isnull=True))
    attributes = attributes_of([*organizations, *services, *locations])
    return {
        "organizations": [organization_data(item, attributes=attributes) for item in organizations],
        "services": [service_data(item, attributes=attributes, organization=False) for item in services],
        "locations": [location_data(item, attributes=attributes) for item in locations],
        "taxonomies": [taxonomy_data(item) for item in Taxonomy.objects.all()],
        "taxonomy_terms": [taxonomy_term_data(item) for item in taxonomy_terms_full()],
    }


def export_errors(data: dict[str, list[dict]]) -> list[RecordError]:
    """What in an export does not validate against the official schemas (nothing, unless something is wrong)."""
    errors: list[RecordError] = []
    for key, records in data.items():
        kind = TOP_KINDS[key]
        for record in records:
            errors.extend(validate(kind, record))
    return errors
