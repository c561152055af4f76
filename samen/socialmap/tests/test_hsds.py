"""The HSDS 3.0 mapping (``samen/socialmap/hsds.py``): the official schemas in a local registry, errors in plain words,
and every official example imported and exported back equal.

Round-trip normalisation (``normalised``), and why:
- keys whose value is ``null``, ``""`` or ``[]`` are dropped: the map stores an absent text as empty text and an
  export leaves empty values out, so "absent", "null" and "empty" are the same fact in HSDS;
- lists of objects are compared in a fixed order (sorted by their JSON): an export lists nested objects in the
  order of their ids, a file may list them in any order, and HSDS gives the order no meaning;
- whole floats equal integers (``100.0`` == ``100``): both are the JSON number 100;
- a time of day without seconds equals the same time with ``:00`` (``location.json`` writes ``"10:00"``, the other
  examples ``"10:00:00"``): the map stores a time, and exports it as ``HH:MM:SS``.
Nothing else is changed: every key, nested object, id, date, time and date-time must come back as it was.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from referencing.exceptions import Unresolvable

from samen.core.actor import SYSTEM
from samen.socialmap import hsds
from samen.socialmap.importing import hsds_import
from samen.socialmap.models import ImportStatus, Location, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from samen.socialmap.tests import factories

HSDS_DIR = settings.BASE_DIR.parent / "shared" / "testdata" / "hsds-3.0"
EXAMPLES = HSDS_DIR / "examples"

# Each official example of one object, the kind it is, and how the map exports that shape.
SINGLE_EXAMPLES = {
    "service_full.json": (
        "service",
        lambda pk: hsds.service_data(_one(hsds.services_full(), pk), attributes=_attrs(pk)),
    ),
    "organization_full.json": (
        "organization",
        lambda pk: hsds.organization_data(
            _one(hsds.organizations_full(services=True), pk), attributes=_attrs(pk), services=True
        ),
    ),
    "service_at_location_full.json": (
        "service_at_location",
        lambda pk: hsds.service_at_location_data(_one(hsds.service_at_locations_full(), pk), attributes=_attrs(pk)),
    ),
    "location.json": ("location", lambda pk: hsds.location_data(_one(hsds.locations_full(), pk))),
    "taxonomy.json": ("taxonomy", lambda pk: hsds.taxonomy_data(Taxonomy.objects.get(pk=pk))),
    "taxonomy_term.json": ("taxonomy_term", lambda pk: hsds.taxonomy_term_data(_one(hsds.taxonomy_terms_full(), pk))),
}
# Each official list page, the kind of its contents, and the list shape of one item.
LIST_EXAMPLES = {
    "service_list.json": (
        "service",
        lambda pk: hsds.service_list_data(Service.objects.select_related("organization").get(pk=pk)),
    ),
    "organization_list.json": (
        "organization",
        lambda pk: hsds.organization_list_data(_one(hsds.organizations_full(), pk)),
    ),
    "service_at_location_list.json": (
        "service_at_location",
        lambda pk: hsds.service_at_location_list_data(
            ServiceAtLocation.objects.select_related("location", "service__organization").get(pk=pk)
        ),
    ),
    "taxonomy_list.json": ("taxonomy", lambda pk: hsds.taxonomy_data(Taxonomy.objects.get(pk=pk))),
    "taxonomy_term_list.json": (
        "taxonomy_term",
        lambda pk: hsds.taxonomy_term_data(_one(hsds.taxonomy_terms_full(), pk)),
    ),
}


def _one(queryset, pk):
    return queryset.get(pk=pk)


def _attrs(pk):
    """The attributes of the exported object and everything nested in it (as the API reads them)."""
    for queryset in (
        hsds.services_full(),
        hsds.organizations_full(services=True),
        hsds.service_at_locations_full(),
    ):
        obj = queryset.filter(pk=pk).first()
        if obj is not None:
            return hsds.attributes_of([obj])
    raise AssertionError(pk)


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English source texts (Dutch is the default language)."""
    with translation.override("en"):
        yield


def example(name: str):
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def normalised(value):
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items() if item is not None and item != "" and item != []}
    if isinstance(value, list):
        return sorted((normalised(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\d{2}:\d{2}", value):
        return value + ":00"
    return value


# --- the schemas ---------------------------------------------------------------------------------------------------


def test_the_tests_read_the_official_files_from_beside_the_repository():
    assert (HSDS_DIR / "schema" / "service.json").is_file()
    assert Path(settings.SAMEN_HSDS_SCHEMA_DIR) == HSDS_DIR / "schema"


@pytest.mark.parametrize("name", sorted(SINGLE_EXAMPLES))
def test_every_official_example_of_one_object_is_valid(name):
    kind, _export = SINGLE_EXAMPLES[name]
    assert hsds.validate(kind, example(name)) == []


@pytest.mark.parametrize("name", sorted(LIST_EXAMPLES))
def test_every_official_list_page_is_valid_against_openapi(name):
    kind, _export = LIST_EXAMPLES[name]
    path = {"service": "services", "organization": "organizations", "taxonomy": "taxonomies"}.get(kind, kind + "s")
    ref = f"openapi.json#/paths/~1{path}/get/responses/200/content/application~1json/schema"
    assert list(hsds.validator_for(ref).iter_errors(example(name))) == []
    for item in example(name)["contents"]:
        assert hsds.validate(kind, item) == []


def test_the_registry_resolves_file_names_and_official_addresses_and_never_fetches():
    registry = hsds.registry()
    assert registry.contents("phone.json")["name"] == "phone"
    assert registry.contents(hsds.OFFICIAL_BASES[1] + "service_list.json")["name"] == "service"
    with pytest.raises(Unresolvable):
        registry.resolver().lookup("https://example.org/elsewhere.json")


def test_a_missing_schema_folder_is_named_in_the_error(settings, tmp_path):
    settings.SAMEN_HSDS_SCHEMA_DIR = tmp_path / "nowhere"
    with pytest.raises(hsds.SchemaFolderMissing, match="SAMEN_HSDS_SCHEMA_DIR") as error:
        hsds.validate("service", {})
    assert str(tmp_path / "nowhere") in str(error.value)


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"name": None}, "name", "is missing; HSDS requires it"),
        ({"status": "open"}, "status", "must be one of: active, inactive, defunct, temporarily closed (it is open)"),
        ({"minimum_age": "twelve"}, "minimum_age", "must be a number, not twelve"),
        ({"id": "12345"}, "id", "is not a valid id"),
        ({"email": "not-an-address"}, "email", "is not an e-mail address"),
        ({"phones": [{"id": "1554f2e2-a373-45db-a3fa-9fc48a61c15e"}]}, "phones[0].number", "is missing"),
    ],
)
def test_schema_errors_name_the_record_the_field_and_the_reason(change, field, reason):
    record = {"id": "ac148810-d857-441c-9679-408f346de14b", "name": "Schuldhulp", "status": "active"}
    record.update(change)
    record = {key: value for key, value in record.items() if value is not None}
    errors = hsds.validate("service", record)
    assert len(errors) == 1, errors
    assert errors[0].field == field and errors[0].reason.startswith(reason)
    assert errors[0].record.startswith("service ")


# --- round trips ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SINGLE_EXAMPLES))
def test_every_official_example_imports_and_exports_back_equal(name):
    kind, export = SINGLE_EXAMPLES[name]
    data = example(name)
    result = hsds_import(actor=SYSTEM, data=data, filename=name)
    assert result.status == ImportStatus.DONE, result.errors
    exported = export(data["id"])
    assert hsds.validate(kind, exported) == []
    assert normalised(exported) == normalised(data)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(LIST_EXAMPLES))
def test_every_official_list_page_imports_and_its_contents_export_back_equal(name):
    kind, export = LIST_EXAMPLES[name]
    data = example(name)
    result = hsds_import(actor=SYSTEM, data=data, filename=name)
    assert result.status == ImportStatus.DONE, result.errors
    assert [normalised(export(item["id"])) for item in data["contents"]] == normalised(data["contents"])


@pytest.mark.django_db
def test_coordinates_off_the_earth_are_kept_as_given_with_a_warning():
    result = hsds_import(actor=SYSTEM, data=example("location.json"))
    location = Location.objects.get()
    assert location.latitude is None and location.extra["latitude"] == 100  # the official example's placeholder
    assert location.longitude == 101
    assert any(error.get("warning") and error["field"] == "latitude" for error in result.errors)


# --- exports -------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_export_of_demo_like_data_validates_and_has_the_right_json_types():
    service = factories.ServiceFactory(name="Schuldhulp", minimum_age=18, url="https://voorbeeld.nl/schuldhulp")
    location = factories.LocationFactory(organization=service.organization, latitude=52.09, longitude=5.12)
    factories.AddressFactory(location=location)
    factories.ServiceAtLocationFactory(service=service, location=location)
    factories.ScheduleFactory(service=service, opens_at=datetime.time(9, 0), closes_at=datetime.time(17, 0))
    factories.CostOptionFactory(service=service, amount=Decimal("12.50"))
    term = factories.TaxonomyTermFactory(name="Geldzaken")
    factories.attach(service, term)
    data = hsds.export_data()
    assert hsds.export_errors(data) == []
    exported = data["services"][0]
    assert exported["organization_id"] == str(service.organization_id)
    assert exported["cost_options"][0]["amount"] == 12.5
    assert exported["schedules"][0]["opens_at"] == "09:00:00"
    assert exported["minimum_age"] == 18
    assert exported["attributes"][0]["taxonomy_term"]["name"] == "Geldzaken"
    assert exported["service_at_locations"][0]["location"]["latitude"] == 52.09
    assert exported["last_modified"].endswith("Z")
    assert json.loads(json.dumps(data)) == data  # plain JSON
    assert TaxonomyTerm.objects.count() == len(data["taxonomy_terms"])


# --- capacity (HSDS 3.1's service_capacity inside HSDS 3.0) --------------------------------------------------------


@pytest.mark.django_db
def test_capacity_is_exported_as_hsds_3_1_gives_it_with_the_waiting_list_and_stays_valid_3_0():
    service = factories.ServiceFactory(name="Schuldhulp")
    full = factories.CapacityFactory(service=service, available=0, maximum=10, waiting=4, description="Intake")
    open_ended = factories.CapacityFactory(service=service, unit="uren", available=12, maximum=None)
    data = hsds.export_data()
    assert hsds.export_errors(data) == []
    capacities = {item["id"]: item for item in data["services"][0]["capacities"]}
    assert capacities[str(full.pk)] == {
        "id": str(full.pk),
        "service_id": str(service.pk),
        "unit": {"id": str(hsds.unit_id("plaatsen")), "name": "plaatsen"},
        "available": 0,
        "maximum": 10,
        "description": "Intake",
        "updated": hsds.json_value(full.updated),
        "samen_waiting": 4,
    }
    assert capacities[str(open_ended.pk)]["unit"]["name"] == "uren"
    assert "maximum" not in capacities[str(open_ended.pk)] and "samen_waiting" not in capacities[str(open_ended.pk)]
    # The unit's id is derived from its name: the same in every export, and a valid HSDS id.
    assert hsds.unit_id("plaatsen") == hsds.unit_id("plaatsen") != hsds.unit_id("uren")
    assert str(hsds.unit_id("plaatsen")) == "60d4d63e-848f-5b81-9c6c-c137c0517935"
    # What the export writes, Samen's own capacity rules take back without a word.
    parsed = hsds.parse("service", data["services"][0], label="service")
    assert parsed.errors == [] and parsed.capacities == {service.pk: {full.pk, open_ended.pk}}


@pytest.mark.django_db
def test_a_service_without_capacity_has_no_capacities_key():
    assert hsds_import(actor=SYSTEM, data=example("service_full.json")).status == ImportStatus.DONE
    exported = hsds.service_data(_one(hsds.services_full(), example("service_full.json")["id"]))
    assert "capacities" not in exported


@pytest.mark.django_db
def test_the_export_reads_capacity_in_a_fixed_number_of_queries():
    def export_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            hsds.export_data()
        return len(context.captured_queries)

    for _n in range(2):
        factories.CapacityFactory()
    few = export_queries()
    for _n in range(8):
        factories.CapacityFactory(service=factories.CapacityFactory().service)
    assert export_queries() == few
