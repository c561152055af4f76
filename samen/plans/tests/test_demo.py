import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import DataCategory
from samen.core.testing import count_queries
from samen.households.models import Relation
from samen.households.tests.factories import CitizenFactory, HouseholdFactory, HouseholdMemberFactory, TeamMemberFactory
from samen.plans.demo import add_demo_plans
from samen.plans.models import Action, Agreement, Goal, Plan, PlanVersion

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 1, 10, 0, tzinfo=datetime.UTC)


def _household(*, team: bool = True, child: bool = False):
    household = HouseholdFactory()
    CitizenFactory(
        household=household, given_name="Fatima", family_name="Bakker", user=UserFactory(full_name="Fatima Bakker")
    )
    if child:
        HouseholdMemberFactory(household=household, relation=Relation.CHILD, date_of_birth=datetime.date(2012, 4, 1))
    if team:
        joined = NOW - datetime.timedelta(days=400)  # before the plan: only who was in the team then owns an action
        TeamMemberFactory(household=household, coordinator=True, joined_at=joined)
        TeamMemberFactory(household=household, joined_at=joined)
        TeamMemberFactory(household=household, informal=True, user__full_name="Ans de Buurvrouw", joined_at=joined)
    return household


def _signature() -> list:
    return list(Goal.objects.order_by("plan__household_id", "pk").values_list("plan__household_id", "text", "category"))


def test_households_with_a_team_get_a_plan_and_the_showcase_a_rich_one():
    showcase = _household(child=True)
    others = [_household() for _ in range(3)]
    lonely = _household(team=False)
    created = add_demo_plans(household_ids=[lonely.pk, *[h.pk for h in others], showcase.pk], seed=7, now=NOW)
    assert created == 4
    assert not Plan.objects.filter(household=lonely).exists()
    plan = Plan.objects.get(household=showcase, is_current=True)
    goals = Goal.objects.filter(plan=plan)
    assert goals.values("domain").distinct().count() >= 4
    assert {DataCategory.FINANCES, DataCategory.YOUTH, DataCategory.GENERAL} <= set(
        goals.values_list("category", flat=True)
    )
    actions = Action.objects.filter(goal__plan=plan)
    assert actions.filter(owner_member__isnull=False).exists()
    assert actions.filter(owner_team_member__role="informal").exists()
    assert (
        actions.filter(owner_team_member__role="professional").exists()
        or actions.filter(owner_organisation__isnull=False).exists()
    )
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].agreed_at is None
    assert versions[1].agreed_by.full_name == "Fatima Bakker" and versions[1].agreed_at is not None
    # A second call leaves the existing plans alone.
    assert add_demo_plans(household_ids=[showcase.pk], seed=7, now=NOW) == 0


def test_the_demo_plans_are_deterministic_and_take_a_fixed_number_of_queries():
    households = [_household() for _ in range(2)]
    ids = [h.pk for h in households]
    signatures = []
    for _ in range(2):
        with transaction.atomic():
            queries = count_queries(add_demo_plans, household_ids=ids, seed=3, now=timezone.now())
            signatures.append(_signature())
            transaction.set_rollback(True)
    assert signatures[0] == signatures[1] and signatures[0]
    more = [_household() for _ in range(8)]
    assert count_queries(add_demo_plans, household_ids=ids + [h.pk for h in more], seed=3, now=NOW) == queries


def test_actions_are_owned_by_who_was_in_the_team_and_done_after_they_were_made():
    household = _household()
    late = TeamMemberFactory(household=household, joined_at=NOW - datetime.timedelta(days=1))
    others = [_household() for _ in range(5)]
    add_demo_plans(household_ids=[household.pk, *[h.pk for h in others]], seed=11, now=NOW)
    actions = list(Action.objects.select_related("goal", "owner_team_member"))
    assert actions and not Action.objects.filter(owner_team_member=late).exists()
    for action in actions:
        if action.owner_team_member is not None:
            assert action.owner_team_member.joined_at <= action.created_at
        if action.done_at is not None:
            assert action.created_at < action.done_at <= NOW - datetime.timedelta(days=1)


def test_the_showcase_agreements_name_its_own_citizen():
    household = HouseholdFactory()
    CitizenFactory(household=household, given_name="Sanne", family_name="Visser", user=UserFactory(full_name="Sanne"))
    TeamMemberFactory(household=household, coordinator=True, joined_at=NOW - datetime.timedelta(days=400))
    add_demo_plans(household_ids=[household.pk], seed=1, now=NOW)
    texts = list(Agreement.objects.filter(plan__household=household).values_list("text", flat=True))
    assert "Als het niet goed gaat, belt Sanne eerst de regisseur." in texts
    assert not any("Fatima" in text for text in texts)
