"""Importing HSDS files (``importing.py``), the commands ``import_hsds`` and ``export_hsds``, and the upload page
(``views_import.py``)."""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from samen.accounts.tests.factories import UserFactory
from samen.core.actor import SYSTEM
from samen.core.models import AuditEntry
from samen.households.tests.factories import HouseholdMemberFactory
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from samen.socialmap import hsds, importing
from samen.socialmap.importing import hsds_import
from samen.socialmap.models import (
    DirectoryImport,
    ImportStatus,
    Location,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    Taxonomy,
    TaxonomyTerm,
)
from samen.socialmap.search import Filters, search
from samen.socialmap.tests import factories
from samen.socialmap.tests.test_hsds import EXAMPLES, example, normalised

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English source texts (Dutch is the default language)."""
    with translation.override("en"):
        yield


SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def small_service(**changes) -> dict:
    record = {
        "id": SERVICE_ID,
        "name": "Schuldhulp Noord",
        "status": "active",
        "description": "Hulp bij geldzaken.",
        "organization": {"id": ORG_ID, "name": "Gemeente Voorbeeld", "description": "De gemeente."},
        "phones": [{"id": "1554f2e2-a373-45db-a3fa-9fc48a61c15e", "number": "030 123 4567"}],
    }
    record.update(changes)
    return record


CAPACITY_ID = "8896b788-7b3e-11ef-8db9-7f3d040352b3"
OTHER_CAPACITY_ID = "5f0c8e1e-2d3b-4c4a-9a51-6a2d1f3e4b70"


def capacity(**changes) -> dict:
    """A capacity as HSDS 3.1 gives it (``unit`` a unit object), with Samen's waiting list."""
    record = {
        "id": CAPACITY_ID,
        "unit": {"id": "187a37a2-7b40-11ef-9790-dbf7623d4407", "name": "plaatsen", "scheme": "Samen"},
        "available": 2,
        "maximum": 12,
        "description": "Plaatsen voor een intakegesprek.",
        "updated": "2024-09-25T14:23:06.500Z",
        "samen_waiting": 5,
    }
    record.update(changes)
    return {key: value for key, value in record.items() if value is not None}


def nothing_imported() -> bool:
    return not (
        Service.objects.exists()
        or Organization.objects.exists()
        or Phone.objects.exists()
        or ServiceCapacity.objects.exists()
    )


# --- shapes --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape",
    [
        lambda record: record,
        lambda record: [record],
        lambda record: {"total_items": 1, "total_pages": 1, "page_number": 1, "contents": [record]},
        lambda record: {"version": "3.0", "services": [record]},
    ],
    ids=["one object", "a list", "an API page", "lists by type"],
)
def test_every_accepted_shape_imports(shape):
    result = hsds_import(actor=SYSTEM, data=shape(small_service()), filename="diensten.json")
    assert result.status == ImportStatus.DONE, result.errors
    assert (result.total, result.done, result.created, result.updated) == (1, 1, 3, 0)
    service = Service.objects.select_related("organization").get()
    assert service.organization.name == "Gemeente Voorbeeld" and service.phones.get().number == "030 123 4567"
    assert "gemeente voorbeeld" in service.search_text.lower()  # the search columns were recomputed


def test_a_dict_of_lists_of_every_kind_imports_and_links_across_lists():
    data = {
        "organizations": [{"id": ORG_ID, "name": "Gemeente Voorbeeld", "description": "De gemeente."}],
        "services": [{"id": SERVICE_ID, "name": "Schuldhulp", "status": "active", "organization_id": ORG_ID}],
        "locations": [example("location.json")],
        "service_at_locations": [
            {
                "id": "e94c9f38-1e8f-4564-91d4-d53501ab1765",
                "service_id": SERVICE_ID,
                "location_id": example("location.json")["id"],
            }
        ],
        "taxonomies": [example("taxonomy.json")],
        "taxonomy_terms": [
            {**example("taxonomy_term.json"), "taxonomy_detail": None, "taxonomy_id": example("taxonomy.json")["id"]}
        ],
    }
    data["taxonomy_terms"][0].pop("taxonomy_detail")
    result = hsds_import(actor=SYSTEM, data=data)
    assert result.status == ImportStatus.DONE, result.errors
    assert ServiceAtLocation.objects.get().location.name == "MyCity Civic Center"
    assert TaxonomyTerm.objects.get().taxonomy_detail == Taxonomy.objects.get()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("just text", "is not an HSDS file"),
        ({"something": "else"}, "is not an HSDS file"),
        ([], "holds no records"),
        ({"services": [small_service()], "people": []}, "is not a list of HSDS objects"),
        ([{"id": SERVICE_ID, "name": "Wat is dit?", "description": "?"}], "cannot tell what kind"),
    ],
)
def test_a_file_that_is_no_hsds_is_refused_with_the_reason(data, reason):
    result = hsds_import(actor=SYSTEM, data=data)
    assert result.status == ImportStatus.REFUSED
    assert any(reason in error["reason"] for error in result.errors), result.errors
    assert nothing_imported()


# --- errors per record, all or nothing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"name": None}, "name", "is missing; HSDS requires it"),
        ({"status": "open"}, "status", "must be one of: active, inactive, defunct, temporarily closed"),
        ({"minimum_age": "twaalf"}, "minimum_age", "must be a number"),
        ({"id": "not-a-uuid"}, "id", "is not a valid id"),
        ({"description": "x" * 5001}, "description", "is too long: at most 5000 characters, it has 5001"),
        ({"name": "n" * 251}, "name", "at most 250 characters"),
        ({"minimum_age": 12.5}, "minimum_age", "must be a whole number"),
        ({"minimum_age": 70, "maximum_age": 18}, "minimum_age", "is above the maximum age"),
        ({"assured_date": "gisteren"}, "assured_date", "is not a date"),
        ({"url": "geen adres"}, "url", "Enter a valid URL"),
        ({"phones": [{"id": "1554f2e2-a373-45db-a3fa-9fc48a61c15e"}]}, "phones[0].number", "is missing"),
        ({"organization": None}, "organization_id", "needs its organization"),
        (
            {"organization": None, "organization_id": ORG_ID},
            "organization_id",
            "neither in the file nor in the social map",
        ),
    ],
)
def test_a_bad_record_is_refused_naming_record_field_and_reason_and_nothing_is_imported(change, field, reason):
    good = small_service(id="6b1f7c2a-36a8-4f5e-9b3a-0d7a5f1e2c11", name="Goed")
    good["organization"] = {**good["organization"], "id": "9a0e4ad1-3f7c-4a83-a6e0-2a4b0b7c8d90"}
    good["phones"] = []
    bad = {key: value for key, value in {**small_service(), **change}.items() if value is not None}
    result = hsds_import(actor=SYSTEM, data=[good, bad], filename="fout.json")
    assert result.status == ImportStatus.REFUSED
    matching = [error for error in result.errors if error["field"] == field]
    assert matching and reason in matching[0]["reason"], result.errors
    assert matching[0]["record"].startswith("2. service")
    assert nothing_imported()
    assert DirectoryImport.objects.get().status == ImportStatus.REFUSED


@pytest.mark.parametrize(
    "moment",
    ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "2024-01-01T00:00:00+16:00"],
)
def test_a_moment_no_database_can_store_is_refused_not_left_running(moment):
    # Python reads these (offsets up to a day); turned into UTC they leave the calendar, or PostgreSQL refuses them.
    result = hsds_import(actor=SYSTEM, data=[small_service(last_modified=moment)], filename="tijd.json")
    assert result.status == ImportStatus.REFUSED
    assert [error["field"] for error in result.errors] == ["last_modified"], result.errors
    assert nothing_imported()


def test_the_same_id_given_twice_with_different_values_is_refused():
    first = small_service()
    second = copy.deepcopy(first)
    second["phones"][0]["number"] = "06 0000 0000"
    second["id"] = "6b1f7c2a-36a8-4f5e-9b3a-0d7a5f1e2c11"
    result = hsds_import(actor=SYSTEM, data=[first, second])
    assert result.status == ImportStatus.REFUSED
    assert "given more than once with a different number" in result.errors[0]["reason"]
    assert nothing_imported()


def test_script_tags_are_stored_as_text_and_escaped_on_the_pages(client):
    name = '<script>alert("x")</script> Hulp'
    hsds_import(actor=SYSTEM, data=small_service(name=name))
    assert Service.objects.get().name == name
    admin = MembershipFactory(functional_admin=True).user
    client.force_login(admin)
    page = client.get(reverse("socialmap:service", args=[SERVICE_ID]))
    assert page.status_code == 200
    assert b"<script>alert" not in page.content and b"&lt;script&gt;alert" in page.content
    refused = hsds_import(actor=SYSTEM, data=small_service(name=name, status="<script>x</script>"))
    detail = client.get(reverse("socialmap:import_detail", args=[refused.pk]))
    assert b"<script>alert" not in detail.content and b"&lt;script&gt;" in detail.content


# --- idempotent, profiles, Samen's own columns ---------------------------------------------------------------------


def test_importing_the_same_data_again_changes_nothing():
    data = example("service_full.json")
    first = hsds_import(actor=SYSTEM, data=data)
    assert first.created == 14 and first.updated == 0
    before = {service.pk: (service.last_modified, service.extra) for service in Service.objects.all()}
    again = hsds_import(actor=SYSTEM, data=data)
    assert again.status == ImportStatus.DONE and (again.created, again.updated) == (0, 0)
    assert {service.pk: (service.last_modified, service.extra) for service in Service.objects.all()} == before
    # Another official example sharing the same objects adds only what is new.
    third = hsds_import(actor=SYSTEM, data=example("organization_full.json"))
    assert (third.created, third.updated) == (0, 0)


def test_a_changed_field_is_one_change_and_an_absent_field_becomes_empty():
    hsds_import(actor=SYSTEM, data=small_service(alternate_name="Noord"))
    result = hsds_import(actor=SYSTEM, data=small_service(name="Schuldhulp Noord-West"))
    assert (result.created, result.updated) == (0, 1)
    service = Service.objects.get()
    assert service.name == "Schuldhulp Noord-West" and service.alternate_name == ""
    assert service.phones.count() == 1  # not nested this time either: kept


def test_a_profile_that_adds_fields_is_taken_and_its_fields_come_back_in_the_export():
    record = small_service(
        nl_kvk_nummer="12345678",
        nl_doelgroepen=["jongeren", "ouderen"],
        phones=[{"id": "1554f2e2-a373-45db-a3fa-9fc48a61c15e", "number": "030 123 4567", "nl_bereikbaar": "ma-vr"}],
    )
    result = hsds_import(actor=SYSTEM, data=record)
    assert result.status == ImportStatus.DONE, result.errors
    exported = hsds.export_data()
    assert hsds.export_errors(exported) == []
    service = exported["services"][0]
    assert service["nl_kvk_nummer"] == "12345678" and service["nl_doelgroepen"] == ["jongeren", "ouderen"]
    assert service["phones"][0]["nl_bereikbaar"] == "ma-vr"


def test_a_profile_record_that_breaks_base_hsds_is_refused_with_the_reason():
    # A profile may add fields and restrict values, never loosen base HSDS: a status of its own is not HSDS.
    record = small_service(status="wachtlijst", nl_kvk_nummer="12345678")
    result = hsds_import(actor=SYSTEM, data=record)
    assert result.status == ImportStatus.REFUSED
    assert result.errors == [
        {
            "record": f'1. service {SERVICE_ID} "Schuldhulp Noord"',
            "field": "status",
            "reason": "must be one of: active, inactive, defunct, temporarily closed (it is wachtlijst)",
        }
    ]
    assert nothing_imported()


def test_an_imported_organization_gets_no_maintainer_and_keeps_the_one_it_has():
    hsds_import(actor=SYSTEM, data=small_service())
    organization = Organization.objects.get()
    assert organization.maintainer is None
    keeper = OrganisationFactory()
    Organization.objects.filter(pk=organization.pk).update(maintainer=keeper, informal=True)
    hsds_import(actor=SYSTEM, data=small_service(organization={"id": ORG_ID, "name": "Nieuw", "description": "d"}))
    organization.refresh_from_db()
    assert organization.name == "Nieuw" and organization.maintainer == keeper and organization.informal


def test_every_import_is_audited_once_with_its_counts():
    admin = MembershipFactory(functional_admin=True).user
    actor = actor_for_user(admin)
    done = hsds_import(actor=actor, data=small_service(), filename="a.json")
    refused = hsds_import(actor=actor, data=small_service(status="x"), filename="b.json")
    entries = list(AuditEntry.objects.filter(object_type="socialmap.directoryimport").order_by("sequence"))
    assert [(e.object_id, e.action, e.outcome, e.user_id) for e in entries] == [
        (str(done.pk), "create", "success", admin.pk),
        (str(refused.pk), "create", "failure", admin.pk),
    ]
    assert entries[0].changes == {"status": "done", "records": 1, "created": 3, "updated": 0, "unchanged": 0}
    assert entries[1].changes == {"status": "refused", "records": 1, "errors": 1}
    hsds_import(actor=actor, data=small_service(name="Anders"))
    last = AuditEntry.objects.filter(object_type="socialmap.directoryimport").latest("sequence")
    assert last.action == "update" and last.changes["updated"] == 1


def test_progress_is_reported_per_record():
    class Counter:
        done = 0

        def advance(self, amount=1):
            self.done += amount

    counter = Counter()
    records = [small_service(id=f"6b1f7c2a-36a8-4f5e-9b3a-0d7a5f1e2c{n:02d}", phones=[]) for n in range(12)]
    result = hsds_import(actor=SYSTEM, data=records, progress=counter)
    assert counter.done == 12 and (result.total, result.done) == (12, 12)


# --- capacity (HSDS 3.1's capacities of a service) ---------------------------------------------------------------


def test_capacity_imports_and_exports_back_equal():
    record = small_service(capacities=[capacity(), capacity(id=OTHER_CAPACITY_ID, unit="uren", available=0)])
    result = hsds_import(actor=SYSTEM, data=record)
    assert result.status == ImportStatus.DONE, result.errors
    assert result.created == 5  # organization, service, phone and two capacities
    first = ServiceCapacity.objects.get(pk=CAPACITY_ID)
    assert (first.unit, first.available, first.maximum, first.waiting) == ("plaatsen", 2, 12, 5)
    assert first.updated.isoformat() == "2024-09-25T14:23:06.500000+00:00"
    exported = hsds.export_data()
    assert hsds.export_errors(exported) == []
    service = exported["services"][0]
    # Each capacity comes back as it came (the file's unit object with its own id), with its service_id.
    expected = [{**item, "service_id": SERVICE_ID} for item in record["capacities"]]
    expected[1]["unit"] = {"id": str(hsds.unit_id("uren")), "name": "uren"}
    expected[1]["updated"] = service["capacities"][1]["updated"]  # not given: the time of the import
    assert normalised(service["capacities"]) == normalised(expected)
    # The export imports back into an empty map and again gives the same export.
    ServiceCapacity.objects.all().delete()
    assert hsds_import(actor=SYSTEM, data=exported).status == ImportStatus.DONE
    assert normalised(hsds.export_data()) == normalised(exported)


def test_capacity_nested_deeper_is_found_too():
    organization = {
        "id": ORG_ID,
        "name": "Gemeente Voorbeeld",
        "description": "De gemeente.",
        "services": [small_service(organization=None, phones=[], capacities=[capacity()])],
    }
    organization["services"][0].pop("organization")
    result = hsds_import(actor=SYSTEM, data={"organizations": [organization]})
    assert result.status == ImportStatus.DONE, result.errors
    assert ServiceCapacity.objects.get().service_id.hex == SERVICE_ID.replace("-", "")
    bad = copy.deepcopy(organization)
    bad["services"][0]["capacities"][0]["available"] = -1
    refused = hsds_import(actor=SYSTEM, data={"organizations": [bad]})
    assert [(error["field"], error["reason"]) for error in refused.errors] == [
        ("services[0].capacities[0].available", "cannot be below 0")
    ]


@pytest.mark.parametrize(
    ("capacities", "field", "reason"),
    [
        ([capacity(available=-1)], "capacities[0].available", "cannot be below 0"),
        ([capacity(available=13)], "capacities[0].available", "is above the maximum (12)"),
        ([capacity(available="drie")], "capacities[0].available", "must be a whole number"),
        ([capacity(available=2.5)], "capacities[0].available", "must be a whole number"),
        ([capacity(available=True)], "capacities[0].available", "must be a whole number"),
        ([capacity(available=None)], "capacities[0].available", "is missing; HSDS requires it"),
        ([capacity(available=3_000_000_000, maximum=None)], "capacities[0].available", "is too large"),
        ([capacity(maximum=-5)], "capacities[0].maximum", "cannot be below 0"),
        ([capacity(samen_waiting=-1)], "capacities[0].samen_waiting", "cannot be below 0"),
        ([capacity(unit=None)], "capacities[0].unit", "is missing; HSDS requires it"),
        ([capacity(unit={"id": "187a37a2-7b40-11ef-9790-dbf7623d4407"})], "capacities[0].unit.name", "is missing"),
        ([capacity(unit={"name": "  "})], "capacities[0].unit.name", "must not be empty"),
        ([capacity(unit="")], "capacities[0].unit", "must not be empty"),
        ([capacity(unit=7)], "capacities[0].unit", "must be an object or text, not 7"),
        ([capacity(unit={"id": "geen-id", "name": "plaatsen"})], "capacities[0].unit.id", "is not a valid id"),
        ([capacity(unit="p" * 101)], "capacities[0].unit", "at most 100 characters"),
        ([capacity(id="geen-id")], "capacities[0].id", "is not a valid id"),
        ([capacity(id=None)], "capacities[0].id", "is missing; HSDS requires it"),
        ([capacity(description=42)], "capacities[0].description", "must be text"),
        ([capacity(description="x" * 5001)], "capacities[0].description", "at most 5000 characters, it has 5001"),
        ([capacity(updated="gisteren")], "capacities[0].updated", "is not a date and time"),
        ([capacity(service_id=ORG_ID)], "capacities[0].service_id", "says it belongs to"),
        ([capacity(), "vol"], "capacities[1]", "must be an object, not vol"),
        ("vol", "capacities", "must be a list, not vol"),
    ],
)
def test_a_bad_capacity_is_refused_naming_record_field_and_reason_and_nothing_is_imported(capacities, field, reason):
    good = small_service(id="6b1f7c2a-36a8-4f5e-9b3a-0d7a5f1e2c11", name="Goed", phones=[])
    good["organization"] = {**good["organization"], "id": "9a0e4ad1-3f7c-4a83-a6e0-2a4b0b7c8d90"}
    good["capacities"] = [capacity(id=OTHER_CAPACITY_ID)]
    result = hsds_import(actor=SYSTEM, data=[good, small_service(capacities=capacities)], filename="fout.json")
    assert result.status == ImportStatus.REFUSED
    assert [error["field"] for error in result.errors] == [field], result.errors
    assert reason in result.errors[0]["reason"] and result.errors[0]["record"].startswith(f"2. service {SERVICE_ID}")
    assert nothing_imported()


def test_a_capacity_reason_is_in_dutch_for_a_dutch_reader():
    with translation.override("nl"):
        result = hsds_import(actor=SYSTEM, data=small_service(capacities=[capacity(available=13)]))
    assert result.errors[0]["reason"] == "is hoger dan het maximum (12)"


def test_script_tags_in_a_capacity_are_kept_as_text_like_every_imported_text():
    # As for every imported text (test_script_tags_are_stored_as_text_and_escaped_on_the_pages): stored and given
    # back as text; the pages escape it, the API answers JSON.
    description = '<script>alert("x")</script> Wachtlijst'
    result = hsds_import(actor=SYSTEM, data=small_service(capacities=[capacity(description=description)]))
    assert result.status == ImportStatus.DONE, result.errors
    assert ServiceCapacity.objects.get().description == description
    assert hsds.export_data()["services"][0]["capacities"][0]["description"] == description


def test_capacity_is_imported_again_by_id_and_a_capacity_left_out_of_the_list_is_removed():
    data = small_service(capacities=[capacity(), capacity(id=OTHER_CAPACITY_ID, unit="uren")])
    hsds_import(actor=SYSTEM, data=data)
    again = hsds_import(actor=SYSTEM, data=data)
    assert again.status == ImportStatus.DONE and (again.created, again.updated) == (0, 0)
    assert ServiceCapacity.objects.count() == 2
    # A changed capacity is one change of the same row; its time of change is the file's.
    changed = hsds_import(
        actor=SYSTEM,
        data=small_service(capacities=[capacity(available=0, updated="2024-10-01T08:00:00Z"), data["capacities"][1]]),
    )
    assert (changed.created, changed.updated) == (0, 1)
    row = ServiceCapacity.objects.get(pk=CAPACITY_ID)
    assert row.available == 0 and row.updated.isoformat() == "2024-10-01T08:00:00+00:00"
    # Without "updated" a changed capacity gets the time of the import.
    hsds_import(actor=SYSTEM, data=small_service(capacities=[capacity(available=1, updated=None)], phones=[]))
    assert ServiceCapacity.objects.get(pk=CAPACITY_ID).updated > row.updated
    # The list left out the other capacity: removed (a change), and counted in the audit entry.
    assert list(ServiceCapacity.objects.values_list("pk", flat=True)) == [row.pk]
    last = AuditEntry.objects.filter(object_type="socialmap.directoryimport").latest("sequence")
    assert last.changes["removed"] == 1 and last.changes["updated"] == 2
    # A service record without capacities (plain HSDS 3.0) keeps what is stored; an empty list removes it all.
    hsds_import(actor=SYSTEM, data=small_service())
    assert ServiceCapacity.objects.count() == 1
    emptied = hsds_import(actor=SYSTEM, data=small_service(capacities=[]))
    assert emptied.updated == 1 and not ServiceCapacity.objects.exists()


def test_the_room_filter_finds_imported_capacity():
    hsds_import(actor=SYSTEM, data=small_service(capacities=[capacity(available=2)]))
    assert [service.name for service in search("", Filters(has_capacity=True)).services] == ["Schuldhulp Noord"]
    hsds_import(actor=SYSTEM, data=small_service(capacities=[capacity(available=0)]))
    assert search("", Filters(has_capacity=True)).services == []
    hsds_import(actor=SYSTEM, data=small_service(capacities=[capacity(id=OTHER_CAPACITY_ID, available=1)]))
    assert len(search("", Filters(has_capacity=True)).services) == 1
    hsds_import(actor=SYSTEM, data=small_service(capacities=[]))
    assert search("", Filters(has_capacity=True)).services == []


# --- the commands --------------------------------------------------------------------------------------------------


def test_the_import_command_shows_progress_and_imports(tmp_path):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_hsds", str(EXAMPLES / "service_full.json"), stdout=stdout, stderr=stderr)
    assert "Imported 1 records from service_full.json: 14 new, 0 changed." in stdout.getvalue()
    assert "HSDS records |##############################| 100%" in stderr.getvalue()
    assert Service.objects.count() == 1


def test_the_import_command_refuses_a_bad_file_with_the_errors(tmp_path):
    bad = tmp_path / "fout.json"
    bad.write_text(json.dumps(small_service(status="open")))
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="Refused: nothing was imported"):
        call_command("import_hsds", str(bad), stderr=stderr)
    assert "status: must be one of" in stderr.getvalue()
    (tmp_path / "kapot.json").write_text("{nee")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_hsds", str(tmp_path / "kapot.json"))
    assert nothing_imported()


def test_the_export_command_writes_a_file_that_validates_and_imports_back(tmp_path):
    hsds_import(actor=SYSTEM, data=example("organization_full.json"))
    hsds_import(actor=SYSTEM, data=example("taxonomy_term.json"))
    room = factories.CapacityFactory(service=Service.objects.get(), available=1, maximum=4, waiting=2)
    target = tmp_path / "kaart.json"
    call_command("export_hsds", str(target), stderr=io.StringIO())
    data = json.loads(target.read_text())
    assert {key: len(value) for key, value in data.items()} == {
        "organizations": 1,
        "services": 1,
        "locations": 0,
        "taxonomies": 1,
        "taxonomy_terms": 1,
    }
    assert hsds.export_errors(data) == []
    assert [(item["id"], item["available"], item["samen_waiting"]) for item in data["services"][0]["capacities"]] == [
        (str(room.pk), 1, 2)
    ]
    again = hsds_import(actor=SYSTEM, data=data)
    assert again.status == ImportStatus.DONE and (again.created, again.updated) == (0, 0)


# --- the upload page -----------------------------------------------------------------------------------------------


@pytest.fixture
def en_client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def admin_client(en_client):
    en_client.force_login(MembershipFactory(functional_admin=True).user)
    return en_client


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/json")


def test_the_functional_administrator_uploads_a_file_and_sees_the_result(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    form = admin_client.get(reverse("socialmap:import"))
    assert form.status_code == 200 and b'type="file"' in form.content
    content = (EXAMPLES / "service_full.json").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("socialmap:import"), {"upload": upload("service_full.json", content)})
    row = DirectoryImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("socialmap:import_detail", args=[row.pk])
    page = admin_client.get(response["Location"])
    assert page.status_code == 200
    assert b"1 record read: 14 new, 0 changed." in page.content
    assert b"not shown on a map" in page.content  # the note about the example's latitude
    assert row.status == ImportStatus.DONE and Service.objects.get().name == "Community Counselling"


def test_a_queued_import_shows_a_progress_bar_polled_by_htmx_with_a_refresh_link(admin_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = admin_client.post(
        reverse("socialmap:import"), {"upload": upload("lijst.json", (EXAMPLES / "service_list.json").read_bytes())}
    )
    page = admin_client.get(response["Location"])
    assert b'<progress id="import-progress" max="1" value="0"' in page.content
    assert b"0 of 1 records checked." in page.content and b'hx-trigger="every 2s"' in page.content
    assert b">Refresh</a>" in page.content and b"http-equiv" not in page.content
    partial = admin_client.get(response["Location"], headers={"HX-Request": "true"})
    assert partial.content.lstrip().startswith(b'<div id="import-status"') and b"<html" not in partial.content


def test_a_refused_upload_shows_the_errors_per_record(admin_client, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    content = json.dumps([small_service(status="open")]).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("socialmap:import"), {"upload": upload("fout.json", content)})
    page = admin_client.get(response["Location"])
    assert b"Nothing was imported" in page.content and b"must be one of: active" in page.content
    assert b"1. service " + SERVICE_ID.encode() in page.content
    assert nothing_imported()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leeg.json", b"", b"The file is empty."),
        ("kapot.json", b'{"id": ', b"The file is not valid JSON"),
        ("plaatje.png", b"\x89PNG", b"Choose a JSON file (its name ends in .json)."),
        ("binair.json", b"\xff\xfe\x00\x01", b"not a text file in UTF-8"),
        ("diep.json", b"[" * 5000 + b"]" * 5000, b"nests too deep or holds a number too long"),
        ("getal.json", b'{"id": ' + b"9" * 5000 + b"}", b"nests too deep or holds a number too long"),
    ],
)
def test_a_wrong_upload_gets_a_clear_message_and_starts_nothing(admin_client, name, content, message):
    response = admin_client.post(reverse("socialmap:import"), {"upload": upload(name, content)})
    assert response.status_code == 200 and message in response.content
    assert b'id="form-errors"' in response.content
    assert not DirectoryImport.objects.exists()


def test_too_big_a_file_is_refused(admin_client, monkeypatch):
    from samen.socialmap import views_import

    monkeypatch.setattr(views_import, "MAX_UPLOAD_BYTES", 10)
    response = admin_client.post(reverse("socialmap:import"), {"upload": upload("groot.json", b"[" + b" " * 20 + b"]")})
    assert b"The file is too big: at most 10 MB." in response.content and not DirectoryImport.objects.exists()


def test_no_file_at_all_gets_a_message(admin_client):
    response = admin_client.post(reverse("socialmap:import"), {})
    assert response.status_code == 200 and b"Choose a file to upload." in response.content


@pytest.mark.parametrize("who", ["professional", "coordinator", "citizen"])
def test_others_do_not_find_the_upload_page(en_client, who):
    user = {
        "professional": lambda: MembershipFactory().user,
        "coordinator": lambda: MembershipFactory(coordinator=True).user,
        "citizen": lambda: HouseholdMemberFactory(user=UserFactory()).user,
    }[who]()
    row = hsds_import(actor=SYSTEM, data=small_service())
    en_client.force_login(user)
    assert en_client.get(reverse("socialmap:import")).status_code == 404
    assert en_client.post(reverse("socialmap:import"), {"upload": upload("a.json", b"[]")}).status_code == 404
    assert en_client.get(reverse("socialmap:import_detail", args=[row.pk])).status_code == 404
    assert DirectoryImport.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_the_login_page(en_client):
    response = en_client.get(reverse("socialmap:import"))
    assert response.status_code == 302 and "/account/" in response["Location"]


def test_an_unknown_import_is_not_found(admin_client):
    assert admin_client.get(reverse("socialmap:import_detail", args=["999"])).status_code == 404
    assert admin_client.get(reverse("socialmap:import_detail", args=["abc"])).status_code == 404


def test_the_task_refuses_when_the_uploader_is_no_longer_functional_administrator(settings):
    from samen.socialmap import tasks

    membership = MembershipFactory(functional_admin=True)
    row = importing.import_queue(actor=actor_for_user(membership.user), data=[small_service()], filename="a.json")
    membership.delete()
    tasks.run_import.call(row.pk, None, [small_service()])
    row.refresh_from_db()
    assert row.status == ImportStatus.REFUSED and "may no longer import" in row.errors[0]["reason"]
    assert nothing_imported()
    assert Location.objects.count() == 0
