"""A household with a team, shared by the households tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from samen.core.actor import Actor
from samen.households.models import Household, HouseholdMember, TeamMember
from samen.households.tests.factories import CitizenFactory, HouseholdFactory, TeamMemberFactory
from samen.organisations.actors import actor_for_user
from samen.organisations.models import Network, Organisation
from samen.organisations.tests.factories import NetworkFactory, OrganisationFactory


def act(user) -> Actor:
    return actor_for_user(user)


@dataclass
class Team:
    household: Household
    citizen: HouseholdMember  # a member with an account
    wijkteam: Organisation
    coordinator: TeamMember  # a gezinscoach of the neighbourhood team
    professional: TeamMember  # a debt counsellor of another organisation
    network: Network  # the local network the neighbourhood team works in (a coordinator adds from it)


@pytest.fixture
def team() -> Team:
    household = HouseholdFactory(name="Familie Jansen")
    wijkteam = OrganisationFactory(name="Wijkteam Oost")
    schuldhulp = OrganisationFactory(name="Schuldhulp Stad", debt_counselling=True)
    return Team(
        household=household,
        citizen=CitizenFactory(household=household),
        wijkteam=wijkteam,
        coordinator=TeamMemberFactory(coordinator=True, household=household, organisation=wijkteam),
        professional=TeamMemberFactory(household=household, organisation=schuldhulp),
        network=NetworkFactory(name="Sociaal domein Oost", organisations=[wijkteam, schuldhulp]),
    )
