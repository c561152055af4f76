"""Reads about households and their members.

Reading household data is logged (NEN 7513): ``read_member_rows`` writes the audit entry
itself, so every caller logs the read. Rows carry only what the page needs; never the BSN.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils import timezone

from samen.core import audit
from samen.core.actor import Actor
from samen.core.models import AuditAction, AuditPurpose
from samen.households.models import Household, HouseholdMember

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
            relation=member.get_relation_display(),
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
