"""Reads for the overview: the latest notes per category, the members, the team summary."""

import datetime

import pytest
from django.utils import timezone

from samen.consent.models import DataCategory
from samen.core.testing import count_queries
from samen.dossier import selectors
from samen.dossier.tests.factories import EntryFactory
from samen.households.tests.factories import HouseholdFactory
from samen.timeline.models import Entry

pytestmark = pytest.mark.django_db

G = DataCategory


def _notes(household, category, count, *, start=None):
    start = start or timezone.now() - datetime.timedelta(days=count + 1)
    return Entry.objects.bulk_create(
        [
            Entry(
                household=household,
                category=category,
                text=f"{category} {i}",
                written_by=household_user(household),
                author_role="citizen",
                created_at=start + datetime.timedelta(days=i),
            )
            for i in range(count)
        ]
    )


def household_user(household):
    return household.members.filter(user__isnull=False).first().user


def test_latest_notes_newest_first_at_most_ten_per_category(setting):
    household = setting.household
    _notes(household, G.GENERAL, 15)
    _notes(household, G.FINANCES, 3)
    _notes(household, G.HEALTH, 4)
    notes = selectors.latest_notes(household, [G.GENERAL, G.FINANCES, G.YOUTH])
    assert [entry.text for entry in notes["general"]] == [f"general {i}" for i in range(14, 4, -1)]
    assert [entry.text for entry in notes["finances"]] == ["finances 2", "finances 1", "finances 0"]
    assert notes["youth"] == []
    assert "health" not in notes  # not asked for: never loaded


def test_latest_notes_only_of_this_household(setting):
    _notes(setting.household, G.GENERAL, 2)
    EntryFactory(household=setting.other_household, text="Andere familie")
    texts = [entry.text for entry in selectors.latest_notes(setting.household, [G.GENERAL])["general"]]
    assert "Andere familie" not in texts and len(texts) == 2


def test_latest_notes_is_one_query_whatever_the_number_of_notes(setting):
    _notes(setting.household, G.GENERAL, 5)
    few = count_queries(lambda: [len(v) for v in selectors.latest_notes(setting.household, list(G)).values()])
    _notes(setting.household, G.GENERAL, 500)
    _notes(setting.household, G.FINANCES, 500)
    many = count_queries(lambda: [len(v) for v in selectors.latest_notes(setting.household, list(G)).values()])
    assert few == many == 1


def test_latest_notes_without_categories_asks_nothing():
    household = HouseholdFactory()
    assert count_queries(selectors.latest_notes, household, []) == 0


def test_latest_notes_load_the_organisation(setting):
    EntryFactory(household=setting.household, organisation=setting.schuldhulp, author_role="professional")
    (entry,) = selectors.latest_notes(setting.household, [G.GENERAL])["general"]
    assert count_queries(lambda: entry.organisation.name) == 0


def test_member_rows(setting):
    rows = selectors.member_rows(setting.household, user_id=setting.citizen.pk, today=datetime.date(2026, 1, 1))
    assert [(row.name, row.age, row.is_self) for row in rows] == [
        ("Grietje Bakker", 85, False),
        ("Fatima Bakker", 40, True),
    ]


def test_team_summary(setting):
    summary = selectors.team_summary(setting.household)
    assert summary.coordinator_name == "Kees Regisseur"
    assert summary.coordinator_organisation == "Wijkteam Noord"
    # informal x2, professional, supporter, expired, revoked (the coordinator not counted)
    assert summary.others == 6


def test_team_summary_without_a_team():
    summary = selectors.team_summary(HouseholdFactory())
    assert summary.coordinator_name == "" and summary.others == 0
