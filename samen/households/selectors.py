"""Reads about households and their members.

Reading household data is logged (NEN 7513): ``read_member_rows`` writes the audit entry
itself, so every caller logs the read. Rows carry only what the page needs; never the BSN.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from samen.core import audit
from samen.core.actor import Actor
from samen.core.models import AuditAction, AuditPurpose
from samen.households.models import Household, HouseholdMember

# Households by size: 1, 2, 3, 4, 5 members, and the last class for "6 or more".
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6)
LARGEST_HOUSEHOLD_SIZE = HOUSEHOLD_SIZES[-1]

# The member fields a household overview needs (the BSN is never loaded for it).
_OVERVIEW_FIELDS = ("id", "household_id", "given_name", "relation", "date_of_birth", "user_id")


@dataclass(frozen=True)
class MemberRow:
    first_name: str
    relation: str
    age: int | None
    is_self: bool


def age_in_years(date_of_birth: datetime.date | None, today: datetime.date) -> int | None:
    if date_of_birth is None:
        return None
    had_birthday = (today.month, today.day) >= (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - (0 if had_birthday else 1)


def household_of(user) -> Household | None:
    """The household ``user`` is a member of, with its members prefetched (two queries), or None."""
    if user is None or not user.is_authenticated:
        return None
    members = HouseholdMember.objects.only(*_OVERVIEW_FIELDS).order_by("date_of_birth", "pk")
    return Household.objects.filter(members__user=user).prefetch_related(Prefetch("members", queryset=members)).first()


def read_member_rows(*, actor: Actor, household: Household, today: datetime.date | None = None) -> list[MemberRow]:
    """The members of ``household`` as display rows; writes one audit entry for the read.

    Call only after the policy allowed ``households.view_household`` for this actor.
    """
    today = today or timezone.localdate()
    rows = [
        MemberRow(
            first_name=member.given_name,
            relation=member.relation_label,
            age=age_in_years(member.date_of_birth, today),
            is_self=actor.user_id is not None and member.user_id == actor.user_id,
        )
        for member in household.members.all()
    ]
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        obj=household,
        household_id=household.pk,
        data_category="general",
        purpose=AuditPurpose.CITIZEN,
        description="household overview",
    )
    return rows


def household_figures() -> dict[str, int]:
    """How many households and household members there are (one query). Raw counts."""
    return Household.objects.aggregate(households=Count("pk", distinct=True), members=Count("members"))


@dataclass(frozen=True)
class HouseholdSizeFigures:
    households: dict[int, int]  # size class (1..6, 6 = "6 or more") -> households of that size
    members: int  # the members of all these households


def household_size_figures() -> HouseholdSizeFigures:
    """How many households have 1, 2, 3, 4, 5, 6 or more members, and how many members they have (one query).

    Raw counts: whoever shows them suppresses small ones first (``samen.core.anonymity``). Households
    without members have no size and are left out. Each household's size is a correlated count over the
    indexed ``household_id``, so the query is one statement whatever the number of households. (Grouping
    on ``annotate(size=Count("members"))`` directly does not work: Django folds both counts into one
    level and returns a single row.)
    """
    size = Coalesce(
        Subquery(
            HouseholdMember.objects.filter(household=OuterRef("pk"))
            .order_by()
            .values("household")
            .annotate(count=Count("pk"))
            .values("count"),
            output_field=IntegerField(),
        ),
        0,
    )
    rows = (
        Household.objects.order_by()
        .annotate(size_class=Least(size, Value(LARGEST_HOUSEHOLD_SIZE)))
        .values("size_class")
        .annotate(households=Count("pk"), members=Sum(size))
    )
    households = dict.fromkeys(HOUSEHOLD_SIZES, 0)
    members = 0
    for row in rows:
        if row["size_class"] > 0:
            households[row["size_class"]] = row["households"]
            members += row["members"]
    return HouseholdSizeFigures(households=households, members=members)
