"""Reads of the household's own network map, after the policy decided the reader may see it. A fixed number of
queries, whatever the number of people on the map."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from samen.consent.policies import parse_id
from samen.households.models import Household, HouseholdMember, TeamMember
from samen.plans.models import Goal, GoalStatus
from samen.socialmap.models import NetworkPerson


def _people(household_id: int) -> QuerySet[NetworkPerson]:
    # Someone invited from the map who accepted: their place in the team (the invitation knows who accepted it).
    joined = TeamMember.objects.filter(
        household_id=OuterRef("household_id"), user_id=OuterRef("invitation__accepted_by_id"), left_at__isnull=True
    ).values("pk")[:1]
    return (
        NetworkPerson.objects.filter(household_id=household_id)
        .select_related("team_member__user", "team_member__organisation", "invitation", "service")
        .annotate(joined_team_member_id=Subquery(joined))
        .order_by("closeness", "name", "pk")
    )


def network_of(household_id: int) -> list[NetworkPerson]:
    """The people on the household's map, closest first, then by name (one query)."""
    return list(_people(household_id))


def network_person_in(household_id: int, person_id) -> NetworkPerson | None:
    """The person with ``person_id`` on this household's map, or ``None`` (also for another household's person or
    something that is not an id; one query, none for a malformed id)."""
    pk = parse_id(person_id)
    if pk is None:
        return None
    return _people(household_id).filter(pk=pk).first()


def team_place_id(person: NetworkPerson) -> int | None:
    """The person's place in the team now: linked on the map, or joined with the invitation sent from it."""
    if person.team_member_id is not None and person.team_member.left_at is None:
        return person.team_member_id
    return getattr(person, "joined_team_member_id", None)


def team_choices(household: Household) -> list[tuple[str, str]]:
    """Who is in the team now, for "this person is in the team as": name, and the organisation (one query)."""
    rows = (
        TeamMember.objects.filter(household=household, left_at__isnull=True)
        .select_related("user", "organisation")
        .only("id", "role", "user__full_name", "user__email", "organisation__name")
        .order_by("joined_at", "pk")
    )
    choices = []
    for row in rows:
        label = row.user.get_full_name()
        if row.organisation is not None:
            label = f"{label} ({row.organisation.name})"
        choices.append((str(row.pk), label))
    return choices


def action_owner_member(household: Household, user_id: int | None) -> HouseholdMember | None:
    """Who owns an action with someone from the network who is not in the team: the household member who is
    acting (a citizen), or else the household's oldest member (one query)."""
    members = list(HouseholdMember.objects.filter(household=household).order_by("date_of_birth", "pk"))
    own = next((member for member in members if user_id is not None and member.user_id == user_id), None)
    if own is not None:
        return own
    dated = [member for member in members if member.date_of_birth is not None]
    return dated[0] if dated else (members[0] if members else None)


def goals_to_act_on(household: Household, categories) -> list[tuple[str, str]]:
    """The current plan's goals that are not finished, in ``categories`` (where the actor may write), as choices for
    "for which goal" (one query; none without categories)."""
    values = [str(getattr(category, "value", category)) for category in categories]
    if not values:
        return []
    goals = (
        Goal.objects.filter(plan__household=household, plan__is_current=True, category__in=values)
        .exclude(status__in=[GoalStatus.REACHED, GoalStatus.STOPPED])
        .order_by("created_at", "pk")
        .values_list("pk", "text")
    )
    return [(str(pk), text if len(text) <= 90 else text[:89].rstrip() + "…") for pk, text in goals]
