"""A referral as a FHIR R4 Task (``selectors.referral_as_fhir_task``), checked against HL7's R4 JSON Schema in
``../shared/testdata/fhir-r4/`` (read from there, never copied; its patch undone so the schema is as strict as
HL7's): every field the mapping writes is a field of Task, and every status maps to a task-status code."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import pytest

from samen.referrals.models import ReferralStatus
from samen.referrals.selectors import referral_as_fhir_task
from samen.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
SCHEMA_DIR = ROOT.parent / "shared" / "testdata" / "fhir-r4"


@functools.cache
def r4_schema() -> dict:
    """HL7's R4 schema: the test data's copy with its patch (extra properties allowed on three resources) undone."""
    # The shared test data sits next to the repository (the README's layout); without it this test cannot check
    # anything, and says so as a failure rather than passing by skipping.
    assert (SCHEMA_DIR / "schema.json").exists(), f"the FHIR R4 schema is not at {SCHEMA_DIR} (../shared/testdata)"
    schema = json.loads((SCHEMA_DIR / "schema.json").read_text())
    for operation in json.loads((SCHEMA_DIR / "patch.json").read_text()):
        name = operation["path"].split("/")[2]
        schema["definitions"][name]["additionalProperties"] = False
    return schema


def task_definition() -> dict:
    return r4_schema()["definitions"]["Task"]


@pytest.mark.parametrize("status", list(ReferralStatus), ids=lambda status: status.value)
def test_every_status_is_a_valid_r4_task(status):
    referral = ReferralFactory(status=status)
    task = referral_as_fhir_task(referral)

    definition = task_definition()
    assert set(task) <= set(definition["properties"]), "a field that R4 Task does not have"
    assert task["status"] in definition["properties"]["status"]["enum"]
    assert task["intent"] == "order"
    assert task["intent"] in definition["properties"]["intent"]["enum"]
    owner = {"reference": f"Organization/{referral.to_organisation_id}", "display": referral.to_organisation.name}
    assert task["owner"] == owner
    assert task["for"] == {"reference": f"Group/{referral.household_id}"}
    assert task["requester"]["reference"] == f"Organization/{referral.from_organisation_id}"
    assert task["authoredOn"].endswith("Z")
    assert ("statusReason" in task) == (status in (ReferralStatus.REJECTED, ReferralStatus.CANCELLED))
    assert referral.question not in json.dumps(task)

    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema validates against the whole R4 schema")
    schema = copy.deepcopy(r4_schema())
    schema["oneOf"] = [{"$ref": "#/definitions/Task"}]  # only the Task, not any resource
    errors = sorted(jsonschema.Draft6Validator(schema).iter_errors(task), key=str)
    assert not errors, "\n".join(error.message for error in errors)


def test_the_fhir_status_codes():
    expected = {
        "draft": "draft",
        "requested": "requested",
        "accepted": "accepted",
        "rejected": "rejected",
        "in_progress": "in-progress",
        "completed": "completed",
        "cancelled": "cancelled",
    }
    for status, code in expected.items():
        assert referral_as_fhir_task(ReferralFactory(status=status))["status"] == code


def test_a_referral_the_household_made_itself_is_requested_by_the_household():
    referral = ReferralFactory(from_organisation=None, status=ReferralStatus.COMPLETED)
    task = referral_as_fhir_task(referral)
    assert task["requester"] == {"reference": f"Group/{referral.household_id}"}
    assert task["executionPeriod"]["start"] < task["executionPeriod"]["end"]


def test_a_wrong_task_fails_the_schema():
    """The check itself works: an unknown status and an unknown field are caught."""
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema validates against the whole R4 schema")
    schema = copy.deepcopy(r4_schema())
    schema["oneOf"] = [{"$ref": "#/definitions/Task"}]
    bad = {"resourceType": "Task", "status": "stalled", "intent": "order", "question": "x"}
    messages = " ".join(error.message for error in jsonschema.Draft6Validator(schema).iter_errors(bad))
    assert "stalled" in messages
    assert "question" in messages
