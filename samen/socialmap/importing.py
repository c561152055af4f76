"""Importing HSDS 3.0 files into the social map: the one writer of imports (``hsds_import``), and queueing one as a
background task (``import_queue``) for the upload page.

Accepted file shapes (``records_of``):
- one HSDS object (a service, an organization, a location, a service at a location, a taxonomy or a term),
- a list of them,
- a page of the HSDS API (``{"total_items": ..., "contents": [...]}``),
- a dict of lists keyed by type: ``organizations``, ``services``, ``taxonomies``, ``taxonomy_terms``,
  ``service_at_locations``, ``locations`` (what ``export_hsds`` writes; ``version``/``profile``/``openapi_url`` of
  the API's ``/`` may be beside them).
What kind an object is, outside a dict of lists, is told from the fields only that kind has (``hsds.kind_of``).

How an import goes:
1. Every record is checked against the official schema (``hsds.validate``), then turned into rows with the model
   fields' checks (too long a text, a bad address, a date that is no date) and the links checked (a service needs
   its organization, a term's taxonomy must exist). The progress (``DirectoryImport.done``) is written as records are
   read, each step committed on its own, so the upload page can show it while the import runs.
2. Any error refuses the whole import: the ``DirectoryImport`` keeps the status ``refused`` and the errors per record
   (record, field, reason), and nothing else is written. A profile of HSDS (a national variant) that adds fields is
   valid HSDS: its fields are kept in ``extra`` and exported again; a record that breaks base HSDS is refused.
3. Otherwise every row is written in one transaction (all or nothing), by id: a new id is created, a known id is
   updated only when something differs, so importing the same data again changes nothing (and reports 0 changed).
   The one-to-one fields of an object are what the file says (an absent field is empty); what the file does not
   nest (a list of phones, funding, contacts) is left as it is stored; an import never deletes. The links of an
   object given in several places (the official examples repeat a phone in the service, its location and its
   organization) are all kept. Samen's own columns (the maintainer of an organization, checked dates) are never
   written: an imported organization gets no maintainer, and keeps the one it has.
   The one exception to "never deletes" is capacity (HSDS 3.1's ``capacities`` of a service, ``hsds.CAPACITIES``):
   it says how much room a service has now, so a service whose record gives the list (even an empty one) has the
   capacity the list gives, by capacity id, and a stored capacity missing from the list is removed (counted as a
   change). A service whose record has no ``capacities`` (a plain HSDS 3.0 file) keeps the capacity it has.
4. The search columns of every service the import touched are recomputed (``indexing.reindex``) and the import is
   written to the audit log once, with its counts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol
from uuid import UUID

from django.db import DatabaseError, IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samen.core import audit
from samen.core.actor import Actor
from samen.core.models import AuditAction, AuditOutcome, AuditPurpose
from samen.socialmap import hsds, indexing
from samen.socialmap.hsds import KINDS, TOP_KINDS, WRITE_ORDER, Parsed, RecordError, Row
from samen.socialmap.models import Attribute, DirectoryImport, ImportStatus, Service, ServiceCapacity

# At most this many errors are kept per import (the rest are counted).
MAX_ERRORS = 500
API_INFO_KEYS = {"version", "profile", "openapi_url"}
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}
KIND_OF_MODEL = {kind.model: name for name, kind in KINDS.items()}


class Advancing(Protocol):
    def advance(self, amount: int = 1) -> None: ...


class FileUnreadable(ValueError):
    """The upload is no JSON (or no text); the message says why in plain words."""


def read_json(raw: bytes) -> Any:
    """The JSON in an uploaded file, or ``FileUnreadable`` with a message for the person who uploaded it."""
    if not raw.strip():
        raise FileUnreadable(_("The file is empty."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileUnreadable(_("The file is not a text file in UTF-8. Choose an HSDS JSON file.")) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FileUnreadable(
            _("The file is not valid JSON (line %(line)d, column %(column)d: %(reason)s).")
            % {"line": error.lineno, "column": error.colno, "reason": error.msg}
        ) from None
    except (RecursionError, ValueError):
        # Lists or objects nested thousands deep, or a number of thousands of digits: valid JSON, but no HSDS file.
        raise FileUnreadable(
            _("The file is not an HSDS file: it nests too deep or holds a number too long to read.")
        ) from None


@dataclass(frozen=True)
class Record:
    kind: str | None
    data: Any
    number: int

    @property
    def label(self) -> str:
        return hsds.record_label(self.kind or _("record"), self.data, self.number)


def records_of(data: Any) -> tuple[list[Record], list[RecordError]]:
    """The top-level records of a file in one of the accepted shapes, numbered from 1, and what is wrong with the
    shape itself."""
    not_hsds = RecordError(
        _("the file"),
        "-",
        _(
            "is not an HSDS file: expected one HSDS object, a list of them, a page with contents, or lists under "
            "organizations, services, taxonomies, taxonomy_terms, service_at_locations and locations"
        ),
    )
    if isinstance(data, list):
        return [Record(hsds.kind_of(item), item, number) for number, item in enumerate(data, 1)], []
    if not isinstance(data, dict):
        return [], [not_hsds]
    if "id" in data:  # one object (an organization has lists of services and locations too)
        return [Record(hsds.kind_of(data), data, 1)], []
    if isinstance(data.get("contents"), list) and set(data) <= PAGE_KEYS:
        return records_of(data["contents"])
    if set(data) & set(TOP_KINDS):
        records: list[Record] = []
        errors = []
        for key, value in data.items():
            if key in API_INFO_KEYS:
                continue
            if key not in TOP_KINDS or not isinstance(value, list):
                errors.append(RecordError(_("the file"), key, _("is not a list of HSDS objects this import knows")))
                continue
            records.extend(Record(TOP_KINDS[key], item, len(records) + index) for index, item in enumerate(value, 1))
        return records, errors
    return [], [not_hsds]


def count_records(data: Any) -> int:
    return len(records_of(data)[0])


# --- checking the links between rows -------------------------------------------------------------------------------

REQUIRED_LINKS = {
    "service": (
        ("organization_id", gettext_lazy("needs its organization: give organization_id or nest the organization")),
    ),
    "service_at_location": (
        ("service_id", gettext_lazy("needs its service: give service_id or nest it in its service")),
        ("location_id", gettext_lazy("needs its location: give location_id or nest the location")),
    ),
    "attribute": (("taxonomy_term_id", gettext_lazy("needs its taxonomy term")),),
}


def _link_errors(parsed: Parsed) -> list[RecordError]:
    """Links to rows that are neither in the file nor stored, required links that are missing, and the rules of the
    map's tables that the schema does not know."""
    errors: list[RecordError] = []
    wanted: dict[type[models.Model], set[UUID]] = defaultdict(set)
    checks: list[tuple[Row, str, type[models.Model], UUID]] = []
    missing_required: list[tuple[Row, str, str]] = []
    for row in parsed.rows.values():
        kind = KINDS[row.kind]
        for model_field in kind.model._meta.concrete_fields:
            if not model_field.is_relation or not model_field.db_constraint:
                continue
            target = model_field.related_model
            if target not in KIND_OF_MODEL:
                continue
            value = row.values.get(model_field.attname)
            if value is not None and (KIND_OF_MODEL[target], value) not in parsed.rows:
                wanted[target].add(value)
                checks.append((row, model_field.attname, target, value))
        for attname, reason in REQUIRED_LINKS.get(row.kind, ()):
            if row.values.get(attname) is None:
                wanted[kind.model].add(row.id)
                missing_required.append((row, attname, reason))
        errors.extend(_rule_errors(row))
    stored = {
        model: set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
        for model, ids in wanted.items()
    }
    for row, attname, target, value in checks:
        if value not in stored[target]:
            errors.append(
                RecordError(
                    row.label,
                    _at(row, attname),
                    _("refers to %(kind)s %(id)s, which is neither in the file nor in the social map")
                    % {"kind": KIND_OF_MODEL[target].replace("_", " "), "id": value},
                )
            )
    for row, attname, reason in missing_required:
        if row.id not in stored[KINDS[row.kind].model]:  # a stored row has its link already
            errors.append(RecordError(row.label, _at(row, attname), str(reason)))
    return errors


def _at(row: Row, name: str) -> str:
    return f"{row.path}.{name}" if row.path else name


def _rule_errors(row: Row) -> list[RecordError]:
    values = row.values
    errors = []
    if row.kind == "service":
        low, high = values.get("minimum_age"), values.get("maximum_age")
        if low is not None and high is not None and low > high:
            errors.append(RecordError(row.label, _at(row, "minimum_age"), _("is above the maximum age")))
    if row.kind == "cost_option" and values.get("amount") is not None and values["amount"] < 0:
        errors.append(RecordError(row.label, _at(row, "amount"), _("cannot be below 0")))
    return errors


# --- writing -------------------------------------------------------------------------------------------------------


def _blank(model_field: models.Field) -> Any:
    if model_field.null:
        return None
    if model_field.has_default():
        return model_field.get_default()
    return ""


def _targets(row: Row) -> dict[str, Any]:
    """The columns this row sets: what the file gives; an absent one-to-one field is empty; an absent link, an
    absent ``last_modified`` (service) and an absent ``updated`` (capacity) keep what is stored (a new row gets now)."""
    kind = KINDS[row.kind]
    targets = {}
    for name in kind.fields:
        if name == "id":
            continue
        attname = kind.attname(name)
        if attname in row.values:
            targets[attname] = row.values[attname]
            continue
        model_field = next(f for f in kind.model._meta.concrete_fields if f.attname == attname)
        if model_field.is_relation or attname in KEPT_WHEN_ABSENT:
            continue
        targets[attname] = _blank(model_field)
    return targets


# The times of change a file may leave out: absent, they keep what is stored, and are set to now when the row changes.
KEPT_WHEN_ABSENT = {"last_modified", "updated"}
STAMPED = {"service": "last_modified", "service_capacity": "updated"}


def _merged_extra(stored: dict, given: dict) -> dict:
    """``extra`` after an import: what the file gives, plus the nested lists and objects the file does not give."""
    kept = {key: value for key, value in (stored or {}).items() if isinstance(value, list | dict) and key not in given}
    return {**kept, **given}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0  # capacities no longer in their service's list (also counted in ``updated``)


def _write_rows(parsed: Parsed) -> tuple[Counts, set[UUID]]:
    counts = Counts()
    by_kind: dict[str, list[Row]] = defaultdict(list)
    for row in parsed.rows.values():
        by_kind[row.kind].append(row)
    changed_ids: dict[str, set[UUID]] = defaultdict(set)
    now = timezone.now()
    for kind_name in WRITE_ORDER:
        rows = by_kind.get(kind_name, [])
        if not rows:
            continue
        model = KINDS[kind_name].model
        stored = model._default_manager.in_bulk([row.id for row in rows])
        new, changed, fields = [], [], set()
        for row in rows:
            targets = _targets(row)
            obj = stored.get(row.id)
            if obj is None:
                new.append(model(id=row.id, extra=row.extra, **targets))
                changed_ids[kind_name].add(row.id)
                continue
            # A capacity is all in the file (nothing nested in it is kept); a service's capacity is its table now,
            # never ``extra`` (where an import before capacity was read put it).
            targets["extra"] = row.extra if kind_name == "service_capacity" else _merged_extra(obj.extra, row.extra)
            if kind_name == "service":
                targets["extra"].pop(hsds.CAPACITIES, None)
            differs = [name for name, value in targets.items() if getattr(obj, name) != value]
            if not differs:
                counts.unchanged += 1
                continue
            for name in differs:
                setattr(obj, name, targets[name])
            if kind_name == "organization":
                obj.updated_at = now
                differs.append("updated_at")
            stamp = STAMPED.get(kind_name)
            if stamp and stamp not in row.values:
                setattr(obj, stamp, now)
                differs.append(stamp)
            fields.update(differs)
            changed.append(obj)
            changed_ids[kind_name].add(row.id)
        model._default_manager.bulk_create(new, batch_size=500)
        if changed:
            model._default_manager.bulk_update(changed, sorted(fields), batch_size=500)
        counts.created += len(new)
        counts.updated += len(changed)
    emptied = _remove_capacities(parsed, counts)
    return counts, _services_touched(parsed, changed_ids) | emptied


def _remove_capacities(parsed: Parsed, counts: Counts) -> set[UUID]:
    """Remove the stored capacities of the services whose record gives a list ``capacities`` without them; returns
    those services."""
    if not parsed.capacities:
        return set()
    stale: list[UUID] = []
    services: set[UUID] = set()
    service_ids = list(parsed.capacities)
    for start in range(0, len(service_ids), 500):
        stored = ServiceCapacity.objects.filter(service_id__in=service_ids[start : start + 500])
        for pk, service_id in stored.values_list("pk", "service_id"):
            if pk not in parsed.capacities[service_id]:
                stale.append(pk)
                services.add(service_id)
    for start in range(0, len(stale), 500):
        ServiceCapacity.objects.filter(pk__in=stale[start : start + 500]).delete()
    counts.removed = len(stale)
    counts.updated += len(stale)
    return services


def _services_touched(parsed: Parsed, changed: dict[str, set[UUID]]) -> set[UUID]:
    """The services whose search columns may read something this import changed."""
    if not any(changed.values()):
        return set()
    ids = set(changed["service"])
    for row in parsed.rows.values():
        if row.id in changed[row.kind] and row.values.get("service_id"):
            ids.add(row.values["service_id"])
    locations = set(changed["location"]) | {
        row.values["location_id"]
        for row in parsed.rows.values()
        if row.id in changed[row.kind] and row.values.get("location_id")
    }
    ids.update(
        Service.objects.filter(
            Q(organization_id__in=changed["organization"]) | Q(service_at_locations__location_id__in=locations)
        ).values_list("pk", flat=True)
    )
    terms = changed["taxonomy_term"]
    attributes = Attribute.objects.filter(Q(taxonomy_term_id__in=terms) | Q(pk__in=changed["attribute"]))
    ids.update(attributes.values_list("link_id", flat=True))
    return ids


# --- the import ----------------------------------------------------------------------------------------------------


class _Ticker:
    """Writes the progress to the import's row (each write committed on its own, at most about a hundred) and
    to ``progress`` (the command's bar)."""

    def __init__(self, row: DirectoryImport, progress: Advancing | None) -> None:
        self.row = row
        self.progress = progress
        self.step = max(1, row.total // 100)

    def tick(self, done: int) -> None:
        if self.progress is not None:
            self.progress.advance(1)
        if done % self.step == 0 or done == self.row.total:
            DirectoryImport.objects.filter(pk=self.row.pk).update(done=min(done, self.row.total))


def _error_list(errors: list[RecordError], *, warning: bool = False) -> list[dict]:
    listed = [{**error.as_dict(), **({"warning": True} if warning else {})} for error in errors[:MAX_ERRORS]]
    if len(errors) > MAX_ERRORS:
        more = len(errors) - MAX_ERRORS
        listed.append(
            {"record": "-", "field": "-", "reason": _("and %(count)d more like these") % {"count": more}}
            | ({"warning": True} if warning else {})
        )
    return listed


def hsds_import(
    *,
    actor: Actor,
    data: Any,
    filename: str = "",
    progress: Advancing | None = None,
    directory_import: DirectoryImport | None = None,
) -> DirectoryImport:
    """Import an HSDS file (parsed JSON) all or nothing; returns its ``DirectoryImport`` (done or refused).

    Not one ``@transaction.atomic`` around everything, on purpose: the progress must be committed while the records
    are read, so the upload page can show it. The writing of the data, its audit entry and the final status are one
    transaction (``_write``); a refused import writes only its own row and its audit entry.
    ``directory_import``: the row made when the import was queued (``import_queue``); else a new one.
    """
    row = directory_import or DirectoryImport.objects.create(
        started_by=actor.user, filename=filename[:255], status=ImportStatus.RUNNING
    )
    records, errors = records_of(data)
    row.total, row.done = len(records), 0
    row.save(update_fields=["total", "done"])
    ticker = _Ticker(row, progress)
    parsed = Parsed()
    for index, record in enumerate(records, 1):
        label = record.label
        if record.kind is None:
            errors.append(
                RecordError(
                    label,
                    "-",
                    _(
                        "cannot tell what kind of HSDS object this is; put it in a list under organizations, services, "
                        "taxonomies, taxonomy_terms, service_at_locations or locations"
                    ),
                )
            )
        else:
            found = hsds.validate(record.kind, record.data, label=label)
            errors.extend(found)
            if not found:
                hsds.parse(record.kind, record.data, label=label, into=parsed)
        ticker.tick(index)
    errors.extend(parsed.errors)
    if not records and not errors:
        errors.append(RecordError(_("the file"), "-", _("holds no records")))
    if not errors:
        errors.extend(_link_errors(parsed))
    if not errors:
        try:
            return _write(actor=actor, row=row, parsed=parsed)
        except (IntegrityError, DatabaseError, OverflowError, ValueError) as error:
            # The database (or its driver) refused a value the checks let through: refused, never left running.
            errors.append(RecordError(_("the file"), "-", _("the database refused it: %(reason)s") % {"reason": error}))
    return import_refuse(actor=actor, row=row, errors=errors)


@transaction.atomic
def _write(*, actor: Actor, row: DirectoryImport, parsed: Parsed) -> DirectoryImport:
    counts, services = _write_rows(parsed)
    if services:
        indexing.reindex(sorted(services))
    row.status = ImportStatus.DONE
    row.done = row.total
    row.created, row.updated = counts.created, counts.updated
    row.errors = _error_list(list(dict.fromkeys(parsed.warnings)), warning=True)
    row.finished_at = timezone.now()
    row.save(update_fields=["status", "done", "created", "updated", "errors", "finished_at"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if counts.created else AuditAction.UPDATE,
        object_type="socialmap.directoryimport",
        object_id=row.pk,
        purpose=AuditPurpose.OPERATIONS,
        description=f"HSDS import {row.filename}".strip(),
        changes={
            "status": row.status,
            "records": row.total,
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
        }
        | ({"removed": counts.removed} if counts.removed else {}),
    )
    return row


@transaction.atomic
def import_refuse(*, actor: Actor, row: DirectoryImport, errors: list[RecordError]) -> DirectoryImport:
    row.status = ImportStatus.REFUSED
    row.created = row.updated = 0
    row.errors = _error_list(list(dict.fromkeys(errors)))
    row.finished_at = timezone.now()
    row.save(update_fields=["status", "created", "updated", "errors", "finished_at"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        outcome=AuditOutcome.FAILURE,
        object_type="socialmap.directoryimport",
        object_id=row.pk,
        purpose=AuditPurpose.OPERATIONS,
        description=f"HSDS import {row.filename} refused".strip(),
        changes={"status": row.status, "records": row.total, "errors": len(errors)},
    )
    return row


@transaction.atomic
def import_queue(*, actor: Actor, data: Any, filename: str = "") -> DirectoryImport:
    """Start an import in the background (the upload page): its row now, the work once this transaction commits
    (``tasks.run_import``, which calls ``hsds_import``)."""
    from samen.socialmap import tasks

    row = DirectoryImport.objects.create(
        started_by=actor.user, filename=filename[:255], status=ImportStatus.RUNNING, total=count_records(data)
    )
    membership_id = actor.membership.pk if actor.membership is not None else None
    transaction.on_commit(partial(tasks.run_import.enqueue, row.pk, membership_id, data), robust=True)
    return row


# --- reads for the upload page -------------------------------------------------------------------------------------


def recent_imports(limit: int = 10) -> list[DirectoryImport]:
    return list(DirectoryImport.objects.select_related("started_by")[:limit])


def directory_import(import_id: str) -> DirectoryImport | None:
    """One import by its number (None for an unknown or malformed one)."""
    if not str(import_id).isdigit():
        return None
    return DirectoryImport.objects.select_related("started_by").filter(pk=int(import_id)).first()
