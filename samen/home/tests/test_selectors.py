"""The home pages' selectors: k-anonymity, ages, counts."""

import datetime

import pytest
from django.utils import translation

from samen.home.selectors import K_ANONYMITY, citizen_member_table, k_anonymous, policy_figures
from samen.households.selectors import MemberRow, age_in_years, household_figures
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
from samen.organisations.models import Network
from samen.organisations.selectors import networks_with_organisations, organisation_type_figures
from samen.organisations.tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "fewer than 5"), (1, "fewer than 5"), (4, "fewer than 5"), (5, 5), (6, 6)]
)
def test_k_anonymous_suppresses_counts_below_five(count, shown):
    assert K_ANONYMITY == 5
    with translation.override("en"):
        assert k_anonymous(count) == shown


def test_k_anonymous_with_another_k():
    with translation.override("en"):
        assert k_anonymous(9, k=10) == "fewer than 10"
        assert k_anonymous(10, k=10) == 10


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        (datetime.date(1985, 5, 17), datetime.date(2026, 5, 16), 40),
        (datetime.date(1985, 5, 17), datetime.date(2026, 5, 17), 41),
        (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28), 0),
        (datetime.date(2024, 2, 29), datetime.date(2025, 3, 1), 1),
        (None, datetime.date(2026, 1, 1), None),
    ],
)
def test_age_in_years(born, today, age):
    assert age_in_years(born, today) == age


def test_citizen_member_table_plain_words():
    members = [MemberRow("Fatima", "parent", 41, True), MemberRow("Noor", "child", 1, False)]
    with translation.override("en"):
        table = citizen_member_table(members + [MemberRow("Sam", "child", None, False)])
    assert table["headers"] == ["First name", "Relation", "Age"]
    assert table["rows"] == [
        ["Fatima (you)", "Parent", "41 years"],
        ["Noor", "Child", "1 year"],
        ["Sam", "Child", "not known"],
    ]


@pytest.mark.django_db
def test_household_figures_count_households_and_members(django_assert_num_queries):
    HouseholdMemberFactory.create_batch(3, household=HouseholdFactory())
    HouseholdFactory()  # a household without members still counts
    with django_assert_num_queries(1):
        assert household_figures() == {"households": 2, "members": 3}


@pytest.mark.django_db
def test_professional_counts_are_distinct_active_people(django_assert_num_queries):
    organisation = OrganisationFactory()
    twice = MembershipFactory(organisation=organisation)
    MembershipFactory(organisation=organisation, user=twice.user, coordinator=True)  # one person, two roles
    MembershipFactory(organisation=organisation)
    MembershipFactory(organisation=organisation, is_active=False)
    MembershipFactory(organisation=organisation, user__is_active=False)
    other = OrganisationFactory()
    NetworkFactory(organisations=[organisation, other])
    NetworkFactory(organisations=[organisation, OrganisationFactory(is_active=False)])
    with django_assert_num_queries(2):
        networks = networks_with_organisations(Network.objects.all(), with_professional_counts=True)
        counts = {o.name: o.professional_count for n in networks for o in n.organisations.all()}
    assert counts == {organisation.name: 2, other.name: 0}  # inactive organisations are left out


@pytest.mark.django_db
def test_policy_figures_suppress_small_groups_and_show_no_total():
    for _ in range(5):
        MembershipFactory(organisation=OrganisationFactory(debt_counselling=True))
    MembershipFactory(policy_advisor=True)
    HouseholdMemberFactory.create_batch(7, household=HouseholdFactory())
    assert {row["type"]: row["organisations"] for row in organisation_type_figures()} == {
        "debt_counselling": 5,
        "municipality": 1,
    }
    with translation.override("en"):
        figures = policy_figures()
        rows = [[str(cell) for cell in row] for row in figures["type_table"]["rows"]]
    assert figures["households"] == "fewer than 5"
    assert figures["members"] == 7
    assert rows == [
        ["Debt counselling", "5", "5"],
        ["Municipality", "fewer than 5", "fewer than 5"],
    ]
