from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from samen.core import audit
from samen.core.actor import SYSTEM, Actor, Role
from samen.core.db_triggers import remove_audit_triggers
from samen.core.models import AuditAction, AuditEntry, AuditOutcome, AuditPurpose
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _write(n: int) -> list[AuditEntry]:
    return [audit.record(actor=SYSTEM, action=AuditAction.READ, description=f"entry {i}") for i in range(n)]


def _tamper(sql: str, params: list) -> None:
    """What an attacker with database rights would do: drop the guard triggers, then edit rows."""
    remove_audit_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_record_stores_nen7513_fields_of_the_actor():
    membership = MembershipFactory(coordinator=True)
    actor = Actor(
        user=membership.user,
        role=Role.COORDINATOR,
        organisation=membership.organisation,
        membership=membership,
        ip_address="192.0.2.10",
    )
    entry = audit.record(
        actor=actor,
        action=AuditAction.READ,
        household_id=42,
        person_id=7,
        data_category="finances",
        object_type="plans.goal",
        object_id=3,
        purpose=AuditPurpose.CARE_COORDINATION,
    )
    entry.refresh_from_db()
    assert entry.sequence == 1
    assert entry.user_id == membership.user.pk
    assert entry.organisation_id == membership.organisation.pk
    assert entry.organisation_name == membership.organisation.name
    assert entry.role == "coordinator"
    assert (entry.household_id, entry.person_id, entry.data_category) == (42, 7, "finances")
    assert (entry.object_type, entry.object_id) == ("plans.goal", "3")
    assert entry.purpose == "COC"
    assert entry.outcome == AuditOutcome.SUCCESS
    assert entry.source_system == "samen"
    assert entry.ip_address == "192.0.2.10"
    assert entry.occurred_at <= datetime.now(tz=UTC)
    assert entry.previous_hash == audit.GENESIS_HASH
    assert entry.entry_hash == audit.compute_hash(entry)


def test_entries_form_a_chain():
    first, second, third = _write(3)
    assert [e.sequence for e in (first, second, third)] == [1, 2, 3]
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert list(audit.verify_chain()) == []


def test_hash_survives_a_database_round_trip_with_json_changes():
    audit.record(actor=SYSTEM, action=AuditAction.UPDATE, changes={"z": 1, "a": ["x", "é"], "m": {"b": 2, "a": None}})
    stored = AuditEntry.objects.get()
    assert audit.compute_hash(stored) == stored.entry_hash


def test_the_model_refuses_changes_and_deletes():
    (entry,) = _write(1)
    entry.description = "changed"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


@pytest.mark.parametrize("statement", ["UPDATE core_auditentry SET description = 'x'", "DELETE FROM core_auditentry"])
def test_the_database_refuses_update_and_delete(statement):
    _write(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEntry.objects.count() == 2
    assert list(audit.verify_chain()) == []


def test_verify_command_reports_an_intact_log(capsys):
    _write(3)
    call_command("verify_audit_log")
    assert "3 entries verified" in capsys.readouterr().out


def test_a_changed_entry_is_reported():
    _write(5)
    _tamper("UPDATE core_auditentry SET organisation_name = %s WHERE sequence = %s", ["Someone else", 3])
    problems = list(audit.verify_chain())
    assert [p.sequence for p in problems] == [3]
    assert "changed" in problems[0].message
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit_log")


def test_a_changed_entry_with_recomputed_hash_breaks_the_next_link():
    _write(4)
    entry = AuditEntry.objects.get(sequence=2)
    entry.description = "rewritten"
    new_hash = audit.compute_hash(entry)
    _tamper("UPDATE core_auditentry SET description = %s, entry_hash = %s WHERE sequence = 2", ["rewritten", new_hash])
    problems = list(audit.verify_chain())
    assert [p.sequence for p in problems] == [3]
    assert "link" in problems[0].message


def test_a_deleted_entry_in_the_middle_is_reported():
    _write(5)
    _tamper("DELETE FROM core_auditentry WHERE sequence = %s", [3])
    problems = list(audit.verify_chain())
    assert problems, "a deleted entry must be reported"
    assert problems[0].sequence == 4
    assert "missing" in problems[0].message


def test_a_deleted_newest_entry_is_reported():
    _write(4)
    _tamper("DELETE FROM core_auditentry WHERE sequence = %s", [4])
    problems = list(audit.verify_chain())
    assert len(problems) == 1
    assert "tail" in problems[0].message
    with pytest.raises(CommandError):
        call_command("verify_audit_log")


def test_a_failed_service_transaction_leaves_no_audit_entry():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record(actor=SYSTEM, action=AuditAction.CREATE)
        1 / 0  # noqa: B018 - the change after the audit entry fails
    assert AuditEntry.objects.count() == 0
    audit.record(actor=SYSTEM, action=AuditAction.CREATE)
    assert AuditEntry.objects.get().sequence == 1
    assert list(audit.verify_chain()) == []


def test_one_entry_can_name_several_categories():
    value = audit.categories_value(["general", "finances", "general", "mental_health"])
    assert value == "general,finances,mental_health"
    assert audit.split_categories(value) == ["general", "finances", "mental_health"]
    assert audit.split_categories("") == [] and audit.split_categories("health") == ["health"]
    # The longest list, every category once, fits the column.
    every = audit.categories_value(["general", "health", "mental_health", "finances", "safety", "justice", "youth"])
    assert len(every) <= AuditEntry._meta.get_field("data_category").max_length
