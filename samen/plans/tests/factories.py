"""Factories for the plan's models (they write no audit entries; use the services to test those)."""

from __future__ import annotations

import factory
from django.utils import timezone

from samen.consent.models import DataCategory
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
from samen.plans.models import Action, ActionStatus, Agreement, EvaluationMoment, Goal, Plan, PlanVersion, ZrmDomain


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    household = factory.SubFactory(HouseholdFactory)
    question = "We willen rust in huis en grip op ons geld."
    strengths = "We praten veel met elkaar."
    worries = "De rekeningen stapelen zich op."


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(PlanFactory)
    text = factory.Sequence(lambda n: f"Doel {n} in eigen woorden")
    domain = ZrmDomain.TIME_USE
    category = DataCategory.GENERAL


class ActionFactory(factory.django.DjangoModelFactory):
    """An action owned by a household member of the goal's household. Trait: ``done``."""

    class Meta:
        model = Action

    goal = factory.SubFactory(GoalFactory)
    text = factory.Sequence(lambda n: f"Actie {n}")
    owner_member = factory.LazyAttribute(lambda o: HouseholdMemberFactory(household=o.goal.plan.household))

    class Params:
        done = factory.Trait(
            status=ActionStatus.DONE,
            done_at=factory.LazyFunction(timezone.now),
            done_note="Gelukt, samen met de buurvrouw.",
        )


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    plan = factory.SubFactory(PlanFactory)
    text = "We bellen elkaar elke maandag."


class EvaluationMomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationMoment

    plan = factory.SubFactory(PlanFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=60))


class PlanVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanVersion

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    snapshot = factory.LazyAttribute(
        lambda o: {"question": o.plan.question, "goals": [], "agreements": [], "evaluations": []}
    )
