"""The household with everyone around it (the dossier's ``setting``), a plan with goals per category, and helpers
to make things due."""

import datetime

import pytest
from django.utils import timezone

from samen.consent.models import DataCategory
from samen.dossier.tests.conftest import login, setting  # noqa: F401 - fixtures
from samen.households.models import HouseholdMember, TeamMember
from samen.organisations.actors import actor_for_user
from samen.plans.models import ZrmDomain
from samen.plans.tests.factories import ActionFactory, EvaluationMomentFactory, GoalFactory, PlanFactory

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
G = DataCategory
DOMAINS = {
    G.GENERAL: ZrmDomain.TIME_USE,
    G.FINANCES: ZrmDomain.FINANCES,
    G.HEALTH: ZrmDomain.PHYSICAL_HEALTH,
    G.MENTAL_HEALTH: ZrmDomain.MENTAL_HEALTH,
    G.SAFETY: ZrmDomain.DOMESTIC_RELATIONS,
    G.JUSTICE: ZrmDomain.JUSTICE,
    G.YOUTH: ZrmDomain.WORK_EDUCATION,
}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE
    settings.SAMEN_BASE_URL = "https://samen.example.nl"


def today() -> datetime.date:
    return timezone.localdate()


def in_days(days: int) -> datetime.date:
    return today() + datetime.timedelta(days=days)


@pytest.fixture
def plan(setting):  # noqa: F811 - the fixture
    return PlanFactory(household=setting.household)


@pytest.fixture
def goals(plan):
    """One goal per data category in the household's current plan."""
    return {category: GoalFactory(plan=plan, category=category, domain=DOMAINS[category]) for category in G}


@pytest.fixture
def due_action(goals):
    """An open action due in ``days`` days in the goal of ``category``; owner fields as keywords."""

    def make(category=G.GENERAL, days=1, *, member=None, place=None, organisation=None, **fields):
        assert sum(owner is not None for owner in (member, place, organisation)) == 1, "one owner"
        return ActionFactory(
            goal=goals[category],
            due_date=in_days(days),
            owner_member=member,
            owner_team_member=place,
            owner_organisation=organisation,
            **fields,
        )

    return make


@pytest.fixture
def due_evaluation(plan):
    def make(days=3, **fields):
        return EvaluationMomentFactory(plan=plan, date=in_days(days), **fields)

    return make


def place_of(around, user):
    """The user's active place in the team of the setting's household (``around``: the ``setting``)."""
    return TeamMember.objects.get(household=around.household, user=user, left_at__isnull=True)


def member_of(around, user):
    """The user's household member in the setting's household."""
    return HouseholdMember.objects.get(household=around.household, user=user)


@pytest.fixture
def actor():
    return actor_for_user
