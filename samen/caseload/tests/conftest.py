"""A coordinator's world for the caseload tests: households they see, and households they must never see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import ConsentRequestStatus, DataCategory
from samen.consent.tests.factories import (
    BreakTheGlassFactory,
    ConsentGrantFactory,
    ConsentRequestFactory,
    TeamMemberFactory,
)
from samen.core.actor import Actor, actor_for_user
from samen.households.tests.factories import HouseholdFactory
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory

BACKEND = "samen.accounts.backends.SamenBackend"


@dataclass
class World:
    user: object  # the coordinator of Wijkteam Noord
    wijkteam: object
    schuldhulp: object
    coordinated: object  # "Familie Aalbers": the user coordinates; Wijkteam Noord has a grant
    member_of: object  # "Familie Bakker": the user is in the team, Schuldhulp coordinates; grant
    emergency: object  # "Familie Claassen": break-the-glass only
    waiting: object  # "Familie Dekker": in the team, no grant, an open request
    revoked: object  # "Familie Evers": in the team, grant revoked
    expired: object  # "Familie Faber": in the team, grant expired
    other_team: object  # "Familie Gerritsen": Schuldhulp's team and grant, the user not in it
    other_org_grant: object  # "Familie Hendriks": grant to Wijkteam Noord, the user not in the team
    grant_start: datetime.datetime  # when Wijkteam Noord's grant in Familie Aalbers started

    @property
    def actor(self) -> Actor:
        return actor_for_user(self.user)


@pytest.fixture
def world() -> World:
    user = UserFactory(email="regisseur@example.test", full_name="Rik Regisseur")
    wijkteam = OrganisationFactory(name="Wijkteam Noord")
    schuldhulp = OrganisationFactory(name="Schuldhulp Voorbeeldstad", debt_counselling=True)
    MembershipFactory(user=user, organisation=wijkteam, coordinator=True)
    now = timezone.now()
    grant_start = now - datetime.timedelta(days=40)

    def household(name: str):
        return HouseholdFactory(name=name)

    def place(household, *, coordinator: bool = False, **fields):
        return TeamMemberFactory(
            household=household, user=user, organisation=wijkteam, coordinator=coordinator, membership=False, **fields
        )

    coordinated = household("Familie Aalbers")
    place(coordinated, coordinator=True)
    TeamMemberFactory(household=coordinated, organisation=schuldhulp)
    TeamMemberFactory(household=coordinated, informal=True)
    ConsentGrantFactory(household=coordinated, organisation=wijkteam, valid_from=grant_start)
    ConsentGrantFactory(
        household=coordinated,
        organisation=wijkteam,
        category=DataCategory.YOUTH,
        valid_from=now - datetime.timedelta(days=3),
    )

    member_of = household("Familie Bakker")
    place(member_of)
    TeamMemberFactory(household=member_of, coordinator=True, organisation=schuldhulp)
    ConsentGrantFactory(household=member_of, organisation=wijkteam)

    emergency = household("Familie Claassen")
    TeamMemberFactory(household=emergency, coordinator=True, organisation=schuldhulp)
    BreakTheGlassFactory(household=emergency, user=user, organisation=wijkteam)
    BreakTheGlassFactory(household=household("Familie Claassen-Oud"), user=user, organisation=wijkteam, expired=True)

    waiting = household("Familie Dekker")
    waiting_place = place(waiting)
    ConsentRequestFactory(
        team_member=waiting_place, requested_at=now - datetime.timedelta(days=2), status=ConsentRequestStatus.OPEN
    )

    revoked = household("Familie Evers")
    place(revoked)
    ConsentGrantFactory(household=revoked, organisation=wijkteam, revoked=True)

    expired = household("Familie Faber")
    place(expired)
    ConsentGrantFactory(household=expired, organisation=wijkteam, expired=True)

    other_team = household("Familie Gerritsen")
    TeamMemberFactory(household=other_team, coordinator=True, organisation=schuldhulp)
    ConsentGrantFactory(household=other_team, organisation=schuldhulp)

    other_org_grant = household("Familie Hendriks")
    TeamMemberFactory(household=other_org_grant, organisation=wijkteam)  # a colleague, not the user
    ConsentGrantFactory(household=other_org_grant, organisation=wijkteam)

    return World(
        user=user,
        wijkteam=wijkteam,
        schuldhulp=schuldhulp,
        coordinated=coordinated,
        member_of=member_of,
        emergency=emergency,
        waiting=waiting,
        revoked=revoked,
        expired=expired,
        other_team=other_team,
        other_org_grant=other_org_grant,
        grant_start=grant_start,
    )
