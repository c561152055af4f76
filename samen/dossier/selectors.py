"""Reads for the household overview. Each read is a fixed number of queries, whatever the number of households,
members or notes. Selectors do not decide access and do not write the access log: the view asks the policy
first (``household_for``, ``categories_visible_to``) and writes its one access entry.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from samen.consent.models import DataCategory
from samen.dossier.models import Entry
from samen.households.models import Household, HouseholdMember
from samen.households.selectors import age_in_years, team_rows

NOTES_PER_CATEGORY = 10


@dataclass(frozen=True)
class MemberRow:
    name: str
    relation: str
    age: int | None
    is_self: bool


def member_rows(household: Household, *, user_id: int | None = None, today: datetime.date | None = None):
    """The members of ``household``: name, relation, age (one query; the BSN is never loaded)."""
    today = today or timezone.localdate()
    members = (
        HouseholdMember.objects.filter(household=household)
        .only("id", "given_name", "family_name", "relation", "date_of_birth", "user_id")
        .order_by("date_of_birth", "pk")
    )
    return [
        MemberRow(
            name=f"{member.given_name} {member.family_name}",
            relation=member.relation_label,
            age=age_in_years(member.date_of_birth, today),
            is_self=user_id is not None and member.user_id == user_id,
        )
        for member in members
    ]


@dataclass(frozen=True)
class TeamSummary:
    coordinator_name: str  # empty when there is no coordinator
    coordinator_organisation: str
    others: int  # everyone else in the team now


def team_summary(household: Household) -> TeamSummary:
    """The coordinator with their organisation and how many others are in the team (one query)."""
    rows = team_rows(household)
    coordinator = next((row for row in rows if row.is_coordinator), None)
    return TeamSummary(
        coordinator_name=coordinator.name if coordinator else "",
        coordinator_organisation=coordinator.organisation if coordinator else "",
        others=len(rows) - (1 if coordinator else 0),
    )


def latest_notes(
    household: Household, categories: Iterable[DataCategory], *, per_category: int = NOTES_PER_CATEGORY
) -> dict[str, list[Entry]]:
    """The newest ``per_category`` notes of each of ``categories``, newest first (one query, none without
    categories). Each note has its organisation loaded."""
    values = [DataCategory(category).value for category in categories]
    result: dict[str, list[Entry]] = {value: [] for value in values}
    if not values:
        return result
    ranked = (
        Entry.objects.filter(household=household, category__in=values)
        .select_related("organisation")
        .only("id", "category", "text", "created_at", "author_role", "organisation__name")
        .annotate(
            position=Window(
                RowNumber(), partition_by=[F("category")], order_by=[F("created_at").desc(), F("pk").desc()]
            )
        )
        .filter(position__lte=per_category)
        .order_by("category", "position")
    )
    for entry in ranked:
        result[entry.category].append(entry)
    return result
