"""The read-only HSDS API (``api.py``): every answer in the shape of the official openapi.json, validated against
the official schemas; errors as JSON; a fixed number of queries however many rows."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from samen.core.actor import SYSTEM
from samen.socialmap import hsds
from samen.socialmap.importing import hsds_import
from samen.socialmap.models import Service
from samen.socialmap.tests import factories
from samen.socialmap.tests.test_hsds import example, normalised

pytestmark = pytest.mark.django_db

SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
SAL_ID = "e94c9f38-1e8f-4564-91d4-d53501ab1765"
TERM_ID = "3f7b145d-84af-42d7-8fae-eaca714b02b2"
TAXONOMY_ID = "5c4d79d7-cc55-470e-9f1f-8cad074e4892"

# path -> (name of the list in openapi.json, kind of one object)
LISTS = {
    "services": "service",
    "organizations": "organization",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "service_at_locations": "service_at_location",
}


@pytest.fixture(autouse=True)
def english(client):
    """English messages, in the test and in the answers (the API speaks the language the client asks for)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def official(client):
    """The official examples, imported."""
    for name in ("organization_full.json", "service_at_location_full.json", "taxonomy_term.json"):
        assert hsds_import(actor=SYSTEM, data=example(name)).status == "done"


def response_errors(path: str, body) -> list:
    """What in an answer to ``GET /{path}`` does not validate against the response schema of openapi.json."""
    pointer = path.replace("/", "~1")
    ref = f"openapi.json#/paths/~1{pointer}/get/responses/200/content/application~1json/schema"
    return list(hsds.validator_for(ref).iter_errors(body))


def test_the_root_says_what_this_api_is(client):
    response = client.get("/api/hsds/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json()["version"] == "3.0" and response.json()["openapi_url"].endswith("/3.0/schema/openapi.json")
    assert response_errors("", response.json()) == []


@pytest.mark.parametrize("path", sorted(LISTS))
@pytest.mark.parametrize("full", ["", "true"])
def test_every_list_is_a_page_as_openapi_defines_it(client, official, path, full):
    response = client.get(f"/api/hsds/{path}", {"full": full} if full and path != "taxonomies" else {})
    assert response.status_code == 200
    body = response.json()
    assert response_errors(path, body) == []
    assert body["total_items"] == 1 and body["page_number"] == 1 and body["first_page"] and body["last_page"]
    assert body["size"] == 1 and body["empty"] is False and body["total_pages"] == 1
    for item in body["contents"]:
        assert hsds.validate(LISTS[path], item) == []


@pytest.mark.parametrize(
    ("path", "item_id", "example_name"),
    [
        ("services", SERVICE_ID, "service_full.json"),
        ("service_at_locations", SAL_ID, "service_at_location_full.json"),
        ("taxonomy_terms", TERM_ID, "taxonomy_term.json"),
        ("taxonomies", TAXONOMY_ID, "taxonomy.json"),
    ],
)
def test_one_object_is_the_official_example_again(client, official, path, item_id, example_name):
    response = client.get(f"/api/hsds/{path}/{item_id}")
    assert response.status_code == 200
    body = response.json()
    if path == "service_at_locations":
        # openapi.json names compiled/service.json here, a slip of the official file: the answer is a service at a
        # location (as service_at_location_full.json), so it is checked against that schema.
        assert hsds.validate("service_at_location", body) == []
    else:
        assert response_errors(f"{path}/{{id}}", body) == []
    assert normalised(body) == normalised(example(example_name))


def test_an_organization_lists_its_services_briefly_or_in_full(client, official):
    brief = client.get(f"/api/hsds/organizations/{ORG_ID}").json()
    assert response_errors("organizations/{id}", brief) == []
    assert brief["services"][0]["id"] == SERVICE_ID and "phones" not in brief["services"][0]
    full = client.get(f"/api/hsds/organizations/{ORG_ID}", {"full_service": "true"}).json()
    assert normalised(full) == normalised(example("organization_full.json"))


def test_a_full_service_carries_its_capacity_and_every_answer_still_validates(client, official):
    room = factories.CapacityFactory(service=Service.objects.get(pk=SERVICE_ID), available=1, maximum=5, waiting=3)
    expected = hsds.capacity_data(room)
    assert expected["samen_waiting"] == 3 and expected["unit"]["name"] == "plaatsen"
    one = client.get(f"/api/hsds/services/{SERVICE_ID}").json()
    assert response_errors("services/{id}", one) == [] and one["capacities"] == [expected]
    page = client.get("/api/hsds/services", {"full": "true"}).json()
    assert response_errors("services", page) == [] and page["contents"][0]["capacities"] == [expected]
    organization = client.get(f"/api/hsds/organizations/{ORG_ID}", {"full_service": "true"}).json()
    assert response_errors("organizations/{id}", organization) == []
    assert organization["services"][0]["capacities"] == [expected]
    at_location = client.get(f"/api/hsds/service_at_locations/{SAL_ID}").json()
    assert hsds.validate("service_at_location", at_location) == []
    assert at_location["service"]["capacities"] == [expected]
    # The brief list shapes carry only one-to-one fields.
    assert "capacities" not in client.get("/api/hsds/services").json()["contents"][0]


def test_the_lists_are_the_official_list_examples(client, official):
    for path, name in [
        ("services", "service_list.json"),
        ("organizations", "organization_list.json"),
        ("service_at_locations", "service_at_location_list.json"),
        ("taxonomy_terms", "taxonomy_term_list.json"),
        ("taxonomies", "taxonomy_list.json"),
    ]:
        assert normalised(client.get(f"/api/hsds/{path}").json()["contents"]) == normalised(example(name)["contents"])


def test_filters_of_openapi(client, official):
    other = factories.ServiceFactory(name="Buurtkamer")
    assert client.get("/api/hsds/services").json()["total_items"] == 2
    by_term = client.get("/api/hsds/services", {"taxonomy_term_id": TERM_ID}).json()
    assert [item["id"] for item in by_term["contents"]] == [SERVICE_ID]
    assert client.get("/api/hsds/services", {"taxonomy_id": TAXONOMY_ID}).json()["total_items"] == 1
    by_org = client.get("/api/hsds/services", {"organization_id": str(other.organization_id)}).json()
    assert [item["id"] for item in by_org["contents"]] == [str(other.pk)]
    assert client.get("/api/hsds/services", {"search": "counselling"}).json()["total_items"] == 1
    assert client.get("/api/hsds/services", {"modified_after": "2024-01-01T00:00:00Z"}).json()["total_items"] == 1
    minimal = client.get("/api/hsds/services", {"minimal": "true"})
    assert minimal.status_code == 400 and "not valid HSDS" in minimal.json()["error"]
    assert client.get("/api/hsds/taxonomy_terms", {"top_only": "true"}).json()["total_items"] == 0  # it has a parent
    assert client.get("/api/hsds/service_at_locations", {"search": "civic"}).json()["total_items"] == 1


def test_pages(client):
    for n in range(5):
        factories.ServiceFactory(name=f"Dienst {n}")
    second = client.get("/api/hsds/services", {"page": 2, "per_page": 2}).json()
    assert [item["name"] for item in second["contents"]] == ["Dienst 2", "Dienst 3"]
    assert (second["total_items"], second["total_pages"], second["size"]) == (5, 3, 2)
    assert not second["first_page"] and not second["last_page"]
    after = client.get("/api/hsds/services", {"page": 9}).json()
    assert after["contents"] == [] and after["size"] == 0 and after["last_page"] and not after["empty"]
    assert response_errors("services", after) == []


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "-1"},
        {"page": "twee"},
        {"page": "1.5"},
        {"per_page": "0"},
        {"per_page": "100000"},
        {"full": "misschien"},
        {"format": "ndjson"},
        {"organization_id": "geen-id"},
        {"modified_after": "gisteren"},
        # Moments Python reads but no database stores (beyond the calendar in UTC, or an offset over 14 hours).
        {"modified_after": "0001-01-01T00:00:00+00:01"},
        {"modified_after": "9999-12-31T23:59:59-23:59"},
        {"modified_after": "2024-01-01T00:00:00+16:00"},
        {"search": "\x00"},
        {"organization_id": "\x00"},
    ],
)
def test_bad_parameters_are_a_400_in_json(client, params):
    response = client.get("/api/hsds/services", params)
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_a_nul_in_any_list_parameter_is_a_400(client):
    for path in ("services", "organizations", "taxonomies", "taxonomy_terms", "service_at_locations"):
        for params in ({"search": "a\x00b"}, {"postcode": "\x00"}):
            response = client.get(f"/api/hsds/{path}", params)
            assert response.status_code == 400 and response["Content-Type"] == "application/json", (path, params)


def test_proximity_is_refused_with_the_reason(client):
    response = client.get("/api/hsds/service_at_locations", {"proximity": "1000", "postcode": "3511"})
    assert response.status_code == 400 and "geocoder" in response.json()["error"]


@pytest.mark.parametrize("path", sorted(LISTS))
def test_unknown_and_malformed_ids_are_a_404_in_json(client, path):
    for item_id in (str(uuid.uuid4()), "niet-een-id", "1"):
        response = client.get(f"/api/hsds/{path}/{item_id}")
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
        assert "error" in response.json()


def test_read_only(client, official):
    assert client.post("/api/hsds/services", {}).status_code == 405
    assert client.delete(f"/api/hsds/services/{SERVICE_ID}").status_code == 405


def test_open_without_login(client, official):
    assert client.get("/api/hsds/services").status_code == 200  # the test client is not logged in


def _rows(count: int) -> None:
    term = factories.TaxonomyTermFactory()
    for _n in range(count):
        service = factories.ServiceFactory()
        location = factories.LocationFactory(organization=service.organization)
        factories.AddressFactory(location=location)
        factories.ServiceAtLocationFactory(service=service, location=location)
        factories.ScheduleFactory(service=service)
        factories.CostOptionFactory(service=service)
        factories.LanguageFactory(service=service)
        factories.CapacityFactory(service=service, waiting=2)
        factories.attach(service, term)


def _queries(client, path: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/hsds/services", {}),
        ("/api/hsds/services", {"full": "true"}),
        ("/api/hsds/organizations", {}),
        ("/api/hsds/organizations", {"full_service": "true"}),
        ("/api/hsds/service_at_locations", {}),
        ("/api/hsds/service_at_locations", {"full": "true"}),
        ("/api/hsds/taxonomy_terms", {}),
    ],
)
def test_query_count_does_not_grow_with_the_rows(client, path, params):
    _rows(2)
    few = _queries(client, path, params)
    _rows(10)
    many = _queries(client, path, params)
    assert few == many, (few, many)
    assert client.get(path, params).json()["size"] >= 12 or path.endswith("taxonomy_terms")
