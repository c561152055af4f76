"""Reads about a household's consent: the matrix, the history, open requests, break-the-glass accesses.

Each read is a fixed number of queries, whatever the size of the team or the history. Selectors do not
decide access: call them only after the policy allowed ``consent.view`` for the household. They do not
write the access log either; the page that shows them writes its one access entry.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from samen.consent.models import BreakTheGlass, ConsentGrant, ConsentRequest, ConsentRequestStatus, DataCategory
from samen.consent.policies import (
    PROFESSIONAL_ROLES,
    _personal_grants,
    _professional_places,
    active_grant_q,
    break_the_glass_of,
)
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditEntry, AuditOutcome
from samen.households.models import Household, TeamMember, TeamRole
from samen.organisations.models import Organisation

# The ``object_type`` of the audit entry each BSN lookup on the emergency access form writes (counted for
# the limit on lookups; the entry never holds the BSN).
EMERGENCY_LOOKUP = "consent.emergency_lookup"

CATEGORIES: tuple[DataCategory, ...] = tuple(DataCategory)


class CellState(enum.Enum):
    NONE = "none"  # no open grant
    ACTIVE = "active"
    SCHEDULED = "scheduled"  # open, starts later
    EXPIRED = "expired"  # open, but its end date has passed


@dataclass(frozen=True)
class MatrixCell:
    category: DataCategory
    grant: ConsentGrant | None  # the open (unrevoked) grant, or None
    state: CellState

    @property
    def is_active(self) -> bool:
        return self.state is CellState.ACTIVE


def _state(grant: ConsentGrant | None, now: datetime.datetime) -> CellState:
    if grant is None:
        return CellState.NONE
    if grant.valid_until is not None and grant.valid_until <= now:
        return CellState.EXPIRED
    if grant.valid_from > now:
        return CellState.SCHEDULED
    return CellState.ACTIVE


@dataclass(frozen=True)
class MatrixRow:
    """One receiver: an organisation (``organisation``) or one person in the team (``team_member``)."""

    cells: tuple[MatrixCell, ...]
    organisation: Organisation | None = None
    team_member: TeamMember | None = None
    # False for a receiver that left the team but still holds an open grant (shown, so it can be revoked).
    in_team: bool = True

    @property
    def is_independent(self) -> bool:
        """An independent client supporter, or an independent client support organisation."""
        if self.team_member is not None:
            return self.team_member.role == TeamRole.SUPPORTER
        return self.organisation is not None and self.organisation.is_independent

    @property
    def granted_categories(self) -> frozenset[DataCategory]:
        return frozenset(cell.category for cell in self.cells if cell.is_active)


@dataclass(frozen=True)
class ConsentMatrix:
    categories: tuple[DataCategory, ...]
    organisations: list[MatrixRow]
    people: list[MatrixRow]


def _cells(grants: dict[str, ConsentGrant], now: datetime.datetime) -> tuple[MatrixCell, ...]:
    cells = []
    for category in CATEGORIES:
        grant = grants.get(category)
        cells.append(MatrixCell(category, grant, _state(grant, now)))
    return tuple(cells)


def consent_matrix(household: Household, *, now: datetime.datetime | None = None) -> ConsentMatrix:
    """Organisations in the team × categories, and the informal members and supporter × categories, each cell
    with its open grant or None (two queries).

    Organisations come from the active professionals in the team; a receiver that left the team but still
    holds an open grant is listed too (``in_team=False``), so the household can revoke it.
    """
    now = now or timezone.now()
    team = list(
        TeamMember.objects.filter(household=household, left_at__isnull=True)
        .select_related("user", "organisation")
        .order_by("joined_at", "pk")
    )
    open_grants = list(
        ConsentGrant.objects.filter(household=household, revoked_at__isnull=True)
        .select_related("organisation", "team_member__user", "team_member__organisation")
        .order_by("pk")
    )
    by_organisation: dict[int, dict[str, ConsentGrant]] = {}
    by_person: dict[int, dict[str, ConsentGrant]] = {}
    organisations: dict[int, Organisation] = {}
    people: dict[int, TeamMember] = {}
    for grant in open_grants:
        if grant.organisation_id is not None:
            by_organisation.setdefault(grant.organisation_id, {})[grant.category] = grant
            organisations.setdefault(grant.organisation_id, grant.organisation)
        else:
            by_person.setdefault(grant.team_member_id, {})[grant.category] = grant
            people.setdefault(grant.team_member_id, grant.team_member)
    organisations_in_team = {
        member.organisation_id: member.organisation for member in team if member.role == TeamRole.PROFESSIONAL
    }
    people_in_team = {member.pk: member for member in team if member.role != TeamRole.PROFESSIONAL}
    organisations = {**organisations, **organisations_in_team}
    people = {**people, **people_in_team}

    organisation_rows = [
        MatrixRow(
            cells=_cells(by_organisation.get(pk, {}), now),
            organisation=organisation,
            in_team=pk in organisations_in_team,
        )
        for pk, organisation in sorted(organisations.items(), key=lambda item: (item[1].name.casefold(), item[0]))
    ]
    person_rows = [
        MatrixRow(cells=_cells(by_person.get(pk, {}), now), team_member=member, in_team=pk in people_in_team)
        for pk, member in sorted(people.items(), key=lambda item: (item[1].joined_at, item[0]))
    ]
    return ConsentMatrix(categories=CATEGORIES, organisations=organisation_rows, people=person_rows)


def consent_history(household: Household) -> QuerySet[ConsentGrant]:
    """Every grant the household ever gave, revoked ones included, newest first (one query).

    Each grant carries ``was_renewed``: it was revoked because a newer grant replaced it (not withdrawn).
    """
    return (
        ConsentGrant.objects.filter(household=household)
        .select_related("organisation", "team_member__user", "granted_by", "revoked_by")
        .annotate(was_renewed=Exists(ConsentGrant.objects.filter(replaces=OuterRef("pk"))))
        .order_by("-granted_at", "-pk")
    )


def open_requests(household: Household) -> QuerySet[ConsentRequest]:
    """The requests waiting for the household's answer, oldest first (one query)."""
    return (
        ConsentRequest.objects.filter(household=household, status=ConsentRequestStatus.OPEN)
        .select_related("organisation", "team_member__user", "requested_by")
        .order_by("requested_at", "pk")
    )


def break_the_glass_history(household: Household) -> QuerySet[BreakTheGlass]:
    """Every access without consent to the household, newest first, for the household and its coordinator
    (one query)."""
    return (
        BreakTheGlass.objects.filter(household=household)
        .select_related("user", "organisation")
        .order_by("-started_at", "-pk")
    )


def emergency_accesses(household: Household, *, since: datetime.datetime) -> QuerySet[BreakTheGlass]:
    """The accesses without consent to the household that started since ``since``, newest first, with their
    organisation (one query). For the household and its coordinator: no employee is named."""
    return (
        BreakTheGlass.objects.filter(household=household, started_at__gte=since)
        .select_related("organisation")
        .order_by("-started_at", "-pk")
    )


def emergency_access_for(actor: Actor, household: Household | int) -> BreakTheGlass | None:
    """The actor's own active access without consent to ``household`` (the newest), or None (at most one
    query; none for someone who does not act for an organisation)."""
    return break_the_glass_of(actor, household).order_by("-started_at", "-pk").first()


def grants_in_force_for(actor: Actor, *, now: datetime.datetime | None = None) -> QuerySet[ConsentGrant]:
    """The active grants through which ``actor`` may see a household's categories now, for many households at
    once (the set-based twin of ``consented_categories`` and of ``categories_visible_to`` without break-the-glass
    access, built on the same query helpers of ``samen.consent.policies``):

    - a professional or coordinator: the grants to the organisation they act for, in households where they have
      an active place in the team for that organisation;
    - the independent client supporter: the grants to them personally, in their place in the team for the
      organisation they act for;
    - anyone else: none.

    Break-the-glass access is left out on purpose: it is for an emergency look, not for working on a plan (the
    reminders leave it out for the same reason). Filter the result on ``household_id`` and ``category`` (also with
    ``OuterRef``) to ask "may the actor see category C of household H" inside another query; no query by itself.
    """
    if actor.user_id is None or actor.organisation_id is None:
        return ConsentGrant.objects.none()
    now = now or timezone.now()
    if actor.role in PROFESSIONAL_ROLES:
        # From the actor's few places to their households' grants (an IN over the places), not from all the grants
        # of the organisation checked one by one: the organisation has grants in thousands of households.
        places = _professional_places(actor).order_by().values("household_id")
        return ConsentGrant.objects.filter(
            active_grant_q(now), organisation_id=actor.organisation_id, household_id__in=places
        )
    if actor.role == Role.CLIENT_SUPPORTER:
        return _personal_grants(
            user_id=actor.user_id, role=TeamRole.SUPPORTER, organisation_id=actor.organisation_id, now=now
        )
    return ConsentGrant.objects.none()


def granted_pairs(actor: Actor, *, now: datetime.datetime | None = None) -> frozenset[tuple[int, str]]:
    """The (household id, category) pairs of ``grants_in_force_for``: what the actor may see by consent in every
    household at once (one query). Pages that ask more than one set-based question (the work queue and the unread
    reminders on a professional's home page) read it once and pass it on."""
    return frozenset(grants_in_force_for(actor, now=now).order_by().values_list("household_id", "category"))


def household_by_bsn(bsn: str) -> Household | None:
    """The household of the member with this (valid, compact) BSN, or None (one query). Only for the
    emergency access service, which decides and logs; the BSN itself is never logged."""
    if not bsn:
        return None
    return Household.objects.filter(members__bsn=bsn).order_by().first()


def emergency_lookups_since(user_id: int, since: datetime.datetime) -> int:
    """How many BSN lookups for emergency access the user did since ``since`` (refused ones not counted)."""
    return (
        AuditEntry.objects.filter(
            user_id=user_id, action=AuditAction.SEARCH, object_type=EMERGENCY_LOOKUP, occurred_at__gte=since
        )
        .exclude(outcome=AuditOutcome.DENIED)
        .count()
    )


def own_emergency_access(actor: Actor, household: Household, access_id: int | None) -> BreakTheGlass | None:
    """One access without consent of this household that ``actor`` started for the organisation they act for
    now; None for another person's, another household's, or an unknown id."""
    if access_id is None or actor.user_id is None or actor.organisation_id is None:
        return None
    return BreakTheGlass.objects.filter(
        pk=access_id, household=household, user_id=actor.user_id, organisation_id=actor.organisation_id
    ).first()


# --- one object of a household the actor already may see (for the POST endpoints) ------------------------
# Each looks only inside ``household``: an id of another household's object finds nothing.


def organisation_by_id(organisation_id: int) -> Organisation | None:
    return Organisation.objects.filter(pk=organisation_id).first()


def team_member_of(household: Household, member_id: int) -> TeamMember | None:
    return TeamMember.objects.filter(pk=member_id, household=household).select_related("user").first()


def grant_of(household: Household, grant_id: int) -> ConsentGrant | None:
    return (
        ConsentGrant.objects.filter(pk=grant_id, household=household)
        .select_related("organisation", "team_member__user")
        .first()
    )


def consent_request_of(household: Household, request_id: int | None) -> ConsentRequest | None:
    if request_id is None:
        return None
    return (
        ConsentRequest.objects.filter(pk=request_id, household=household)
        .select_related("household", "organisation")
        .first()
    )
