"""Reads for the plan pages. Each read is a fixed number of queries, whatever the number of goals and actions.
Selectors do not decide access and do not write the access log: the view asks the policy first."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch

from samen.consent.models import DataCategory
from samen.core.actor import Role
from samen.households.models import Household, HouseholdMember, TeamMember, TeamRole
from samen.plans.models import Action, Agreement, EvaluationMoment, Goal, Plan, PlanVersion


def current_plan(household: Household) -> Plan | None:
    return Plan.objects.filter(household=household, is_current=True).select_related("updated_by").first()


def _actions() -> Prefetch:
    return Prefetch(
        "actions",
        queryset=Action.objects.select_related(
            "owner_member", "owner_team_member__user", "owner_organisation", "done_by", "service"
        ).order_by("created_at", "pk"),
    )


def goals_with_actions(plan: Plan | None, categories: Iterable[DataCategory]) -> list[Goal]:
    """The goals of ``plan`` in ``categories``, each with its member and its actions with their owners (two
    queries; none without a plan or categories)."""
    values = [DataCategory(category).value for category in categories]
    if plan is None or not values:
        return []
    return list(
        Goal.objects.filter(plan=plan, category__in=values).select_related("member").prefetch_related(_actions())
    )


def goal_in(household: Household, goal_id: int | None, categories: Iterable[DataCategory]) -> Goal | None:
    values = [DataCategory(category).value for category in categories]
    if goal_id is None or not values:
        return None
    return (
        Goal.objects.filter(pk=goal_id, plan__household=household, plan__is_current=True, category__in=values)
        .select_related("plan", "member")
        .first()
    )


def action_in(household: Household, action_id: int | None, categories: Iterable[DataCategory]) -> Action | None:
    values = [DataCategory(category).value for category in categories]
    if action_id is None or not values:
        return None
    return (
        Action.objects.filter(
            pk=action_id, goal__plan__household=household, goal__plan__is_current=True, goal__category__in=values
        )
        .select_related("goal__plan", "owner_member", "owner_team_member__user", "owner_organisation")
        .first()
    )


def agreements(plan: Plan | None) -> list[Agreement]:
    return list(Agreement.objects.filter(plan=plan)) if plan is not None else []


def evaluations(plan: Plan | None) -> list[EvaluationMoment]:
    return list(EvaluationMoment.objects.filter(plan=plan)) if plan is not None else []


def evaluation_in(household: Household, evaluation_id: int | None) -> EvaluationMoment | None:
    """An evaluation moment of the household's current plan (None for another household's, or no id)."""
    if evaluation_id is None:
        return None
    return (
        EvaluationMoment.objects.filter(pk=evaluation_id, plan__household=household, plan__is_current=True)
        .select_related("plan")
        .first()
    )


def versions(plan: Plan | None) -> list[PlanVersion]:
    """All versions, newest first, without their snapshots (one query)."""
    if plan is None:
        return []
    return list(
        PlanVersion.objects.filter(plan=plan)
        .select_related("created_by", "agreed_by")
        .defer("snapshot")
        .order_by("-number")
    )


def latest_version(plan: Plan | None) -> PlanVersion | None:
    if plan is None:
        return None
    return (
        PlanVersion.objects.filter(plan=plan).select_related("agreed_by").defer("snapshot").order_by("-number").first()
    )


def version_by_number(plan: Plan | None, number: int | None) -> PlanVersion | None:
    if plan is None or number is None:
        return None
    return PlanVersion.objects.filter(plan=plan, number=number).first()


def version_in(household: Household, version_id: int | None) -> PlanVersion | None:
    if version_id is None:
        return None
    return (
        PlanVersion.objects.filter(pk=version_id, plan__household=household, plan__is_current=True)
        .select_related("plan")
        .defer("snapshot")
        .first()
    )


def members(household: Household) -> list[HouseholdMember]:
    return list(
        HouseholdMember.objects.filter(household=household).only("id", "given_name", "family_name", "household_id")
    )


def owner_choices(household: Household) -> list[tuple[str, str]]:
    """Who can own an action: the household's members, the team now, and the organisations of its professionals
    (two queries)."""
    choices = [(f"member:{member.pk}", str(member)) for member in members(household)]
    team = list(
        TeamMember.objects.filter(household=household, left_at__isnull=True)
        .select_related("user", "organisation")
        .only("id", "role", "user__full_name", "user__email", "organisation__name")
        .order_by("joined_at", "pk")
    )
    organisations: dict[int, str] = {}
    for member in team:
        label = member.user.get_full_name()
        if member.organisation is not None:
            label = f"{label} ({member.organisation.name})"
            if member.role == TeamRole.PROFESSIONAL:
                organisations[member.organisation_id] = member.organisation.name
        choices.append((f"team:{member.pk}", label))
    choices += [(f"organisation:{pk}", name) for pk, name in organisations.items()]
    return choices


def own_owner_value(household: Household, actor) -> str:
    """The actor as the owner of an action (``services.owner_value`` form): their place in the household, or in its
    team now; empty when they have neither (one query)."""
    if actor.role == Role.CITIZEN:
        member = HouseholdMember.objects.filter(household=household, user_id=actor.user_id).only("pk").first()
        return f"member:{member.pk}" if member else ""
    team = (
        TeamMember.objects.filter(household=household, user_id=actor.user_id, left_at__isnull=True).only("pk").first()
    )
    return f"team:{team.pk}" if team else ""
