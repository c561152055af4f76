"""Household selectors: households by size in one query that does not grow with the number of households."""

import pytest

from samen.core.testing import count_queries
from samen.households.models import Household, HouseholdMember
from samen.households.selectors import HOUSEHOLD_SIZES, HouseholdSizeFigures, household_size_figures
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory

pytestmark = pytest.mark.django_db


def add_households(sizes: list[int]) -> None:
    """One household per entry, with that many members (bulk inserts: this test is about reads)."""
    households = Household.objects.bulk_create(HouseholdFactory.build_batch(len(sizes)))
    members = [
        HouseholdMemberFactory.build(household=household, bsn="")
        for household, size in zip(households, sizes, strict=True)
        for _ in range(size)
    ]
    HouseholdMember.objects.bulk_create(members)


def test_households_by_size_count_members_per_household():
    add_households([1, 1, 2, 3, 3, 3, 5, 6, 7, 11])
    assert household_size_figures() == HouseholdSizeFigures(
        households={1: 2, 2: 1, 3: 3, 4: 0, 5: 1, 6: 3},
        members=1 + 1 + 2 + 3 + 3 + 3 + 5 + 6 + 7 + 11,
    )


def test_every_size_class_is_there_even_when_empty():
    assert household_size_figures() == HouseholdSizeFigures(households=dict.fromkeys(HOUSEHOLD_SIZES, 0), members=0)
    assert list(household_size_figures().households) == [1, 2, 3, 4, 5, 6]


def test_households_without_members_have_no_size():
    add_households([2, 2])
    HouseholdFactory.create_batch(3)
    figures = household_size_figures()
    assert sum(figures.households.values()) == 2
    assert figures.households[2] == 2 and figures.members == 4


def test_one_query_for_10_and_for_100_households():
    add_households([size % 8 + 1 for size in range(10)])
    assert count_queries(household_size_figures) == 1
    add_households([size % 8 + 1 for size in range(90)])
    assert count_queries(household_size_figures) == 1
    assert sum(household_size_figures().households.values()) == 100
