"""Household selectors: households by size, and the team, in queries that do not grow with the data."""

import datetime

import pytest
from django.utils import timezone

from samen.core.testing import count_queries
from samen.households.models import CoordinatorHandover, Household, HouseholdMember, TeamRole
from samen.households.selectors import (
    HOUSEHOLD_SIZES,
    HouseholdSizeFigures,
    active_coordinator,
    handover_history,
    household_size_figures,
    open_invitations,
    team_rows,
)
from samen.households.tests.factories import (
    HouseholdFactory,
    HouseholdMemberFactory,
    InvitationFactory,
    TeamMemberFactory,
)
from samen.organisations.models import Membership

pytestmark = pytest.mark.django_db


def add_households(sizes: list[int]) -> None:
    """One household per entry, with that many members (bulk inserts: this test is about reads)."""
    households = Household.objects.bulk_create(HouseholdFactory.build_batch(len(sizes)))
    members = [
        HouseholdMemberFactory.build(household=household, bsn="")
        for household, size in zip(households, sizes, strict=True)
        for _ in range(size)
    ]
    HouseholdMember.objects.bulk_create(members)


def test_households_by_size_count_members_per_household():
    add_households([1, 1, 2, 3, 3, 3, 5, 6, 7, 11])
    assert household_size_figures() == HouseholdSizeFigures(
        households={1: 2, 2: 1, 3: 3, 4: 0, 5: 1, 6: 3},
        members=1 + 1 + 2 + 3 + 3 + 3 + 5 + 6 + 7 + 11,
    )


def test_every_size_class_is_there_even_when_empty():
    assert household_size_figures() == HouseholdSizeFigures(households=dict.fromkeys(HOUSEHOLD_SIZES, 0), members=0)
    assert list(household_size_figures().households) == [1, 2, 3, 4, 5, 6]


def test_households_without_members_have_no_size():
    add_households([2, 2])
    HouseholdFactory.create_batch(3)
    figures = household_size_figures()
    assert sum(figures.households.values()) == 2
    assert figures.households[2] == 2 and figures.members == 4


def test_one_query_for_10_and_for_100_households():
    add_households([size % 8 + 1 for size in range(10)])
    assert count_queries(household_size_figures) == 1
    add_households([size % 8 + 1 for size in range(90)])
    assert count_queries(household_size_figures) == 1
    assert sum(household_size_figures().households.values()) == 100


# --- the team ------------------------------------------------------------------------------------


def test_the_team_shows_the_coordinator_first_then_professionals_supporter_and_informal_network(team):
    informal = TeamMemberFactory(informal=True, household=team.household)
    supporter = TeamMemberFactory(supporter=True, household=team.household)
    later_professional = TeamMemberFactory(household=team.household)
    TeamMemberFactory(
        household=team.household, joined_at=timezone.now() - datetime.timedelta(days=30), left_at=timezone.now()
    )
    TeamMemberFactory()  # another household's team
    Membership.objects.filter(user=team.professional.user).update(job_title="Schuldhulpverlener")
    rows = team_rows(team.household)
    assert [row.member_id for row in rows] == [
        team.coordinator.pk,
        team.professional.pk,
        later_professional.pk,
        supporter.pk,
        informal.pk,
    ]
    coordinator, professional, _, independent, neighbour = rows
    assert coordinator.is_coordinator and not professional.is_coordinator
    assert (professional.organisation, professional.job_title) == ("Schuldhulp Stad", "Schuldhulpverlener")
    assert independent.is_independent and independent.role == TeamRole.SUPPORTER
    assert not any(row.is_independent for row in rows if row is not independent)
    assert (neighbour.organisation, neighbour.organisation_type, neighbour.job_title) == ("", "", "")
    assert neighbour.name == informal.user.full_name


def test_the_team_takes_one_query_whatever_its_size(team, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(team_rows(team.household)) == 2
    for index in range(30):
        TeamMemberFactory(household=team.household, informal=index % 3 == 0)
    TeamMemberFactory(supporter=True, household=team.household)
    with django_assert_num_queries(1):
        assert len(team_rows(team.household.pk)) == 33


def test_the_handover_history_is_newest_first_in_one_query(team, django_assert_num_queries):
    first = CoordinatorHandover.objects.create(
        household=team.household, to_member=team.coordinator, occurred_at=timezone.now() - datetime.timedelta(days=60)
    )
    CoordinatorHandover.objects.create(
        household=team.household, from_member=team.coordinator, to_member=team.professional, reason="Schulden eerst"
    )
    CoordinatorHandover.objects.create(household=HouseholdFactory(), to_member=TeamMemberFactory())
    with django_assert_num_queries(1):
        rows = handover_history(team.household)
    assert [row.reason for row in rows] == ["Schulden eerst", ""]
    assert (rows[0].from_name, rows[0].to_organisation) == (team.coordinator.user.full_name, "Schuldhulp Stad")
    assert (rows[1].from_name, rows[1].occurred_at) == ("", first.occurred_at)


def test_open_invitations_are_the_ones_that_can_still_be_used(team):
    open_one = InvitationFactory(household=team.household)
    InvitationFactory(household=team.household, expired=True)
    InvitationFactory(household=team.household, withdrawn_at=timezone.now())
    InvitationFactory(household=team.household, accepted_at=timezone.now(), accepted_by=team.citizen.user)
    InvitationFactory()
    assert list(open_invitations(team.household)) == [open_one]


def test_active_coordinator(team):
    assert active_coordinator(team.household) == team.coordinator
    assert active_coordinator(HouseholdFactory()) is None


# --- building the team ----------------------------------------------------------------------------------------


def test_the_organisations_to_add_from_are_the_networks_without_independent_support():
    from samen.households.selectors import organisations_to_add_from
    from samen.organisations.tests.factories import NetworkFactory, OrganisationFactory

    own = OrganisationFactory(name="Wijkteam")
    partner = OrganisationFactory(name="Jeugdhulp", youth_care=True)
    other_network = OrganisationFactory(name="Schuldhulp", debt_counselling=True)
    closed = OrganisationFactory(name="Gesloten", is_active=False)
    support = OrganisationFactory(name="Steunpunt", client_support=True)
    outside = OrganisationFactory(name="Elders")
    NetworkFactory(organisations=[own, partner, closed, support])
    NetworkFactory(organisations=[own, other_network])
    NetworkFactory(organisations=[outside])
    names = lambda queryset: [organisation.name for organisation in queryset]  # noqa: E731
    assert names(organisations_to_add_from(own, whole_network=True)) == ["Jeugdhulp", "Schuldhulp", "Wijkteam"]
    assert names(organisations_to_add_from(own, whole_network=False)) == ["Wijkteam"]
    assert names(organisations_to_add_from(None, whole_network=True)) == []
    assert count_queries(list, organisations_to_add_from(own, whole_network=True)) == 1


def test_a_professional_is_found_only_by_an_active_professional_membership():
    from samen.accounts.tests.factories import UserFactory
    from samen.households.selectors import professional_at
    from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory

    organisation = OrganisationFactory()
    joost = MembershipFactory(organisation=organisation, user=UserFactory(email="joost@example.test")).user
    MembershipFactory(organisation=organisation, facilitator=True, user=UserFactory(email="fien@example.test"))
    MembershipFactory(organisation=organisation, user=UserFactory(email="oud@example.test"), is_active=False)
    MembershipFactory(user=UserFactory(email="elders@example.test"))
    assert professional_at(organisation, "JOOST@example.test") == joost
    for address in ("fien@example.test", "oud@example.test", "elders@example.test", "niemand@example.test"):
        assert professional_at(organisation, address) is None


def test_handover_candidates_are_the_other_active_professionals_in_one_query():
    from samen.households.selectors import handover_candidates

    household = HouseholdFactory()
    coordinator = TeamMemberFactory(household=household, coordinator=True)
    candidate = TeamMemberFactory(household=household)
    TeamMemberFactory(household=household, informal=True)
    TeamMemberFactory(household=household, supporter=True)
    TeamMemberFactory(
        household=household, joined_at=timezone.now() - datetime.timedelta(days=9), left_at=timezone.now()
    )
    gone = TeamMemberFactory(household=household)
    Membership.objects.filter(user=gone.user).update(is_active=False)
    TeamMemberFactory()  # another household
    assert list(handover_candidates(household)) == [candidate]
    assert list(handover_candidates(household, organisation_id=coordinator.organisation_id)) == []
    assert count_queries(lambda: [(m.user.full_name, m.organisation.name) for m in handover_candidates(household)]) == 1
