"""Writing and verifying the hash-chained audit log.

``record`` is the only writer of :class:`~samen.core.models.AuditEntry`. Call it inside the
service's transaction, so the change and its audit entry are stored together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from samen.core.actor import Actor
from samen.core.models import AuditAction, AuditChainHead, AuditEntry, AuditOutcome, AuditPurpose

GENESIS_HASH = "0" * 64

# The fields covered by the hash, in a fixed order. Adding a field means a new chain version.
HASHED_FIELDS = (
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
    return value


def compute_hash(entry: AuditEntry) -> str:
    payload = {name: _canonical(getattr(entry, name)) for name in HASHED_FIELDS}
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


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
    """Append one entry to the audit log, chained to the previous one."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            sequence=head.last_sequence + 1,
            occurred_at=datetime.now(tz=UTC),
            action=str(action),
            outcome=str(outcome),
            purpose=str(purpose),
            user_id=actor.user_id,
            user_display=(actor.user.email if actor.user is not None else str(actor.role)),
            on_behalf_of_id=actor.on_behalf_of.pk if actor.on_behalf_of is not None else None,
            organisation_id=actor.organisation_id,
            organisation_name=actor.organisation.name if actor.organisation is not None else "",
            role=str(actor.role),
            household_id=household_id,
            person_id=person_id,
            data_category=data_category,
            object_type=object_type,
            object_id=str(object_id) if object_id != "" else "",
            description=description[:500],
            changes=changes or {},
            source_system=settings.SAMEN_SOURCE_SYSTEM,
            ip_address=actor.ip_address,
            previous_hash=head.last_hash,
        )
        entry.entry_hash = compute_hash(entry)
        entry.save(force_insert=True)
        head.last_sequence = entry.sequence
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_sequence", "last_hash"])
    return entry


@dataclass(frozen=True)
class ChainProblem:
    sequence: int | None
    message: str


def verify_chain(batch_size: int = 2000) -> Iterator[ChainProblem]:
    """Walk the whole chain in order and yield every problem found.

    Detects a changed entry (its hash no longer matches its content), a deleted or inserted entry
    (a gap in the sequence or a broken link to the previous hash) and a deleted tail (the chain
    head remembers the newest sequence and hash).
    """
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    last_seen = 0
    queryset = AuditEntry.objects.order_by("sequence")
    start = 0
    while True:
        batch = list(queryset.filter(sequence__gt=start)[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.sequence != expected_sequence:
                yield ChainProblem(
                    entry.sequence,
                    f"entries {expected_sequence}..{entry.sequence - 1} are missing",
                )
            if entry.previous_hash != expected_previous:
                yield ChainProblem(entry.sequence, "the link to the previous entry is broken")
            if compute_hash(entry) != entry.entry_hash:
                yield ChainProblem(entry.sequence, "the content does not match its hash (changed)")
            expected_previous = entry.entry_hash
            expected_sequence = entry.sequence + 1
            last_seen = entry.sequence
        start = batch[-1].sequence
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_sequence != last_seen:
        yield ChainProblem(
            last_seen + 1 if head.last_sequence > last_seen else None,
            f"the log ends at entry {last_seen} but entry {head.last_sequence} was written (tail deleted)",
        )
    elif head is not None and head.last_sequence and head.last_hash != expected_previous:
        yield ChainProblem(last_seen, "the newest entry does not match the chain head")
