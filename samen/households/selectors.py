"""Reads about households and their members.

Reading household data is logged (NEN 7513): ``read_member_rows`` writes the audit entry
itself, so every caller logs the read. Rows carry only what the page needs; never the BSN.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext

from samen.core import audit
from samen.core.actor import Actor
from samen.core.models import AuditAction, AuditPurpose
from samen.households import tokens
from samen.households.models import (
    CoordinatorHandover,
    Household,
    HouseholdMember,
    Invitation,
    Representative,
    TeamMember,
    TeamRole,
)
from samen.organisations.models import Membership, MembershipRole, Network, Organisation, OrganisationType

# Households by size: 1, 2, 3, 4, 5 members, and the last class for "6 or more".
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6)
LARGEST_HOUSEHOLD_SIZE = HOUSEHOLD_SIZES[-1]

# The member fields a household overview needs (the BSN is never loaded for it).
_OVERVIEW_FIELDS = ("id", "household_id", "given_name", "relation", "date_of_birth", "user_id")


@dataclass(frozen=True)
class MemberRow:
    first_name: str
    relation: str
    age: int | None
    is_self: bool


def age_in_years(date_of_birth: datetime.date | None, today: datetime.date) -> int | None:
    if date_of_birth is None:
        return None
    had_birthday = (today.month, today.day) >= (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - (0 if had_birthday else 1)


def household_of(user) -> Household | None:
    """The household ``user`` is a member of, with its members prefetched (two queries), or None."""
    if user is None or not user.is_authenticated:
        return None
    members = HouseholdMember.objects.only(*_OVERVIEW_FIELDS).order_by("date_of_birth", "pk")
    return Household.objects.filter(members__user=user).prefetch_related(Prefetch("members", queryset=members)).first()


def read_member_rows(*, actor: Actor, household: Household, today: datetime.date | None = None) -> list[MemberRow]:
    """The members of ``household`` as display rows; writes one audit entry for the read.

    Call only after the policy allowed ``households.view_household`` for this actor.
    """
    today = today or timezone.localdate()
    rows = [
        MemberRow(
            first_name=member.given_name,
            relation=member.relation_label,
            age=age_in_years(member.date_of_birth, today),
            is_self=actor.user_id is not None and member.user_id == actor.user_id,
        )
        for member in household.members.all()
    ]
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        obj=household,
        household_id=household.pk,
        data_category="general",
        purpose=AuditPurpose.CITIZEN,
        description="household overview",
    )
    return rows


def household_figures() -> dict[str, int]:
    """How many households and household members there are (one query). Raw counts."""
    return Household.objects.aggregate(households=Count("pk", distinct=True), members=Count("members"))


@dataclass(frozen=True)
class HouseholdSizeFigures:
    households: dict[int, int]  # size class (1..6, 6 = "6 or more") -> households of that size
    members: int  # the members of all these households


def household_size_figures() -> HouseholdSizeFigures:
    """How many households have 1, 2, 3, 4, 5, 6 or more members, and how many members they have (one query).

    Raw counts: whoever shows them suppresses small ones first (``samen.core.anonymity``). Households
    without members have no size and are left out. Each household's size is a correlated count over the
    indexed ``household_id``, so the query is one statement whatever the number of households. (Grouping
    on ``annotate(size=Count("members"))`` directly does not work: Django folds both counts into one
    level and returns a single row.)
    """
    size = Coalesce(
        Subquery(
            HouseholdMember.objects.filter(household=OuterRef("pk"))
            .order_by()
            .values("household")
            .annotate(count=Count("pk"))
            .values("count"),
            output_field=IntegerField(),
        ),
        0,
    )
    rows = (
        Household.objects.order_by()
        .annotate(size_class=Least(size, Value(LARGEST_HOUSEHOLD_SIZE)))
        .values("size_class")
        .annotate(households=Count("pk"), members=Sum(size))
    )
    households = dict.fromkeys(HOUSEHOLD_SIZES, 0)
    members = 0
    for row in rows:
        if row["size_class"] > 0:
            households[row["size_class"]] = row["households"]
            members += row["members"]
    return HouseholdSizeFigures(households=households, members=members)


# --- the team around a household ---------------------------------------------------------------

# "Wie helpt mee": the coordinator first, then the professionals, the independent supporter, the informal network.
_TEAM_ROLE_ORDER = Case(
    When(role=TeamRole.PROFESSIONAL, then=Value(0)),
    When(role=TeamRole.SUPPORTER, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def active_team(household: Household | int) -> QuerySet[TeamMember]:
    """The people in the team now (left members excluded), in "Wie helpt mee" order."""
    return TeamMember.objects.filter(household=household, left_at__isnull=True).order_by(
        "-is_coordinator", _TEAM_ROLE_ORDER, "joined_at", "pk"
    )


def active_coordinator(household: Household | int) -> TeamMember | None:
    """The household's active coordinator with person and organisation loaded, or None (one query)."""
    return (
        TeamMember.objects.filter(household=household, is_coordinator=True, left_at__isnull=True)
        .select_related("user", "organisation")
        .first()
    )


@dataclass(frozen=True)
class TeamRow:
    member_id: int
    user_id: int
    name: str
    role: str  # the code, a ``TeamRole`` value
    role_label: str
    organisation: str  # empty for the informal network
    organisation_type: str  # the translated type, empty for the informal network
    job_title: str  # from the person's membership of that organisation
    description: str  # what they do for this household
    is_coordinator: bool
    is_independent: bool  # the independent client supporter: shown as "onafhankelijk"
    joined_at: datetime.datetime

    @property
    def meta_line(self) -> str:
        """Where they work and as what, in one line: "Wijkteam Noord (wijkteam) · Gezinscoach · independent"."""
        parts = []
        if self.organisation:
            kind = f" ({self.organisation_type})" if self.organisation_type else ""
            parts.append(f"{self.organisation}{kind}")
        if self.job_title:
            parts.append(self.job_title)
        if self.is_independent:
            parts.append(gettext("independent"))
        return " · ".join(parts)

    @property
    def description_line(self) -> str:
        if not self.description:
            return ""
        return gettext("What they do: %(description)s") % {"description": self.description}


def team_rows(household: Household | int) -> list[TeamRow]:
    """The team of a household for "Wie helpt mee": one query, whatever the size of the team.

    Only what the page shows (no e-mail addresses). Access is decided before calling this, and the
    calling view writes the access-log entry.
    """
    job_title = (
        Membership.objects.filter(user=OuterRef("user_id"), organisation=OuterRef("organisation_id"), is_active=True)
        .order_by("created_at", "pk")
        .values("job_title")[:1]
    )
    members = (
        active_team(household)
        .select_related("user", "organisation")
        .only(
            "id",
            "user_id",
            "role",
            "description",
            "is_coordinator",
            "joined_at",
            "user__full_name",
            "user__email",
            "organisation__name",
            "organisation__type",
        )
        .annotate(job_title=Coalesce(Subquery(job_title), Value("")))
    )
    return [
        TeamRow(
            member_id=member.pk,
            user_id=member.user_id,
            name=member.user.get_full_name(),
            role=member.role,
            role_label=TeamRole(member.role).label,
            organisation=member.organisation.name if member.organisation else "",
            organisation_type=member.organisation.type_label if member.organisation else "",
            job_title=member.job_title,
            description=member.description,
            is_coordinator=member.is_coordinator,
            is_independent=member.organisation is not None and member.organisation.is_independent,
            joined_at=member.joined_at,
        )
        for member in members
    ]


@dataclass(frozen=True)
class HandoverRow:
    occurred_at: datetime.datetime
    from_name: str  # empty for the first coordinator
    from_organisation: str
    to_name: str
    to_organisation: str
    reason: str


def handover_history(household: Household | int) -> list[HandoverRow]:
    """Every coordinator change of a household, newest first (one query)."""
    handovers = (
        CoordinatorHandover.objects.filter(household=household)
        .select_related("from_member__user", "from_member__organisation", "to_member__user", "to_member__organisation")
        .order_by("-occurred_at", "-pk")
    )
    rows = []
    for handover in handovers:
        previous = handover.from_member
        rows.append(
            HandoverRow(
                occurred_at=handover.occurred_at,
                from_name=previous.user.get_full_name() if previous else "",
                from_organisation=previous.organisation.name if previous and previous.organisation else "",
                to_name=handover.to_member.user.get_full_name(),
                to_organisation=handover.to_member.organisation.name,
                reason=handover.reason,
            )
        )
    return rows


def open_invitations(household: Household | int, *, now: datetime.datetime | None = None) -> QuerySet[Invitation]:
    """Invitations of a household that can still be accepted, newest first."""
    now = now or timezone.now()
    return Invitation.objects.filter(
        household=household, accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now
    ).order_by("-created_at", "-pk")


def active_representations(*, now: datetime.datetime | None = None) -> QuerySet[Representative]:
    """Representations in force at ``now``: started, not past their end date, not ended."""
    now = now or timezone.now()
    return Representative.objects.filter(ended_at__isnull=True, valid_from__lte=now).exclude(valid_until__lte=now)


def invitation_of(household: Household, invitation_id: int) -> Invitation | None:
    """One invitation of ``household`` (an id of another household's invitation finds nothing)."""
    return Invitation.objects.filter(pk=invitation_id, household=household).first()


# --- building the team: the coordinator's forms ------------------------------------------------------

# The membership roles in which someone works in a team as a professional (``services.team_add_professional``).
PROFESSIONAL_MEMBERSHIP_ROLES = (MembershipRole.PROFESSIONAL, MembershipRole.COORDINATOR)


def organisations_to_add_from(organisation: Organisation | None, *, whole_network: bool) -> QuerySet[Organisation]:
    """The organisations whose professionals may be put in a team by someone of ``organisation``: their own
    organisation and, with ``whole_network``, every active organisation in a network it belongs to. Never an
    organisation for independent client support (that supporter joins only by the citizen's delegation)."""
    if organisation is None:
        return Organisation.objects.none()
    same_network = Q(pk=organisation.pk)
    if whole_network:
        networks = Network.objects.filter(organisations=organisation).values("pk")
        same_network |= Q(networks__in=networks)
    return (
        Organisation.objects.filter(same_network, is_active=True)
        .exclude(type=OrganisationType.CLIENT_SUPPORT)
        .distinct()
        .order_by("name", "pk")
    )


def professional_at(organisation: Organisation, email: str):
    """The active person working as a professional at ``organisation`` with this e-mail address, or None."""
    memberships = Membership.objects.filter(
        organisation=organisation,
        organisation__is_active=True,
        role__in=PROFESSIONAL_MEMBERSHIP_ROLES,
        is_active=True,
        user__is_active=True,
        user__email__iexact=email,
    ).select_related("user")
    membership = memberships.first()
    return membership.user if membership is not None else None


def handover_candidates(household: Household | int, *, organisation_id: int | None = None) -> QuerySet[TeamMember]:
    """The active professionals of the team who may become the coordinator (not the coordinator now), who still
    work for their organisation in the team, with person and organisation (one query). ``organisation_id``
    limits them to one organisation (the first coordinator comes from the organisation that starts the team)."""
    still_works_there = Membership.objects.filter(
        user=OuterRef("user_id"),
        organisation=OuterRef("organisation_id"),
        role__in=PROFESSIONAL_MEMBERSHIP_ROLES,
        is_active=True,
    )
    candidates = (
        active_team(household)
        .filter(
            Exists(still_works_there),
            role=TeamRole.PROFESSIONAL,
            is_coordinator=False,
            user__is_active=True,
            organisation__is_active=True,
        )
        .select_related("user", "organisation")
    )
    if organisation_id is not None:
        candidates = candidates.filter(organisation_id=organisation_id)
    return candidates


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation behind a link's token (whatever its state), with household and inviter, or None.

    Only the token's hash is looked up; the caller never logs the token."""
    if not isinstance(token, str) or not 0 < len(token) <= 200:
        return None
    return (
        Invitation.objects.filter(token_hash=tokens.hash_token(token)).select_related("household", "invited_by").first()
    )


def is_member_of(household: Household | int, user) -> bool:
    """``user`` is a member of ``household`` (has their account linked to one of its members)."""
    return user is not None and HouseholdMember.objects.filter(household=household, user=user).exists()


def is_in_team(household: Household | int, user) -> bool:
    """``user`` has an active place in ``household``'s team."""
    return user is not None and TeamMember.objects.filter(household=household, user=user, left_at__isnull=True).exists()


def client_support_organisations() -> QuerySet[Organisation]:
    """The active organisations for independent client support, from which the citizen brings in a supporter."""
    return Organisation.objects.filter(type=OrganisationType.CLIENT_SUPPORT, is_active=True).order_by("name", "pk")


def client_supporter_at(organisation: Organisation, email: str):
    """The active person working as a client supporter at ``organisation`` with this e-mail address, or None."""
    membership = (
        Membership.objects.filter(
            organisation=organisation,
            organisation__is_active=True,
            role=MembershipRole.CLIENT_SUPPORTER,
            is_active=True,
            user__is_active=True,
            user__email__iexact=email,
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership is not None else None
