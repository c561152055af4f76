"""Writing and verifying the hash-chained audit log.

``record`` is the only writer of :class:`~samen.core.models.AuditEntry`. Call it inside the
service's transaction, so the change and its audit entry are stored together or not at all.

The log is a set of hash chains, one per *stream*: a household's entries (``household:<id>``), the
entries of a user about no household (``user:<id>``), the rest (``system``), and the anchors
(``anchor``). Each stream has its own head row, locked only by writers of that stream, so no lock is
shared by every writer in the installation. Entries written before streams existed form chain
version 1 (stream ``legacy``) and are verified exactly as before. ``write_anchor`` periodically stores
every stream's head in the ``anchor`` stream, so that a stream deleted together with its head is still
found. The design and its threat model are in the README (Architecture, "The access log").
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Q

from samen.core.actor import SYSTEM, Actor
from samen.core.models import (
    AuditAction,
    AuditChainHead,
    AuditDaySummary,
    AuditEntry,
    AuditOutcome,
    AuditPurpose,
)
from samen.core.transactions import run_with_retry

GENESIS_HASH = "0" * 64
# The calendar day of an entry is the day in the Netherlands (``AuditEntry.occurred_on``).
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")

LEGACY_STREAM = "legacy"
SYSTEM_STREAM = "system"
ANCHOR_STREAM = "anchor"

HEAD_TABLE = AuditChainHead._meta.db_table
SUMMARY_TABLE = AuditDaySummary._meta.db_table
# What ``AuditDaySummary`` counts by (its unique key), as fields of the entry.
SUMMARY_KEY = (
    "household_id",
    "occurred_on",
    "user_id",
    "organisation_name",
    "role",
    "action",
    "data_category",
    "purpose",
)

# The fields covered by the hash, in a fixed order, per chain version. Adding a field means a new version.
HASHED_FIELDS_V1 = (
    "sequence",
    "occurred_at",
    "action",
    "outcome",
    "purpose",
    "user_id",
    "user_display",
    "on_behalf_of_id",
    "organisation_id",
    "organisation_name",
    "role",
    "household_id",
    "person_id",
    "data_category",
    "object_type",
    "object_id",
    "description",
    "changes",
    "source_system",
    "ip_address",
    "previous_hash",
)
HASHED_FIELDS_V2 = (
    "chain_version",
    "stream",
    "stream_sequence",
    *HASHED_FIELDS_V1[:2],
    "occurred_on",
    *HASHED_FIELDS_V1[2:],
)
HASHED_FIELDS = {1: HASHED_FIELDS_V1, 2: HASHED_FIELDS_V2}
CURRENT_CHAIN_VERSION = 2


CATEGORY_SEPARATOR = ","


def categories_value(categories: Iterable[Any]) -> str:
    """The ``data_category`` of one entry for a page that shows several categories: their values, in the
    order given, without repeats, joined by commas (``"general,finances"``)."""
    return CATEGORY_SEPARATOR.join(dict.fromkeys(str(category) for category in categories))


def split_categories(value: str) -> list[str]:
    """The categories in an entry's ``data_category`` (one, several, or none)."""
    return [part for part in (value or "").split(CATEGORY_SEPARATOR) if part]


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def compute_hash(entry: Any, version: int | None = None) -> str:
    """The SHA-256 of the entry's hashed fields (those of its chain version), as canonical JSON."""
    fields = HASHED_FIELDS[version if version is not None else entry.chain_version]
    payload = {name: _canonical(getattr(entry, name)) for name in fields}
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def dutch_day(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()


def stream_for(*, household_id: int | None, user_id: int | None) -> str:
    """The stream of an entry: its household, else its user, else the system."""
    if household_id is not None:
        return f"household:{household_id}"
    if user_id is not None:
        return f"user:{user_id}"
    return SYSTEM_STREAM


def record(
    *,
    actor: Actor,
    action: AuditAction | str,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    household_id: int | None = None,
    person_id: int | None = None,
    data_category: str = "",
    purpose: AuditPurpose | str = AuditPurpose.CARE_COORDINATION,
    outcome: AuditOutcome | str = AuditOutcome.SUCCESS,
    description: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the audit log, chained to the previous entry of its stream (see ``stream_for``).

    Lock order (``samen/core/transactions.py``): this takes one lock, the row of the entry's stream head
    (``SELECT ... FOR UPDATE``), and holds it until the surrounding transaction ends. Only writers of the same
    stream (the same household, or the same user without a household) wait for it. Call ``record`` after the
    service's own writes and row locks, so the head is the last lock the transaction takes.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    # Inside a service this is part of the service's transaction (and its retry); on its own (a page view) it is a
    # transaction of its own, retried the same way when the database gives up on it.
    append = _append if connection.in_atomic_block else functools.partial(run_with_retry, _append)
    return append(
        stream_for(household_id=household_id, user_id=actor.user_id),
        actor=actor,
        action=str(action),
        outcome=str(outcome),
        purpose=str(purpose),
        household_id=household_id,
        person_id=person_id,
        data_category=data_category,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        description=description[:500],
        changes=changes or {},
    )


def _append(stream: str, *, actor: Actor, **fields: Any) -> AuditEntry:
    # No savepoint of its own: inside a service's transaction a failed audit write fails the service (the caller's
    # ``atomic`` rolls back); outside one, this is a transaction of its own.
    with transaction.atomic(savepoint=False):
        sequence = _next_sequence()
        last_sequence, last_hash = _lock_head(stream)
        occurred_at = datetime.now(tz=UTC)
        entry = AuditEntry(
            id=sequence,
            sequence=sequence,
            chain_version=CURRENT_CHAIN_VERSION,
            stream=stream,
            stream_sequence=last_sequence + 1,
            occurred_at=occurred_at,
            occurred_on=dutch_day(occurred_at),
            user_id=actor.user_id,
            user_display=(actor.user.email if actor.user is not None else str(actor.role)),
            on_behalf_of_id=actor.on_behalf_of.pk if actor.on_behalf_of is not None else None,
            organisation_id=actor.organisation_id,
            organisation_name=actor.organisation.name if actor.organisation is not None else "",
            role=str(actor.role),
            source_system=settings.SAMEN_SOURCE_SYSTEM,
            ip_address=actor.ip_address,
            previous_hash=last_hash,
            **fields,
        )
        entry.entry_hash = compute_hash(entry)
        entry.save(force_insert=True)
        if entry.household_id is not None:
            count_in_day_summary(entry)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {HEAD_TABLE} SET last_sequence = %s, last_hash = %s WHERE stream = %s",  # noqa: S608
                [entry.stream_sequence, entry.entry_hash, stream],
            )
    return entry


def _lock_head(stream: str) -> tuple[int, str]:
    """The stream head's (last_sequence, last_hash), its row locked until the transaction ends (PostgreSQL:
    ``FOR UPDATE``; SQLite has no row locks and runs one writing transaction at a time). A stream's first entry
    creates its head row with ``ON CONFLICT DO NOTHING``: two first writers at once both end up locking the one
    row (the second waits for the first to commit). Plain SQL: this runs on every page view, and the ORM's
    query building costs more than the statements themselves."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    select = f"SELECT last_sequence, last_hash FROM {HEAD_TABLE} WHERE stream = %s{lock}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(select, [stream])
        row = cursor.fetchone()
        if row is None:
            cursor.execute(
                f"INSERT INTO {HEAD_TABLE} (stream, last_sequence, last_hash) VALUES (%s, 0, %s) "  # noqa: S608
                "ON CONFLICT (stream) DO NOTHING",
                [stream, GENESIS_HASH],
            )
            cursor.execute(select, [stream])
            row = cursor.fetchone()
    return row[0], row[1]


def _next_sequence() -> int:
    """The next installation-wide ``sequence`` (also used as the primary key), taken without a shared lock.

    PostgreSQL: the primary key's own sequence (``nextval`` never waits; a rolled-back transaction leaves a
    gap). SQLite: one more than the largest number so far, which is safe because SQLite runs one writing
    transaction at a time (``transaction_mode`` IMMEDIATE takes the database's write lock at BEGIN).
    """
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            return cursor.fetchone()[0]
        # Two subqueries, not "MAX(id), MAX(sequence)": SQLite answers a lone MAX from the index, two in one SELECT
        # by scanning the whole table.
        cursor.execute(f"SELECT (SELECT MAX(id) FROM {table}), (SELECT MAX(sequence) FROM {table})")  # noqa: S608
        return max(value or 0 for value in cursor.fetchone()) + 1


def count_in_day_summary(entry: AuditEntry) -> None:
    """Count a household's entry in its day's row of ``AuditDaySummary`` (what "Wie keek" reads): one upsert.

    Runs inside ``record``'s transaction, after the stream head of the household was locked: the summary rows
    of a household are only written by holders of that lock, so this adds no wait of its own.
    """
    columns = ", ".join(("household_id", "day", *SUMMARY_KEY[2:]))
    ops = connection.ops
    params = [
        entry.household_id,
        ops.adapt_datefield_value(entry.occurred_on),
        entry.user_id or 0,
        *(getattr(entry, name) for name in SUMMARY_KEY[3:]),
        ops.adapt_datetimefield_value(entry.occurred_at),
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SUMMARY_TABLE} ({columns}, times, last_at) VALUES ({', '.join(['%s'] * 8)}, 1, %s) "  # noqa: S608
            f"ON CONFLICT ({columns}) DO UPDATE SET times = {SUMMARY_TABLE}.times + 1, last_at = CASE "
            f"WHEN excluded.last_at > {SUMMARY_TABLE}.last_at THEN excluded.last_at ELSE {SUMMARY_TABLE}.last_at END",
            params,
        )


# --- anchoring -------------------------------------------------------------------------------------


def anchored_heads() -> dict[str, tuple[int, str]]:
    """What the anchors say: for each stream, the highest anchored (sequence, hash)."""
    anchored: dict[str, tuple[int, str]] = {}
    for changes in AuditEntry.objects.filter(stream=ANCHOR_STREAM).values_list("changes", flat=True):
        _merge_anchor(anchored, changes)
    return anchored


def _merge_anchor(anchored: dict[str, tuple[int, str]], changes: Any) -> None:
    heads = changes.get("heads", {}) if isinstance(changes, dict) else {}
    for stream, (sequence, entry_hash) in heads.items():
        if sequence > anchored.get(stream, (0, ""))[0]:
            anchored[stream] = (sequence, entry_hash)


def write_anchor() -> AuditEntry | None:
    """Store the head (sequence and hash) of every stream that moved since the last anchor, as one entry in
    the ``anchor`` stream; None when nothing moved.

    ``verify_chain`` then checks that every anchored stream still reaches its anchored entry with that hash,
    which finds a stream deleted together with its head row, or a tail deleted with its head moved back.
    Anchors are incremental (only the heads that moved), so one stays small when few households were active.
    """
    anchored = anchored_heads()
    heads = {
        stream: [sequence, last_hash]
        for stream, sequence, last_hash in AuditChainHead.objects.exclude(stream=ANCHOR_STREAM)
        .order_by("stream")
        .values_list("stream", "last_sequence", "last_hash")
        if sequence and anchored.get(stream) != (sequence, last_hash)
    }
    if not heads:
        return None
    return _append(
        ANCHOR_STREAM,
        actor=SYSTEM,
        action=str(AuditAction.CREATE),
        outcome=str(AuditOutcome.SUCCESS),
        purpose=str(AuditPurpose.OPERATIONS),
        object_type="core.auditanchor",
        description=f"anchor of {len(heads)} stream head(s)",
        changes={"heads": heads},
    )


# --- verification ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainProblem:
    stream: str
    sequence: int | None
    message: str


def verify_chain(batch_size: int = 2000) -> Iterator[ChainProblem]:
    """Walk every stream in order and yield every problem found.

    Per stream: a changed entry (its hash no longer matches its content), a deleted or inserted entry
    (a gap in the stream's numbers or a broken link to the previous hash), a deleted tail (the stream's
    head remembers the newest number and hash), a head or entries without the other. Across streams:
    the anchors (walked first, and only trusted where their own chain is intact) name the streams and
    entries that must still be there, which finds a stream deleted with its head. Last, the day summary of
    "Wie keek" is compared with the entries (``verify_day_summaries``).
    """
    heads = {head.stream: head for head in AuditChainHead.objects.all()}
    anchored: dict[str, tuple[int, str]] = {}
    seen: set[str] = set()

    for version in AuditEntry.objects.exclude(chain_version__in=tuple(HASHED_FIELDS)).values_list(
        "chain_version", flat=True
    ):
        yield ChainProblem("", None, f"an entry has an unknown chain version {version} (inserted or changed)")

    anchors = _batched(AuditEntry.objects.filter(chain_version=2, stream=ANCHOR_STREAM), batch_size)
    seen.add(ANCHOR_STREAM)
    yield from _verify_stream(
        ANCHOR_STREAM, anchors, heads.get(ANCHOR_STREAM), None, lambda entry: _merge_anchor(anchored, entry.changes)
    )

    legacy = _batched(AuditEntry.objects.filter(chain_version=1), batch_size, legacy=True)
    first = next(legacy, None)
    if first is not None or LEGACY_STREAM in heads or LEGACY_STREAM in anchored:
        seen.add(LEGACY_STREAM)
        entries = itertools.chain([first], legacy) if first is not None else iter(())
        yield from _verify_stream(LEGACY_STREAM, entries, heads.get(LEGACY_STREAM), anchored.get(LEGACY_STREAM))

    streams = _batched(AuditEntry.objects.filter(chain_version=2).exclude(stream=ANCHOR_STREAM), batch_size)
    for stream, entries in itertools.groupby(streams, key=lambda entry: entry.stream):
        seen.add(stream)
        yield from _verify_stream(stream, entries, heads.get(stream), anchored.get(stream))

    # Streams known only from their head or from an anchor: every entry of theirs is gone.
    for stream in sorted((heads.keys() | anchored.keys()) - seen):
        yield from _verify_stream(stream, iter(()), heads.get(stream), anchored.get(stream))

    yield from verify_day_summaries()


def verify_day_summaries(households_per_batch: int = 500) -> Iterator[ChainProblem]:
    """Compare "Wie keek"'s day summary with the entries it counts, a batch of households at a time: a summary
    row that was changed, added or removed (it is not append-only) is reported under the household's stream."""
    household_ids = sorted(
        set(
            AuditEntry.objects.filter(household_id__isnull=False)
            .values_list("household_id", flat=True)
            .order_by()
            .distinct()
        )
        | set(AuditDaySummary.objects.values_list("household_id", flat=True).order_by().distinct())
    )
    fields = ("household_id", "day", *SUMMARY_KEY[2:])
    for start in range(0, len(household_ids), households_per_batch):
        batch = household_ids[start : start + households_per_batch]
        entries = (
            AuditEntry.objects.filter(household_id__in=batch)
            .values(*SUMMARY_KEY)
            .annotate(times=Count("pk"), last_at=Max("occurred_at"))
            .order_by()
        )
        counted = {}
        for row in entries:
            row["user_id"] = row["user_id"] or 0  # the summary's "no user"
            counted[tuple(row[name] for name in SUMMARY_KEY)] = (row["times"], row["last_at"])
        summary = {
            tuple(row[name] for name in fields): (row["times"], row["last_at"])
            for row in AuditDaySummary.objects.filter(household_id__in=batch).values(*fields, "times", "last_at")
        }
        for key in sorted(counted.keys() | summary.keys(), key=str):
            if counted.get(key) != summary.get(key):
                yield ChainProblem(
                    f"household:{key[0]}",
                    None,
                    f"the day summary of {key[1]} ({key[5]} by user {key[2]}) does not match the entries: "
                    f"{summary.get(key, (0,))[0]} counted, {counted.get(key, (0,))[0]} in the log",
                )


def _batched(queryset, batch_size: int, *, legacy: bool = False) -> Iterator[AuditEntry]:
    """The entries in chain order, fetched in batches by keyset (no OFFSET): by ``sequence`` for version 1,
    by stream and its sequence for version 2 (the unique index on both serves the order)."""
    if legacy:
        ordered, after = queryset.order_by("sequence"), lambda e: Q(sequence__gt=e.sequence)
    else:
        ordered = queryset.order_by("stream", "stream_sequence")

        def after(e):
            return Q(stream__gt=e.stream) | Q(stream=e.stream, stream_sequence__gt=e.stream_sequence)

    last = None
    while True:
        batch = list((ordered if last is None else ordered.filter(after(last)))[:batch_size])
        yield from batch
        if len(batch) < batch_size:
            return
        last = batch[-1]


def _verify_stream(
    stream: str,
    entries: Iterable[AuditEntry],
    head: AuditChainHead | None,
    anchor: tuple[int, str] | None,
    on_intact=None,
) -> Iterator[ChainProblem]:
    expected_previous = GENESIS_HASH
    expected = 1
    last = 0
    for entry in entries:
        number = entry.sequence if entry.chain_version == 1 else entry.stream_sequence
        if number != expected:
            yield ChainProblem(stream, number, f"entries {expected}..{number - 1} are missing")
        if entry.previous_hash != expected_previous:
            yield ChainProblem(stream, number, "the link to the previous entry is broken")
        if compute_hash(entry) != entry.entry_hash:
            yield ChainProblem(stream, number, "the content does not match its hash (changed)")
        elif entry.occurred_on != dutch_day(entry.occurred_at):
            # Version 2 hashes the day; for version 1 it was filled in later, from the hashed moment.
            yield ChainProblem(stream, number, "the day does not match the moment (changed)")
        elif on_intact is not None and number == expected and entry.previous_hash == expected_previous:
            on_intact(entry)
        if anchor is not None and number == anchor[0] and entry.entry_hash != anchor[1]:
            yield ChainProblem(stream, number, "the entry differs from the one anchored (rewritten)")
        expected_previous = entry.entry_hash
        expected = number + 1
        last = number
    if head is None:
        if last:
            yield ChainProblem(stream, None, "the stream has no head (head deleted, or the stream inserted)")
    elif head.last_sequence != last:
        yield ChainProblem(
            stream,
            last + 1 if head.last_sequence > last else None,
            f"the stream ends at entry {last} but its head says {head.last_sequence} (tail deleted or inserted)",
        )
    elif last and head.last_hash != expected_previous:
        yield ChainProblem(stream, last, "the newest entry does not match the stream's head")
    if anchor is not None and last < anchor[0]:
        yield ChainProblem(
            stream, last + 1, f"entry {anchor[0]} was anchored but the stream ends at entry {last} (deleted)"
        )
