"""The household and team rules, as a table: who may, and especially who may not."""

import datetime

import pytest
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.core.actor import ANONYMOUS, SYSTEM
from samen.core.policy import can, registered_permissions
from samen.households.models import TeamMember
from samen.households.tests.factories import CitizenFactory, HouseholdFactory, RepresentativeFactory, TeamMemberFactory
from samen.organisations.actors import actor_for_user
from samen.organisations.models import Membership, OrganisationType
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

RULES = [
    "households.create",
    "households.start_team",
    "households.manage_team",
    "households.add_professional",
    "households.assign_first_coordinator",
    "households.delegate",
    "households.hand_over",
    "households.remove_team_member",
    "households.register_representative",
    "households.build_team",
    "households.change_coordinator",
]


def test_the_rules_are_registered():
    assert set(RULES) <= set(registered_permissions())


@pytest.fixture
def people(team):
    """One actor per kind of person around ``team.household``."""
    informal = TeamMemberFactory(informal=True, household=team.household)
    supporter = TeamMemberFactory(supporter=True, household=team.household)
    return {
        "citizen": actor_for_user(team.citizen.user),
        "representative": actor_for_user(RepresentativeFactory(member=team.citizen).user),
        "expired representative": actor_for_user(RepresentativeFactory(member=team.citizen, expired=True).user),
        "ended representative": actor_for_user(RepresentativeFactory(member=team.citizen, ended=True).user),
        "coordinator": actor_for_user(team.coordinator.user),
        "professional in the team": actor_for_user(team.professional.user),
        "colleague of the coordinator": actor_for_user(
            MembershipFactory(organisation=team.wijkteam, coordinator=True).user
        ),
        "professional of another organisation": actor_for_user(MembershipFactory().user),
        "coordinator of another household": actor_for_user(TeamMemberFactory(coordinator=True).user),
        "citizen of another household": actor_for_user(CitizenFactory().user),
        "informal member": actor_for_user(informal.user),
        "supporter": actor_for_user(supporter.user),
        "facilitator": actor_for_user(MembershipFactory(facilitator=True).user),
        "policy advisor": actor_for_user(MembershipFactory(policy_advisor=True).user),
        "functional administrator": actor_for_user(MembershipFactory(functional_admin=True).user),
        "anonymous": ANONYMOUS,
        "system": SYSTEM,
    }


# permission -> the people allowed (everyone else in ``people`` is refused), on ``team.household``.
ALLOWED_ON_THE_HOUSEHOLD = {
    "households.manage_team": {"coordinator"},
    "households.delegate": {"citizen", "representative"},
    "households.hand_over": {"coordinator"},
    "households.build_team": {"coordinator"},
    "households.change_coordinator": {"coordinator"},
    "households.start_team": set(),  # the household has a coordinator
    "households.create": {"functional administrator", "system"},
    "households.register_representative": {"functional administrator", "system"},
}


@pytest.mark.parametrize("permission", sorted(ALLOWED_ON_THE_HOUSEHOLD))
def test_who_may_act_on_the_household(team, people, permission):
    allowed = {who for who, actor in people.items() if can(actor, permission, team.household)}
    assert allowed == ALLOWED_ON_THE_HOUSEHOLD[permission]


def test_nothing_is_allowed_on_no_household(people):
    for permission in (
        "households.manage_team",
        "households.delegate",
        "households.hand_over",
        "households.start_team",
        "households.build_team",
        "households.change_coordinator",
    ):
        assert not any(can(actor, permission, None) for actor in people.values()), permission


def test_the_coordinator_acting_for_another_of_their_organisations_is_not_the_coordinator(team):
    second = MembershipFactory(user=team.coordinator.user, organisation=OrganisationFactory(municipality=True))
    actor = actor_for_user(team.coordinator.user, membership_id=second.pk)
    assert not can(actor, "households.manage_team", team.household)
    assert not can(actor, "households.hand_over", team.household)


def test_a_representative_not_yet_in_force_or_of_another_household_does_not_delegate(team):
    future = RepresentativeFactory(member=team.citizen, future=True)
    elsewhere = RepresentativeFactory()
    assert not can(actor_for_user(future.user), "households.delegate", team.household)
    assert not can(actor_for_user(elsewhere.user), "households.delegate", team.household)


def test_a_professional_who_is_also_in_the_household_delegates_only_as_a_citizen(team):
    membership = MembershipFactory()
    CitizenFactory(household=team.household, user=membership.user)
    assert not can(actor_for_user(membership.user), "households.delegate", team.household)


@pytest.mark.parametrize("gone", ["membership ended", "account blocked", "organisation closed"])
def test_when_the_coordinator_is_gone_a_coordinator_of_their_organisation_may_hand_over(team, people, gone):
    colleague = people["colleague of the coordinator"]
    assert not can(colleague, "households.hand_over", team.household)
    if gone == "membership ended":
        Membership.objects.filter(user=team.coordinator.user).update(is_active=False)
    elif gone == "account blocked":
        type(team.coordinator.user).objects.filter(pk=team.coordinator.user_id).update(is_active=False)
    else:
        type(team.wijkteam).objects.filter(pk=team.wijkteam.pk).update(is_active=False)
        # A closed organisation has no active coordinator colleagues either: nobody of it may hand over.
        assert not can(actor_for_user(colleague.user), "households.hand_over", team.household)
        return
    assert can(actor_for_user(colleague.user), "households.hand_over", team.household)
    # ... but not a professional colleague, nor a coordinator of another organisation.
    plain_colleague = MembershipFactory(organisation=team.wijkteam).user
    assert not can(actor_for_user(plain_colleague), "households.hand_over", team.household)
    assert not can(people["professional of another organisation"], "households.hand_over", team.household)


def test_starting_a_team_is_for_neighbourhood_teams_and_the_municipality_while_there_is_no_coordinator():
    household = HouseholdFactory()
    allowed = {
        kind: can(
            actor_for_user(MembershipFactory(organisation=OrganisationFactory(type=kind)).user),
            "households.start_team",
            household,
        )
        for kind in OrganisationType.values
    }
    assert {kind for kind, yes in allowed.items() if yes} == {"neighbourhood_team", "municipality"}
    starter = actor_for_user(MembershipFactory(organisation=OrganisationFactory(municipality=True)).user)
    assert not can(actor_for_user(CitizenFactory(household=household).user), "households.start_team", household)
    assert not can(ANONYMOUS, "households.start_team", household)
    TeamMemberFactory(coordinator=True, household=household)
    assert not can(starter, "households.start_team", household)


def test_adding_a_professional_while_starting_is_for_the_starters_own_organisation():
    household = HouseholdFactory()
    starter = MembershipFactory(organisation=OrganisationFactory(type=OrganisationType.NEIGHBOURHOOD_TEAM))
    actor = actor_for_user(starter.user)
    own = TeamMember(household=household, user=UserFactory(), organisation=starter.organisation)
    other = TeamMember(household=household, user=UserFactory(), organisation=OrganisationFactory())
    assert can(actor, "households.add_professional", own)
    assert not can(actor, "households.add_professional", other)
    assert not can(actor, "households.add_professional", None)


def test_the_coordinator_adds_professionals_of_the_organisations_in_their_networks(team, people):
    partner = OrganisationFactory(name="Jeugdhulp Oost")
    team.network.organisations.add(partner)
    candidate = TeamMember(household=team.household, user=UserFactory(), organisation=partner)
    allowed = {who for who, actor in people.items() if can(actor, "households.add_professional", candidate)}
    assert allowed == {"coordinator"}
    own = TeamMember(household=team.household, user=UserFactory(), organisation=team.wijkteam)
    assert can(people["coordinator"], "households.add_professional", own)


def test_the_coordinator_may_not_add_from_outside_the_network_or_a_closed_or_independent_organisation(team, people):
    closed = OrganisationFactory(is_active=False)
    independent = OrganisationFactory(type=OrganisationType.CLIENT_SUPPORT)
    team.network.organisations.add(closed, independent)
    for organisation in (OrganisationFactory(name="Zorg Elders"), closed, independent):
        candidate = TeamMember(household=team.household, user=UserFactory(), organisation=organisation)
        assert not can(people["coordinator"], "households.add_professional", candidate)


def test_who_may_remove_whom(team, people):
    informal = TeamMember.objects.get(household=team.household, role="informal")
    supporter = TeamMember.objects.get(household=team.household, role="supporter")
    expected = {
        team.professional: {"coordinator", "professional in the team"},
        informal: {"citizen", "representative", "informal member"},
        supporter: {"citizen", "representative", "supporter"},
        team.coordinator: {"coordinator"},  # themselves; the service then asks for a handover first
    }
    for member, allowed_people in expected.items():
        allowed = {who for who, actor in people.items() if can(actor, "households.remove_team_member", member)}
        assert allowed == allowed_people, member.role


def test_the_first_coordinator_is_assigned_by_a_starter_of_the_members_organisation():
    household = HouseholdFactory()
    starter = MembershipFactory(organisation=OrganisationFactory(municipality=True))
    own = TeamMemberFactory(household=household, organisation=starter.organisation)
    other = TeamMemberFactory(household=household, organisation=OrganisationFactory(debt_counselling=True))
    assert can(actor_for_user(starter.user), "households.assign_first_coordinator", own)
    assert not can(actor_for_user(starter.user), "households.assign_first_coordinator", other)
    assert not can(actor_for_user(other.user), "households.assign_first_coordinator", other)  # not a starter type
    assert not can(ANONYMOUS, "households.assign_first_coordinator", own)


def test_a_representation_ends_with_its_end_date(team):
    representative = RepresentativeFactory(member=team.citizen, valid_until=timezone.now() + datetime.timedelta(days=1))
    assert can(actor_for_user(representative.user), "households.delegate", team.household)
    type(representative).objects.filter(pk=representative.pk).update(valid_until=timezone.now())
    assert not can(actor_for_user(representative.user), "households.delegate", team.household)


def test_without_a_coordinator_a_neighbourhood_team_or_municipality_professional_builds_the_team():
    household = HouseholdFactory()
    wijkteam = MembershipFactory(organisation=OrganisationFactory())
    gemeente = MembershipFactory(organisation=OrganisationFactory(municipality=True))
    jeugdhulp = MembershipFactory(organisation=OrganisationFactory(youth_care=True))
    for permission in ("households.build_team", "households.change_coordinator"):
        assert can(actor_for_user(wijkteam.user), permission, household)
        assert can(actor_for_user(gemeente.user), permission, household)
        assert not can(actor_for_user(jeugdhulp.user), permission, household)
        assert not can(actor_for_user(CitizenFactory(household=household).user), permission, household)
    TeamMemberFactory(household=household, coordinator=True)
    for permission in ("households.build_team", "households.change_coordinator"):
        assert not can(actor_for_user(wijkteam.user), permission, household)


def test_when_the_coordinator_is_gone_a_colleague_coordinator_may_change_but_not_build(team, people):
    Membership.objects.filter(user=team.coordinator.user).update(is_active=False)
    colleague = people["colleague of the coordinator"]
    assert can(colleague, "households.change_coordinator", team.household)
    assert not can(colleague, "households.build_team", team.household)
