"""Reads for "Mijn huishoudens": the households an actor works in, and the places still waiting for permission.

The rows come only from ``samen.consent.policies.households_visible_to`` (THE access policy); this module adds,
per household and in the same query, what the list shows about it (correlated subqueries, no N+1).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from samen.consent.models import BreakTheGlass, ConsentGrant, ConsentRequest, ConsentRequestStatus
from samen.consent.policies import (
    PROFESSIONAL_ROLES,
    active_break_the_glass_q,
    active_grant_q,
    households_visible_to,
)
from samen.core.actor import Actor, Role
from samen.households.models import Household, TeamMember, TeamRole

FILTER_COORDINATOR = "coordinator"
FILTER_EMERGENCY = "emergency"
FILTERS = (FILTER_COORDINATOR, FILTER_EMERGENCY)
WAITING_ROWS = 50


def _my_places(actor: Actor) -> QuerySet[TeamMember]:
    """The actor's active places in the team of the outer household, for the organisation they act for."""
    return TeamMember.objects.filter(
        household_id=OuterRef("pk"),
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        left_at__isnull=True,
    )


def _access_since(actor: Actor, now: datetime.datetime) -> Subquery:
    """When the actor's organisation (or the supporter, personally) got the access it has now: the start of
    its earliest active grant in the outer household."""
    grants = ConsentGrant.objects.filter(active_grant_q(now), household_id=OuterRef("pk"))
    if actor.role == Role.CLIENT_SUPPORTER:
        grants = grants.filter(
            team_member__user_id=actor.user_id,
            team_member__organisation_id=actor.organisation_id,
            team_member__role=TeamRole.SUPPORTER,
            team_member__left_at__isnull=True,
        )
    else:
        grants = grants.filter(organisation_id=actor.organisation_id)
    return Subquery(grants.order_by("valid_from").values("valid_from")[:1])


def caseload(
    actor: Actor, *, query: str = "", only: str = "", now: datetime.datetime | None = None
) -> QuerySet[Household]:
    """The households ``actor`` may see (``households_visible_to``), sorted by name, each annotated with:

    ``is_coordinator`` (the actor is its active coordinator), ``is_team_member`` (the actor has an active
    place in its team for their organisation), ``is_emergency`` (the actor is there on an active
    break-the-glass access), ``coordinator_organisation`` (the name of the coordinator's organisation, or
    None), ``team_size`` (active team members) and ``access_since`` (see ``_access_since``).

    ``query`` narrows to names containing it (case-insensitive); ``only`` is "" or one of ``FILTERS``.
    """
    now = now or timezone.now()
    places = _my_places(actor)
    coordinator = TeamMember.objects.filter(household_id=OuterRef("pk"), is_coordinator=True, left_at__isnull=True)
    team_size = (
        TeamMember.objects.filter(household_id=OuterRef("pk"), left_at__isnull=True)
        .order_by()
        .values("household_id")
        .annotate(size=Count("pk"))
        .values("size")
    )
    emergency = BreakTheGlass.objects.filter(
        active_break_the_glass_q(now),
        household_id=OuterRef("pk"),
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
    )
    households = households_visible_to(actor, now=now).annotate(
        is_coordinator=Exists(places.filter(role=TeamRole.PROFESSIONAL, is_coordinator=True)),
        is_team_member=Exists(places),
        is_emergency=Exists(emergency),
        coordinator_organisation=Subquery(coordinator.order_by().values("organisation__name")[:1]),
        team_size=Subquery(team_size),
        access_since=_access_since(actor, now),
    )
    if query:
        households = households.filter(name__icontains=query)
    if only == FILTER_COORDINATOR:
        households = households.filter(is_coordinator=True)
    elif only == FILTER_EMERGENCY:
        households = households.filter(is_emergency=True)
    return households.order_by("name", "pk")


@dataclass(frozen=True)
class WaitingPlace:
    """A team place still waiting for the household's permission: only its number and when it was asked
    (the actor may not see the household's name yet)."""

    household_id: int
    asked_at: datetime.datetime


def waiting_for_permission(
    actor: Actor, *, now: datetime.datetime | None = None, limit: int = WAITING_ROWS
) -> list[WaitingPlace]:
    """The actor's active team places (as a professional of the organisation they act for) in households
    where that organisation has no active grant yet but an open consent request. One query; at most
    ``limit`` rows, the longest waiting first."""
    if actor.user_id is None or actor.organisation_id is None or actor.role not in PROFESSIONAL_ROLES:
        return []
    now = now or timezone.now()
    organisation_grant = ConsentGrant.objects.filter(
        active_grant_q(now), household_id=OuterRef("household_id"), organisation_id=actor.organisation_id
    )
    # Driven by the organisation's open requests (few), not by the actor's team places (a whole caseload).
    rows = (
        ConsentRequest.objects.filter(
            ~Q(Exists(organisation_grant)),
            organisation_id=actor.organisation_id,
            status=ConsentRequestStatus.OPEN,
            team_member__user_id=actor.user_id,
            team_member__organisation_id=actor.organisation_id,
            team_member__role=TeamRole.PROFESSIONAL,
            team_member__left_at__isnull=True,
            team_member__household_id=F("household_id"),
        )
        .values("household_id")
        .annotate(asked_at=Min("requested_at"))
        .order_by("asked_at", "household_id")
        .values_list("household_id", "asked_at")[:limit]
    )
    return [WaitingPlace(household_id=household_id, asked_at=asked_at) for household_id, asked_at in rows]
