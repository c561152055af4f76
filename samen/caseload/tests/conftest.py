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
from samen.core.actor import Actor
from samen.households.tests.factories import HouseholdFactory
from samen.organisations.actors import actor_for_user
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


# --- the work queue: what needs the coordinator in their households ------------------------------------------------


@dataclass
class Queue:
    """``world`` with things that need the coordinator (and things that must not count). Per household:

    - Familie Aalbers (coordinated; Wijkteam Noord may see general and youth): actions past their date in a
      general and a youth goal (counted), and ones that do not count: done, due today, in a finances goal, of a
      reached goal, of an old plan; evaluations due (one passed, one in seven days) and not (in eight days,
      one with an outcome); Wijkteam Noord's consent requests: one open, one answered three days ago (counted),
      one answered twenty days ago, one withdrawn, and Schuldhulp's open one (not counted); the coordination
      handed to the user three days ago.
    - Familie Bakker (in the team): one general action past its date; a colleague's emergency access (not the
      user's); a handover to Schuldhulp's coordinator (not to the user).
    - Familie Claassen (the user's emergency access only): an action past its date (not counted: no consent).
    - Familie Gerritsen (another organisation's team): an action past its date (not in the list at all).
    """

    world: World
    plan: object  # Familie Aalbers' current plan
    general_goal: object  # of that plan
    overdue: object  # the general action past its date in Familie Aalbers

    @property
    def actor(self) -> Actor:
        return self.world.actor


@pytest.fixture
def queue(world) -> Queue:
    from samen.households.models import CoordinatorHandover
    from samen.plans.models import GoalStatus
    from samen.plans.tests.factories import ActionFactory, EvaluationMomentFactory, GoalFactory, PlanFactory

    now = timezone.now()
    today = timezone.localdate(now)
    days = datetime.timedelta

    def plan_of(household, **fields):
        return PlanFactory(household=household, **fields)

    def overdue_action(goal, **fields):
        return ActionFactory(goal=goal, due_date=fields.pop("due_date", today - days(1)), **fields)

    aalbers = world.coordinated
    plan = plan_of(aalbers)
    general = GoalFactory(plan=plan, category=DataCategory.GENERAL)
    overdue = overdue_action(general)
    overdue_action(GoalFactory(plan=plan, category=DataCategory.YOUTH), due_date=today - days(40))
    overdue_action(general, done=True)
    overdue_action(general, due_date=today)
    ActionFactory(goal=general, due_date=None)
    overdue_action(GoalFactory(plan=plan, category=DataCategory.FINANCES))
    overdue_action(GoalFactory(plan=plan, category=DataCategory.GENERAL, status=GoalStatus.REACHED))
    overdue_action(GoalFactory(plan=plan_of(aalbers, is_current=False), category=DataCategory.GENERAL))
    EvaluationMomentFactory(plan=plan, date=today - days(3))
    EvaluationMomentFactory(plan=plan, date=today + days(7))
    EvaluationMomentFactory(plan=plan, date=today + days(8))
    EvaluationMomentFactory(plan=plan, date=today - days(10), outcome="Het gaat beter.", evaluated_at=now)

    def colleague(household):
        return TeamMemberFactory(household=household, organisation=world.wijkteam)

    def answered(place, *, status, ago):
        return ConsentRequestFactory(
            team_member=place,
            status=status,
            requested_at=now - ago - days(2),
            answered_at=now - ago,
            answered_by=UserFactory(),
        )

    ConsentRequestFactory(team_member=colleague(aalbers), status=ConsentRequestStatus.OPEN)
    answered(colleague(aalbers), status=ConsentRequestStatus.APPROVED, ago=days(3))
    answered(colleague(aalbers), status=ConsentRequestStatus.DECLINED, ago=days(20))
    answered(colleague(aalbers), status=ConsentRequestStatus.WITHDRAWN, ago=days(2))
    ConsentRequestFactory(team_member=TeamMemberFactory(household=aalbers, organisation=world.schuldhulp))
    mine = aalbers.team.get(user=world.user)
    earlier = colleague(aalbers)
    CoordinatorHandover.objects.create(
        household=aalbers,
        from_member=earlier,
        to_member=mine,
        reason="Ik ga naar een andere wijk.",
        occurred_at=now - days(3),
        recorded_by=earlier.user,
    )

    bakker = world.member_of
    overdue_action(GoalFactory(plan=plan_of(bakker), category=DataCategory.GENERAL))
    BreakTheGlassFactory(household=bakker, user=colleague(bakker).user, organisation=world.wijkteam)
    schuldhulp_coordinator = bakker.team.get(is_coordinator=True)
    CoordinatorHandover.objects.create(
        household=bakker,
        from_member=colleague(bakker),
        to_member=schuldhulp_coordinator,
        reason="Schuldhulp neemt het over.",
        occurred_at=now - days(1),
        recorded_by=world.user,
    )

    overdue_action(GoalFactory(plan=plan_of(world.emergency), category=DataCategory.GENERAL))
    overdue_action(GoalFactory(plan=plan_of(world.other_team), category=DataCategory.GENERAL))
    return Queue(world=world, plan=plan, general_goal=general, overdue=overdue)
