import itertools
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from samen.core import audit
from samen.core.actor import SYSTEM, Actor, Role
from samen.core.db_triggers import remove_audit_triggers
from samen.core.models import (
    AuditAction,
    AuditChainHead,
    AuditDaySummary,
    AuditEntry,
    AuditOutcome,
    AuditPurpose,
)
from samen.core.testing import count_queries
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _write(n: int, household_id: int | None = None) -> list[AuditEntry]:
    return [
        audit.record(actor=SYSTEM, action=AuditAction.READ, household_id=household_id, description=f"entry {i}")
        for i in range(n)
    ]


def _tamper(sql: str, params: list) -> None:
    """What an attacker with database rights would do: drop the guard triggers, then edit rows."""
    remove_audit_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _problems() -> list[audit.ChainProblem]:
    """The chain's problems (tampering with a household's entries also unbalances its day summary; that check
    has tests of its own below)."""
    return [problem for problem in audit.verify_chain() if not problem.message.startswith("the day summary")]


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
    assert (entry.chain_version, entry.stream, entry.stream_sequence) == (2, "household:42", 1)
    assert entry.sequence == entry.pk
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
    assert entry.occurred_on == audit.dutch_day(entry.occurred_at)
    assert entry.previous_hash == audit.GENESIS_HASH
    assert entry.entry_hash == audit.compute_hash(entry)


def test_the_day_is_the_dutch_calendar_day():
    assert audit.dutch_day(datetime(2026, 1, 14, 23, 30, tzinfo=UTC)) == date(2026, 1, 15)  # CET, UTC+1
    assert audit.dutch_day(datetime(2026, 7, 14, 21, 59, tzinfo=UTC)) == date(2026, 7, 14)  # CEST, UTC+2
    assert audit.dutch_day(datetime(2026, 7, 14, 22, 0, tzinfo=UTC)) == date(2026, 7, 15)


def test_the_version_2_hash_covers_stream_place_and_day():
    (entry,) = _write(1, household_id=1)
    for field, other in [("stream", "household:2"), ("stream_sequence", 9), ("occurred_on", date(2000, 1, 1))]:
        original = getattr(entry, field)
        setattr(entry, field, other)
        assert audit.compute_hash(entry) != entry.entry_hash, field
        setattr(entry, field, original)


def test_entries_form_a_chain():
    first, second, third = _write(3)
    assert [e.stream_sequence for e in (first, second, third)] == [1, 2, 3]
    assert first.sequence < second.sequence < third.sequence
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert _problems() == []


def test_each_household_user_and_the_system_has_its_own_chain():
    user = MembershipFactory().user
    person = Actor(user=user, role=Role.PROFESSIONAL)
    for household_id in (1, 2, 1, None, 2, 1):
        audit.record(actor=person, action=AuditAction.READ, household_id=household_id)
    audit.record(actor=SYSTEM, action=AuditAction.LOGIN_FAILED)
    streams: dict[str, list[AuditEntry]] = {}
    for entry in AuditEntry.objects.order_by("sequence"):
        streams.setdefault(entry.stream, []).append(entry)
    assert {stream: len(entries) for stream, entries in streams.items()} == {
        "household:1": 3,
        "household:2": 2,
        f"user:{user.pk}": 1,
        "system": 1,
    }
    for stream, entries in streams.items():
        assert [e.stream_sequence for e in entries] == list(range(1, len(entries) + 1))
        assert entries[0].previous_hash == audit.GENESIS_HASH
        assert all(later.previous_hash == earlier.entry_hash for earlier, later in itertools.pairwise(entries))
        head = AuditChainHead.objects.get(stream=stream)
        assert (head.last_sequence, head.last_hash) == (len(entries), entries[-1].entry_hash)
    assert _problems() == []


def test_hash_survives_a_database_round_trip_with_json_changes():
    audit.record(actor=SYSTEM, action=AuditAction.UPDATE, changes={"z": 1, "a": ["x", "é"], "m": {"b": 2, "a": None}})
    stored = AuditEntry.objects.get()
    assert audit.compute_hash(stored) == stored.entry_hash


def test_record_runs_a_bounded_number_of_statements():
    # A stream's first entry: the lock-free number, the head (SELECT ... FOR UPDATE), the head's INSERT ... ON
    # CONFLICT DO NOTHING and SELECT again, the entry's INSERT, the day summary's upsert, the head's UPDATE.
    assert count_queries(_write, 1, 5) == 7
    # Every later entry: the number, the head, the entry, the day summary, the head's UPDATE.
    assert count_queries(_write, 1, 5) == 5
    _write(1)
    assert count_queries(_write, 1) == 4  # no household: no day summary


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
    assert _problems() == []


def test_verify_command_reports_an_intact_log(capsys):
    _write(3)
    _write(2, household_id=8)
    call_command("verify_audit_log")
    assert "5 entries in 2 streams verified" in capsys.readouterr().out


# --- tampering ---------------------------------------------------------------------------------------


def test_a_changed_entry_is_reported():
    _write(5, household_id=3)
    _tamper(
        "UPDATE core_auditentry SET organisation_name = %s WHERE stream = %s AND stream_sequence = %s",
        ["Someone else", "household:3", 3],
    )
    problems = _problems()
    assert [(p.stream, p.sequence) for p in problems] == [("household:3", 3)]
    assert "changed" in problems[0].message
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit_log")


def test_a_changed_day_is_reported():
    _write(2)
    _tamper("UPDATE core_auditentry SET occurred_on = %s WHERE stream_sequence = 2", ["2001-01-01"])
    assert [(p.sequence, "changed" in p.message) for p in _problems()] == [(2, True)]


def test_a_changed_entry_with_recomputed_hash_breaks_the_next_link():
    _write(4)
    entry = AuditEntry.objects.get(stream="system", stream_sequence=2)
    entry.description = "rewritten"
    new_hash = audit.compute_hash(entry)
    _tamper(
        "UPDATE core_auditentry SET description = %s, entry_hash = %s WHERE stream = 'system' AND stream_sequence = 2",
        ["rewritten", new_hash],
    )
    problems = _problems()
    assert [p.sequence for p in problems] == [3]
    assert "link" in problems[0].message


def test_a_deleted_entry_in_the_middle_is_reported():
    _write(5)
    _write(2, household_id=4)
    _tamper("DELETE FROM core_auditentry WHERE stream = 'system' AND stream_sequence = %s", [3])
    problems = _problems()
    assert problems, "a deleted entry must be reported"
    assert (problems[0].stream, problems[0].sequence) == ("system", 4)
    assert "missing" in problems[0].message
    assert {p.stream for p in problems} == {"system"}


def test_a_deleted_newest_entry_is_reported():
    _write(4)
    _tamper("DELETE FROM core_auditentry WHERE stream_sequence = %s", [4])
    problems = _problems()
    assert len(problems) == 1
    assert "tail" in problems[0].message
    with pytest.raises(CommandError):
        call_command("verify_audit_log")


def test_two_entries_swapped_are_reported():
    _write(4, household_id=5)
    _tamper(
        "UPDATE core_auditentry SET stream_sequence = 5 - stream_sequence + 100 WHERE stream_sequence IN (2, 3)", []
    )
    _tamper("UPDATE core_auditentry SET stream_sequence = stream_sequence - 100 WHERE stream_sequence > 100", [])
    problems = _problems()
    assert {p.sequence for p in problems} >= {2, 3}
    assert any("changed" in p.message for p in problems)


def test_an_inserted_entry_is_reported():
    (first,) = _write(1, household_id=6)
    # A forged entry after the head, correctly linked and hashed: the head still names the real newest entry.
    forged = AuditEntry(
        **{f.attname: getattr(first, f.attname) for f in AuditEntry._meta.concrete_fields if f.attname != "id"}
    )
    forged.sequence = first.sequence + 1000
    forged.stream_sequence = 2
    forged.previous_hash = first.entry_hash
    forged.entry_hash = audit.compute_hash(forged)
    forged.save(force_insert=True)
    problems = _problems()
    assert len(problems) == 1 and problems[0].stream == "household:6"
    assert "head says 1" in problems[0].message


def test_an_entry_replayed_into_another_stream_is_reported():
    (original,) = _write(1, household_id=7)
    _write(1, household_id=8)
    head = AuditChainHead.objects.get(stream="household:8")
    copy = AuditEntry(
        **{f.attname: getattr(original, f.attname) for f in AuditEntry._meta.concrete_fields if f.attname != "id"}
    )
    copy.sequence, copy.stream, copy.stream_sequence = original.sequence + 1000, "household:8", 2
    copy.previous_hash, copy.entry_hash = head.last_hash, "f" * 64  # the original hash is taken (unique)
    copy.save(force_insert=True)
    _tamper("UPDATE core_auditchainhead SET last_sequence = 2, last_hash = %s WHERE stream = 'household:8'", ["f" * 64])
    problems = _problems()
    assert [(p.stream, p.sequence) for p in problems] == [("household:8", 2)]
    assert "changed" in problems[0].message


def test_a_tail_deleted_with_its_head_moved_back_needs_an_anchor():
    entries = _write(4, household_id=9)

    def cut_tail():
        _tamper("DELETE FROM core_auditentry WHERE stream = 'household:9' AND stream_sequence > 2", [])
        _tamper(
            "UPDATE core_auditchainhead SET last_sequence = 2, last_hash = %s WHERE stream = 'household:9'",
            [entries[1].entry_hash],
        )

    with transaction.atomic():
        cut_tail()
        assert _problems() == [], "without an anchor this is not found (see the README's threat model)"
        transaction.set_rollback(True)

    audit.write_anchor()
    cut_tail()
    problems = _problems()
    assert [(p.stream, p.sequence) for p in problems] == [("household:9", 3)]
    assert "anchored" in problems[0].message


def test_a_whole_stream_deleted_with_its_head_is_found_through_the_anchor(capsys):
    _write(3, household_id=10)
    _write(2, household_id=11)

    def delete_stream():
        _tamper("DELETE FROM core_auditentry WHERE stream = 'household:10'", [])
        _tamper("DELETE FROM core_auditchainhead WHERE stream = 'household:10'", [])

    with transaction.atomic():
        delete_stream()
        assert _problems() == [], "without an anchor a whole stream can go unnoticed"
        transaction.set_rollback(True)

    call_command("verify_audit_log", "--anchor")
    assert "Anchored 2 stream head(s)" in capsys.readouterr().out
    anchor = AuditEntry.objects.get(stream=audit.ANCHOR_STREAM)
    assert set(anchor.changes["heads"]) == {"household:10", "household:11"}
    delete_stream()
    problems = _problems()
    assert [(p.stream, p.sequence) for p in problems] == [("household:10", 1)]
    assert "anchored" in problems[0].message


def test_anchors_hold_only_the_heads_that_moved():
    _write(1, household_id=12)
    _write(1, household_id=13)
    assert set(audit.write_anchor().changes["heads"]) == {"household:12", "household:13"}
    assert audit.write_anchor() is None
    (newest,) = _write(1, household_id=13)
    assert audit.write_anchor().changes["heads"] == {"household:13": [2, newest.entry_hash]}
    assert audit.anchored_heads()["household:12"][0] == 1
    assert _problems() == []


def test_a_changed_anchor_is_not_trusted_and_is_reported():
    _write(2, household_id=14)
    audit.write_anchor()
    _tamper(
        "UPDATE core_auditentry SET changes = %s WHERE stream = 'anchor'", ['{"heads": {"household:14": [9, "x"]}}']
    )
    problems = _problems()
    assert [(p.stream, p.sequence) for p in problems] == [("anchor", 1)]


def test_a_changed_or_deleted_day_summary_is_reported():
    _write(3, household_id=15)
    _write(1, household_id=16)
    assert list(audit.verify_chain()) == []
    AuditDaySummary.objects.filter(household_id=15).update(times=1)
    AuditDaySummary.objects.filter(household_id=16).delete()
    problems = list(audit.verify_chain())
    assert [(p.stream, p.message.split(":")[-1].strip()) for p in problems] == [
        ("household:15", "1 counted, 3 in the log"),
        ("household:16", "0 counted, 1 in the log"),
    ]


def test_a_deleted_entry_also_unbalances_the_day_summary():
    _write(2, household_id=17)
    _tamper("DELETE FROM core_auditentry WHERE stream = 'household:17' AND stream_sequence = 1", [])
    summary = [p for p in audit.verify_chain() if p.message.startswith("the day summary")]
    assert [p.message.split(":")[-1].strip() for p in summary] == ["2 counted, 1 in the log"]


def test_a_failed_service_transaction_leaves_no_audit_entry():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record(actor=SYSTEM, action=AuditAction.CREATE)
        1 / 0  # noqa: B018 - the change after the audit entry fails
    assert AuditEntry.objects.count() == 0
    audit.record(actor=SYSTEM, action=AuditAction.CREATE)
    assert AuditEntry.objects.get().stream_sequence == 1
    assert _problems() == []


# --- chain version 1 (the single chain written before streams) ------------------------------------------


def _legacy(n: int) -> list[AuditEntry]:
    """Entries as the single-chain ``record`` wrote them before version 2, with the old head row."""
    previous = audit.GENESIS_HASH
    entries = []
    start = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)
    for sequence in range(1, n + 1):
        occurred_at = start + timedelta(hours=sequence)
        entry = AuditEntry(
            id=sequence,
            sequence=sequence,
            chain_version=1,
            stream=audit.LEGACY_STREAM,
            occurred_at=occurred_at,
            occurred_on=audit.dutch_day(occurred_at),
            action="read",
            purpose="COC",
            role="system",
            user_display="system",
            household_id=sequence % 2 or None,
            source_system="samen",
            previous_hash=previous,
        )
        entry.entry_hash = audit.compute_hash(entry, version=1)
        entry.save(force_insert=True)
        if entry.household_id is not None:
            audit.count_in_day_summary(entry)
        previous = entry.entry_hash
        entries.append(entry)
    AuditChainHead.objects.create(stream=audit.LEGACY_STREAM, last_sequence=n, last_hash=previous)
    return entries


def test_legacy_entries_are_verified_beside_the_streams():
    _legacy(4)
    new = _write(2, household_id=1)
    assert all(entry.sequence > 4 for entry in new)
    assert _problems() == []
    _tamper("UPDATE core_auditentry SET description = 'x' WHERE chain_version = 1 AND sequence = 2", [])
    _tamper("DELETE FROM core_auditentry WHERE chain_version = 1 AND sequence = 4", [])
    problems = _problems()
    assert [(p.stream, p.sequence) for p in problems] == [("legacy", 2), ("legacy", 4)]
    assert "changed" in problems[0].message and "tail" in problems[1].message


def test_the_legacy_hash_is_the_one_the_old_code_computed():
    """A version-1 entry's hash is over the old field list only: filled-in columns do not change it."""
    (entry,) = _legacy(1)
    assert audit.HASHED_FIELDS[1] == audit.HASHED_FIELDS_V1
    assert "stream" not in audit.HASHED_FIELDS_V1 and "occurred_on" not in audit.HASHED_FIELDS_V1
    assert audit.compute_hash(entry) == entry.entry_hash


def test_the_migration_keeps_existing_entries_verifiable(transactional_db):
    """Entries and the head written by the single-chain code (migration 0003) survive migration 0004 and verify."""
    before, latest = ("core", "0003_auditentry_data_category_list"), ("core", "0004_audit_streams")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        old = executor.loader.project_state([before]).apps
        OldEntry, OldHead = old.get_model("core", "AuditEntry"), old.get_model("core", "AuditChainHead")
        previous = audit.GENESIS_HASH
        for sequence in (1, 2, 3):
            entry = OldEntry(
                sequence=sequence,
                occurred_at=datetime(2026, 3, 28, 21, 30, tzinfo=UTC) + timedelta(hours=sequence),
                action="read",
                purpose="COC",
                role="system",
                household_id=5,
                source_system="samen",
                previous_hash=previous,
                changes={"a": [1, "é"]},
            )
            entry.entry_hash = audit.compute_hash(entry, version=1)
            entry.save()
            previous = entry.entry_hash
        OldHead.objects.create(pk=1, last_sequence=3, last_hash=previous)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate([latest])
    migrated = list(AuditEntry.objects.order_by("sequence"))
    assert [(e.chain_version, e.stream, e.stream_sequence) for e in migrated] == [(1, "legacy", None)] * 3
    assert [e.occurred_on for e in migrated] == [date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 29)]  # CET: UTC+1
    assert AuditChainHead.objects.get(stream="legacy").last_sequence == 3
    audit.record(actor=SYSTEM, action=AuditAction.READ, household_id=5)
    assert _problems() == []
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")  # the triggers are back


# --- concurrency (PostgreSQL) -------------------------------------------------------------------------


# Row locks and concurrent writers are PostgreSQL's: SQLite runs one writing transaction at a time (the settings
# begin every transaction IMMEDIATE), and its test database is in memory. CI runs these in its PostgreSQL pass.
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL's row locks (CI's PostgreSQL pass)")


@postgresql_only
def test_writers_for_different_households_do_not_wait_for_each_other(transactional_db):
    """One transaction holds household 1's stream (written, not yet committed); a write for household 2 commits
    meanwhile, and a second write for household 1 waits until the first commits. The chains verify."""
    holding, release = threading.Event(), threading.Event()
    finished: dict[str, float] = {}
    errors: list[BaseException] = []

    def in_thread(name, work):
        def run():
            try:
                work()
                finished[name] = time.monotonic()
            except BaseException as error:  # noqa: BLE001 - reported by the test below
                errors.append(error)
            finally:
                connection.close()

        return threading.Thread(target=run, name=name)

    def hold_household_1():
        with transaction.atomic():
            audit.record(actor=SYSTEM, action=AuditAction.READ, household_id=1)
            holding.set()
            release.wait(timeout=10)

    def write(household_id):
        def work():
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '5s'")
                audit.record(actor=SYSTEM, action=AuditAction.READ, household_id=household_id)

        return work

    _write(1, household_id=1)  # both heads exist already: what is measured is the lock, not the first insert
    _write(1, household_id=2)
    holder = in_thread("holder", hold_household_1)
    holder.start()
    assert holding.wait(timeout=10)
    other = in_thread("other household", write(2))
    same = in_thread("same household", write(1))
    other.start()
    same.start()
    other.join(timeout=10)
    assert "other household" in finished, f"a write for another household waited: {errors}"
    time.sleep(0.3)
    assert "same household" not in finished, "a second writer of household 1 must wait for the first"
    released_at = time.monotonic()
    release.set()
    holder.join(timeout=10)
    same.join(timeout=10)
    assert errors == []
    assert finished["same household"] >= released_at
    assert AuditChainHead.objects.get(stream="household:1").last_sequence == 3
    assert _problems() == []


@postgresql_only
def test_concurrent_first_writes_to_new_streams_are_all_chained(transactional_db):
    """Eight threads write at once, to four new households (two per stream): the head rows are created safely
    and every chain verifies."""
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def writer(household_id):
        try:
            start.wait(timeout=10)
            for _ in range(5):
                with transaction.atomic():
                    audit.record(actor=SYSTEM, action=AuditAction.READ, household_id=household_id)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(100 + i % 4,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(AuditChainHead.objects.values_list("last_sequence", flat=True)) == [10, 10, 10, 10]
    assert _problems() == []
