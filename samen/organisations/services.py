"""Writes for organisations, networks and memberships. The only writers; each one audited.

Every function is keyword-only, runs in one transaction, asks the policy first and writes its
audit entry together with the change.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from samen.core import audit, policy
from samen.core.actor import Actor
from samen.core.models import AuditAction, AuditPurpose
from samen.core.transactions import atomic_service
from samen.organisations.models import (
    CaseEvent,
    CaseEventKind,
    Membership,
    MembershipRole,
    Network,
    Organisation,
    OrganisationType,
)

MANAGE = "organisations.manage"


class MembershipNotAllowed(ValueError):
    """A role that the organisation's type does not allow (e.g. a client supporter at a provider)."""


@atomic_service
def organisation_create(*, actor: Actor, name: str, type: OrganisationType | str, city: str = "") -> Organisation:
    policy.require(actor, MANAGE)
    organisation = Organisation(name=name.strip(), type=type, city=city.strip())
    organisation.full_clean()
    organisation.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=organisation,
        purpose=AuditPurpose.OPERATIONS,
        changes={"name": organisation.name, "type": str(organisation.type)},
    )
    return organisation


@atomic_service
def organisation_update(
    *, actor: Actor, organisation: Organisation, name: str, type: OrganisationType | str, city: str, is_active: bool
) -> Organisation:
    policy.require(actor, MANAGE)
    before = {
        "name": organisation.name,
        "type": organisation.type,
        "city": organisation.city,
        "is_active": organisation.is_active,
    }
    organisation.name, organisation.type, organisation.city, organisation.is_active = (
        name.strip(),
        type,
        city.strip(),
        is_active,
    )
    organisation.full_clean()
    organisation.save(update_fields=["name", "type", "city", "is_active"])
    after = {
        "name": organisation.name,
        "type": str(organisation.type),
        "city": organisation.city,
        "is_active": organisation.is_active,
    }
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    audit.record(
        actor=actor, action=AuditAction.UPDATE, obj=organisation, purpose=AuditPurpose.OPERATIONS, changes=changes
    )
    return organisation


def _check_role_fits_organisation(role: str, organisation: Organisation) -> None:
    if role == MembershipRole.CLIENT_SUPPORTER and not organisation.is_independent:
        raise MembershipNotAllowed("An independent client supporter must belong to a client support organisation.")
    if role in {MembershipRole.POLICY_ADVISOR} and organisation.type != OrganisationType.MUNICIPALITY:
        raise MembershipNotAllowed("A policy advisor works for the municipality.")


@atomic_service
def membership_create(
    *, actor: Actor, user, organisation: Organisation, role: MembershipRole | str, job_title: str = ""
) -> Membership:
    policy.require(actor, MANAGE)
    _check_role_fits_organisation(str(role), organisation)
    membership = Membership.objects.create(user=user, organisation=organisation, role=role, job_title=job_title)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=membership,
        purpose=AuditPurpose.OPERATIONS,
        changes={"user": user.pk, "organisation": organisation.pk, "role": str(role)},
    )
    return membership


@atomic_service
def membership_end(*, actor: Actor, membership: Membership) -> Membership:
    policy.require(actor, MANAGE)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=membership,
        purpose=AuditPurpose.OPERATIONS,
        changes={"is_active": [True, False]},
    )
    return membership


@atomic_service
def network_create(
    *, actor: Actor, name: str, organisations: list[Organisation], facilitators: list, description: str = ""
) -> Network:
    policy.require(actor, MANAGE)
    network = Network(name=name.strip(), description=description.strip())
    network.full_clean()
    network.save()
    network.organisations.set(organisations)
    network.facilitators.set(facilitators)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=network,
        purpose=AuditPurpose.OPERATIONS,
        changes={
            "organisations": sorted(o.pk for o in organisations),
            "facilitators": sorted(u.pk for u in facilitators),
        },
    )
    return network


def networks_of(organisation_ids: Iterable[int]) -> list[Network]:
    """The networks that hold every one of ``organisation_ids`` (one query), by name."""
    ids = sorted({int(pk) for pk in organisation_ids})
    if not ids:
        return []
    networks = Network.objects.all()
    for pk in ids:
        networks = networks.filter(organisations=pk)
    return list(networks.distinct().order_by("name"))


@atomic_service
def case_event_record(
    *,
    actor: Actor,
    kind: CaseEventKind | str,
    organisation_ids: Iterable[int],
    occurred_on: datetime.date,
    signal_kind: str = "",
    hours: int | None = None,
) -> list[CaseEvent]:
    """Record a case event for the networks the organisations share: one row per pair of organisations (one row
    for a single organisation), in every network that holds the pair. Nothing about the household goes in.
    Called by the service that saw it happen (a signal, a referral, a handover), in its transaction; that service
    already decided the actor may do what happened. Audited without a household."""
    kind = CaseEventKind(kind)
    ids = sorted({int(pk) for pk in organisation_ids})
    pairs: list[tuple[int, int | None]] = (
        [(a, b) for index, a in enumerate(ids) for b in ids[index + 1 :]]
        if len(ids) > 1
        else [(pk, None) for pk in ids]
    )
    hours = None if hours is None else max(int(hours), 0)
    created: list[CaseEvent] = []
    for a, b in pairs:
        for network in networks_of([a] if b is None else [a, b]):
            created.append(
                CaseEvent(
                    network=network,
                    kind=kind,
                    organisation_a_id=a,
                    organisation_b_id=b,
                    signal_kind=signal_kind,
                    occurred_on=occurred_on,
                    hours=hours,
                )
            )
    CaseEvent.objects.bulk_create(created)
    for event in created:
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=event,
            purpose=AuditPurpose.OPERATIONS,
            description=f"case event ({kind.value})",
        )
    return created
