"""The only writers of the social map's entries kept by hand: changing a service, saying it was checked, setting its
capacity. (Imports write through ``importing.py``; the household's own network through ``network_services.py``.)

Each function is one transaction: it checks the policy (``socialmap.maintain``), writes, recomputes the service's
search columns (``indexing.reindex``) and writes one audit entry with what changed. The directory holds no personal
data, so the entries have no household.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import audit
from samen.core.actor import Actor
from samen.core.models import AuditAction
from samen.core.policy import can
from samen.core.text import clean_text
from samen.core.transactions import atomic_service
from samen.socialmap import indexing
from samen.socialmap.models import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, Service, ServiceCapacity, ServiceStatus

# The fields of a service that its page "change" edits, with their longest length.
EDITABLE_TEXT = {
    "name": NAME_MAX_LENGTH,
    "description": TEXT_MAX_LENGTH,
    "eligibility_description": TEXT_MAX_LENGTH,
    "application_process": TEXT_MAX_LENGTH,
    "fees_description": TEXT_MAX_LENGTH,
    "wait_time": NAME_MAX_LENGTH,
    "alert": TEXT_MAX_LENGTH,
}
ONE_LINE = {"name", "wait_time"}
CAPACITY_MAX = 100_000


def _locked(actor: Actor, service: Service) -> Service:
    locked = Service.objects.select_for_update(no_key=True).select_related("organization").get(pk=service.pk)
    if not can(actor, "socialmap.maintain", locked):
        raise PermissionDenied
    return locked


def _audit(actor: Actor, service: Service, description: str, changes: dict[str, Any]) -> None:
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=service, description=description, changes=changes)


def _count(value: Any, field: str, *, required: bool) -> int | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Fill in a number.")}, code="required")
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Fill in a whole number, for example 3.")}, code="invalid") from None
    if not 0 <= number <= CAPACITY_MAX:
        raise ValidationError({field: _("Fill in a number from 0 to 100,000.")}, code="range")
    return number


@atomic_service
def service_update(*, actor: Actor, service: Service, status: Any = None, **texts: Any) -> Service:
    """Change what a service says (the fields of ``EDITABLE_TEXT``, and its status); counts as a check."""
    unknown = set(texts) - set(EDITABLE_TEXT)
    if unknown:
        raise TypeError(f"service_update: unknown fields {sorted(unknown)}")
    cleaned = {
        name: clean_text(
            value, field=name, max_length=EDITABLE_TEXT[name], required=name == "name", one_line=name in ONE_LINE
        )
        for name, value in texts.items()
    }
    if status is not None and status not in ServiceStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")}, code="invalid_choice")
    service = _locked(actor, service)
    changes = {}
    for name, value in [*cleaned.items(), *([("status", status)] if status is not None else [])]:
        if getattr(service, name) != value:
            changes[name] = {"from": getattr(service, name), "to": value}
            setattr(service, name, value)
    now = timezone.now()
    service.checked_at = now
    service.checked_by = actor.user
    fields = ["checked_at", "checked_by"]
    if changes:
        service.last_modified = now
        fields += ["last_modified", *changes]
    service.save(update_fields=fields)
    if changes:
        indexing.reindex([service.pk])
    _audit(actor, service, "social map service changed", {name: change["to"] for name, change in changes.items()})
    return service


@atomic_service
def service_mark_checked(*, actor: Actor, service: Service) -> Service:
    """Someone of the organisation checked the entry: it is still right."""
    service = _locked(actor, service)
    service.checked_at = timezone.now()
    service.checked_by = actor.user
    service.save(update_fields=["checked_at", "checked_by"])
    _audit(actor, service, "social map service checked", {"checked_at": service.checked_at.isoformat()})
    return service


@atomic_service
def capacity_set(
    *, actor: Actor, service: Service, available: Any, maximum: Any = None, waiting: Any = None, unit: Any = ""
) -> ServiceCapacity:
    """Set how much room a service has now: ``available`` of ``maximum`` (places, by default), and how many people
    wait. A service has one capacity row here (an import may bring more; this changes the first)."""
    available = _count(available, "available", required=True)
    maximum = _count(maximum, "maximum", required=False)
    waiting = _count(waiting, "waiting", required=False)
    if maximum is not None and available > maximum:
        raise ValidationError({"available": _("Free places cannot be more than the maximum.")}, code="above_maximum")
    unit = clean_text(unit or _("places"), field="unit", max_length=100)
    service = _locked(actor, service)
    now = timezone.now()
    capacity = ServiceCapacity.objects.filter(service=service).order_by("id").first()
    values = {"available": available, "maximum": maximum, "waiting": waiting, "unit": unit, "updated": now}
    if capacity is None:
        capacity = ServiceCapacity.objects.create(service=service, **values)
    else:
        for name, value in values.items():
            setattr(capacity, name, value)
        capacity.save(update_fields=list(values))
    service.checked_at, service.checked_by = now, actor.user
    service.save(update_fields=["checked_at", "checked_by"])
    _audit(
        actor,
        service,
        "social map capacity set",
        {"available": available, "maximum": maximum, "waiting": waiting, "unit": unit},
    )
    return capacity
