"""Who may see and do what about households and their teams (rules for ``samen.core.policy``). Deny by default.

Professionals get access to a household's content only through the citizen's consent, which lives in
``samen.consent``. The rules here are about the household itself and its team: who registers a household
or a representative, who manages the team (the coordinator), who adds an independent supporter or invites
someone (the citizen, "by the citizen's delegation"), who hands the coordination over.

Rules that need the database (the coordinator, a representation) run one small query each; the
services call them after locking the household, so they decide on the current state.
"""

from __future__ import annotations

from samen.core.actor import Actor, Role
from samen.core.policy import rule
from samen.households.models import Household, HouseholdMember, TeamMember, TeamRole
from samen.households.selectors import active_coordinator, active_representations, organisations_to_add_from
from samen.organisations.models import Membership, OrganisationType

# The roles in which a professional works in a household's team for their organisation.
TEAM_WORK_ROLES = frozenset({Role.PROFESSIONAL, Role.COORDINATOR})
# The organisations whose professionals may start a team and become its first coordinator.
FIRST_COORDINATOR_TYPES = frozenset({OrganisationType.NEIGHBOURHOOD_TEAM, OrganisationType.MUNICIPALITY})


@rule("households.view_household")
def view_household(actor: Actor, household: Household | None) -> bool:
    """A citizen sees their own household: the one they are a member of.

    Uses the prefetched ``members`` when the household comes from ``selectors.household_of``.
    """
    if actor.role != Role.CITIZEN or actor.user_id is None or household is None:
        return False
    return any(member.user_id == actor.user_id for member in household.members.all())


@rule("households.view_aggregate_figures")
def view_aggregate_figures(actor: Actor, obj=None) -> bool:
    """The policy advisor sees anonymous counts of households and members (k-anonymous where shown)."""
    return actor.role == Role.POLICY_ADVISOR and actor.user is not None


# --- helpers -------------------------------------------------------------------------------------


def is_citizen_of(actor: Actor, household: Household | None) -> bool:
    """The actor acts as a citizen and is a member (with an account) of ``household``."""
    if household is None or actor.role != Role.CITIZEN or actor.user_id is None:
        return False
    return HouseholdMember.objects.filter(household=household, user_id=actor.user_id).exists()


def represents_someone_in(actor: Actor, household: Household | None) -> bool:
    """The actor acts as a citizen and has a representation in force for a member of ``household`` (a
    representation counts only for someone acting as a citizen, as in ``samen.consent.policies``)."""
    if household is None or actor.role != Role.CITIZEN or actor.user_id is None or not actor.is_authenticated:
        return False
    return active_representations().filter(member__household=household, user_id=actor.user_id).exists()


def is_active_coordinator(actor: Actor, coordinator: TeamMember | None) -> bool:
    """The actor is ``coordinator`` (the same person acting for the same organisation)."""
    return (
        coordinator is not None
        and actor.role in TEAM_WORK_ROLES
        and actor.user_id is not None
        and actor.user_id == coordinator.user_id
        and actor.organisation_id == coordinator.organisation_id
    )


def coordinator_is_gone(coordinator: TeamMember) -> bool:
    """The coordinator can no longer act: their account is blocked or they no longer work for the organisation."""
    if not coordinator.user.is_active:
        return True
    return not Membership.objects.filter(
        user_id=coordinator.user_id,
        organisation_id=coordinator.organisation_id,
        organisation__is_active=True,
        is_active=True,
    ).exists()


# --- the household and its team ------------------------------------------------------------------


@rule("households.create")
def create(actor: Actor, obj=None) -> bool:
    """Registering a household with its members: the system (setup, imports) and the functional administrator."""
    return actor.role == Role.SYSTEM or (actor.role == Role.FUNCTIONAL_ADMIN and actor.user is not None)


def may_act_as_first_coordinator(actor: Actor) -> bool:
    """A professional of a neighbourhood team or the municipality (who start a household's team)."""
    return (
        actor.role in TEAM_WORK_ROLES
        and actor.user_id is not None
        and actor.organisation is not None
        and actor.organisation.type in FIRST_COORDINATOR_TYPES
    )


@rule("households.start_team")
def start_team(actor: Actor, household: Household | None) -> bool:
    """While a household has no coordinator, a professional of a neighbourhood team or the municipality
    may put professionals of their own organisation in the team and make one of them the first coordinator."""
    return household is not None and may_act_as_first_coordinator(actor) and active_coordinator(household) is None


@rule("households.manage_team")
def manage_team(actor: Actor, household: Household | None) -> bool:
    """Adding professionals to the team and removing them: the household's active coordinator only."""
    if household is None or actor.role not in TEAM_WORK_ROLES:
        return False
    return is_active_coordinator(actor, active_coordinator(household))


@rule("households.add_professional")
def add_professional(actor: Actor, candidate: TeamMember | None) -> bool:
    """Putting ``candidate`` (an unsaved team member: household, person, organisation) in the team: the
    coordinator, for their own organisation or an active one in a network it belongs to; or, while there is no
    coordinator, a first-coordinator professional for their own organisation."""
    if candidate is None:
        return False
    if manage_team(actor, candidate.household):
        reachable = organisations_to_add_from(actor.organisation, whole_network=True)
        return reachable.filter(pk=candidate.organisation_id).exists()
    return start_team(actor, candidate.household) and candidate.organisation_id == actor.organisation_id


@rule("households.build_team")
def build_team(actor: Actor, household: Household | None) -> bool:
    """Opening the form that puts a professional in the team: the coordinator (any organisation of their
    networks); or, while there is no coordinator, a first-coordinator professional (their own organisation).
    ``households.add_professional`` then decides about the person chosen."""
    return manage_team(actor, household) or start_team(actor, household)


@rule("households.change_coordinator")
def change_coordinator(actor: Actor, household: Household | None) -> bool:
    """Opening the form that changes the coordinator: a handover (``households.hand_over``), or, while there is
    none, choosing the first coordinator (``households.start_team``)."""
    return hand_over(actor, household) or start_team(actor, household)


@rule("households.assign_first_coordinator")
def assign_first_coordinator(actor: Actor, member: TeamMember | None) -> bool:
    """Making ``member`` the first coordinator: a first-coordinator professional of the member's organisation.
    (The service refuses when the household already has a coordinator: then it is a handover.)"""
    if member is None or not may_act_as_first_coordinator(actor):
        return False
    return member.organisation_id == actor.organisation_id


@rule("households.delegate")
def delegate(actor: Actor, household: Household | None) -> bool:
    """Adding an independent client supporter and inviting the informal network: the citizen member of the
    household with an account, or a representative in force for one of its members."""
    return is_citizen_of(actor, household) or represents_someone_in(actor, household)


@rule("households.view_team")
def view_team(actor: Actor, household: Household | None) -> bool:
    """ "Wie helpt mee" (the team, the handovers): the household's citizens and active representatives, and
    everyone in its team now, acting in the role and for the organisation of their place in the team.

    Only asked after ``samen.consent.policies.household_for``, which already limits who sees the household
    at all (a professional needs their organisation's consent); a break-the-glass access outside the team
    does not show the team."""
    if household is None or actor.user_id is None or not actor.is_authenticated:
        return False
    if delegate(actor, household):
        return True
    places = TeamMember.objects.filter(household=household, user_id=actor.user_id, left_at__isnull=True)
    if actor.role == Role.CITIZEN:
        places = places.filter(role=TeamRole.INFORMAL)
    elif actor.organisation_id is None:
        return False
    elif actor.role == Role.CLIENT_SUPPORTER:
        places = places.filter(role=TeamRole.SUPPORTER, organisation_id=actor.organisation_id)
    elif actor.role in TEAM_WORK_ROLES:
        places = places.filter(role=TeamRole.PROFESSIONAL, organisation_id=actor.organisation_id)
    else:
        return False
    return places.exists()


@rule("households.hand_over")
def hand_over(actor: Actor, household: Household | None) -> bool:
    """Handing the coordination over: the active coordinator; or, when that coordinator is gone (account
    blocked, no longer with the organisation), a coordinator of the same organisation."""
    if household is None or actor.role not in TEAM_WORK_ROLES or actor.user_id is None:
        return False
    coordinator = active_coordinator(household)
    if coordinator is None:
        return False
    if is_active_coordinator(actor, coordinator):
        return True
    return (
        actor.role == Role.COORDINATOR
        and actor.organisation_id == coordinator.organisation_id
        and coordinator_is_gone(coordinator)
    )


@rule("households.remove_team_member")
def remove_team_member(actor: Actor, member: TeamMember | None) -> bool:
    """Ending someone's place in the team. Anyone may leave themselves. The coordinator removes
    professionals; the citizen (or representative) removes the people they brought in: the informal
    network and the independent supporter (the coordinator cannot remove the citizen's own supporter)."""
    if member is None or actor.user_id is None or not actor.is_authenticated:
        return False
    for_the_same_organisation = member.organisation_id is None or actor.organisation_id == member.organisation_id
    if actor.user_id == member.user_id and for_the_same_organisation:
        return True
    if member.role == TeamRole.PROFESSIONAL:
        return manage_team(actor, member.household)
    return delegate(actor, member.household)


@rule("households.register_representative")
def register_representative(actor: Actor, obj=None) -> bool:
    """Registering and ending a representation: the functional administrator or the system, on evidence
    (a court decision, a power of attorney); never the citizen or a professional on their own word."""
    return actor.role == Role.SYSTEM or (actor.role == Role.FUNCTIONAL_ADMIN and actor.user is not None)
