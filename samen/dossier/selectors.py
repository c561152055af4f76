"""Reads for the household overview. Each read is a fixed number of queries, whatever the number of households,
members or notes. Selectors do not decide access and do not write the access log: the view asks the policy
first (``household_for``, ``categories_visible_to``) and writes its one access entry.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from samen.consent.models import DataCategory
from samen.dossier.models import Intake, IntakeSituation
from samen.households.models import Household, HouseholdMember
from samen.households.selectors import age_in_years, team_rows
from samen.timeline.models import Entry, EntryKind, HiddenReason

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
    household: Household,
    categories: Iterable[DataCategory],
    *,
    per_category: int = NOTES_PER_CATEGORY,
    include_hidden: bool = False,
    people_only: bool = False,
) -> dict[str, list[Entry]]:
    """The newest ``per_category`` entries of each of ``categories``, newest first (one query, none without
    categories); the ones hidden from the household only with ``include_hidden``; with ``people_only`` only what a
    person wrote (no events Samen wrote). Each has its organisation and its writer loaded (who wrote it is shown by
    name)."""
    values = [DataCategory(category).value for category in categories]
    result: dict[str, list[Entry]] = {value: [] for value in values}
    if not values:
        return result
    entries = Entry.objects.filter(household=household, category__in=values)
    if not include_hidden:
        entries = entries.filter(hidden_from_household=False)
    if people_only:
        entries = entries.exclude(kind=EntryKind.EVENT)
    ranked = (
        entries.select_related("organisation", "written_by")
        .only(
            "id",
            "kind",
            "category",
            "text",
            "created_at",
            "author_role",
            "organisation__name",
            "written_by__full_name",
        )
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


def timeline(
    household: Household,
    categories: Iterable[DataCategory],
    *,
    include_hidden: bool,
    kinds: Iterable[str] = (),
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> QuerySet[Entry]:
    """The entries of ``household`` in ``categories`` (the ones the reader may see, decided by the caller),
    newest first; without the ones hidden from the household unless ``include_hidden``. Optionally only some
    kinds, and only from ``since`` / before ``until``. The author's organisation and name are loaded with it
    (one query per page, whatever the number of entries)."""
    values = [DataCategory(category).value for category in categories]
    entries = (
        Entry.objects.filter(household=household, category__in=values)
        .select_related("organisation", "written_by")
        .only(
            "id",
            "household_id",
            "kind",
            "category",
            "text",
            "participants",
            "source",
            "event_code",
            "event_params",
            "file_name",
            "content_type",
            "file_size",
            "created_at",
            "author_role",
            "hidden_from_household",
            "hidden_reason",
            "organisation__name",
            "written_by__full_name",
        )
        .order_by("-created_at", "-pk")
    )
    if not include_hidden:
        entries = entries.filter(hidden_from_household=False)
    kinds = list(kinds)
    if kinds:
        entries = entries.filter(kind__in=kinds)
    if since is not None:
        entries = entries.filter(created_at__gte=since)
    if until is not None:
        entries = entries.filter(created_at__lt=until)
    return entries


def entry_in(household: Household, entry_id: int) -> Entry | None:
    """One entry of ``household`` with its author (one query); None when there is none with that id there."""
    return (
        Entry.objects.filter(household=household, pk=entry_id)
        .select_related("organisation", "written_by", "hidden_by")
        .first()
    )


def hidden_count(household: Household) -> int:
    """How many entries of ``household`` are hidden from it (one query)."""
    return Entry.objects.filter(household=household, hidden_from_household=True).count()


def hidden_reason_counts(household: Household | None = None) -> dict[str, int]:
    """How often each reason was used to hide an entry, for one household or for all (one query); every reason
    is in the answer, also with 0."""
    entries = Entry.objects.filter(hidden_from_household=True)
    if household is not None:
        entries = entries.filter(household=household)
    counts = dict.fromkeys(HiddenReason.values, 0)
    for reason, number in entries.values_list("hidden_reason").annotate(number=Count("pk")).order_by():
        counts[reason] = number
    return counts


@dataclass(frozen=True)
class IntakeView:
    intake: Intake | None
    situations: dict[str, str]  # domain code -> text, only for the domains asked for


def intake_of(household: Household, domains: Iterable[str]) -> IntakeView:
    """The household's intake with who filled it in, and its situation in each of ``domains`` (the ones the
    reader may see, decided by the caller). Two queries, one without an intake."""
    intake = Intake.objects.filter(household=household).select_related("filled_by").first()
    if intake is None:
        return IntakeView(intake=None, situations={})
    codes = list(domains)
    rows = (
        IntakeSituation.objects.filter(intake=intake, domain__in=codes).values_list("domain", "text") if codes else []
    )
    return IntakeView(intake=intake, situations=dict(rows))
