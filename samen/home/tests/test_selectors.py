"""The home pages' selectors: k-anonymity, ages, counts."""

import datetime

import pytest
from django.utils import translation

from samen.home.selectors import citizen_member_table, household_size_label, policy_figures
from samen.households.selectors import MemberRow, age_in_years, household_figures
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
from samen.organisations.models import Network, OrganisationType
from samen.organisations.selectors import networks_with_organisations, organisation_type_figures
from samen.organisations.tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory


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


def _households(size: int, count: int) -> None:
    for _ in range(count):
        HouseholdMemberFactory.create_batch(size, household=HouseholdFactory())


def test_household_size_labels():
    with translation.override("en"):
        assert [household_size_label(size) for size in (1, 2, 5, 6, 9)] == [
            "1 person",
            "2 people",
            "5 people",
            "6 or more people",
            "6 or more people",
        ]
    with translation.override("nl"):
        assert [household_size_label(size) for size in (1, 2, 6)] == ["1 persoon", "2 personen", "6 of meer personen"]


@pytest.mark.django_db
def test_policy_figures_show_organisations_as_is_and_protect_professionals():
    for _ in range(5):
        MembershipFactory(organisation=OrganisationFactory(debt_counselling=True))
    youth_care = OrganisationFactory(youth_care=True)
    MembershipFactory.create_batch(7, organisation=youth_care)
    MembershipFactory(policy_advisor=True)  # one municipality with one professional
    assert {row["type"]: row["professionals"] for row in organisation_type_figures()} == {
        "debt_counselling": 5,
        "municipality": 1,
        "youth_care": 7,
    }
    with translation.override("en"):
        table = policy_figures()["type_table"]
    assert table["rows"] == [
        ["Debt counselling", 5, 5],
        ["Municipality", 1, "fewer than 5"],
        ["Youth care", 1, 7],
    ]
    # With a total of 13, even hiding 5 and 7 too would tell that the municipality has at most 3
    # (13 - 5 - 5): no hiding protects it, so the total of professionals is left out instead.
    assert table["footer"] == ["Total", 7, "not shown"]


@pytest.mark.django_db
def test_policy_figures_hide_a_second_type_to_protect_a_small_one():
    for count, kind in (
        (5, OrganisationType.DEBT_COUNSELLING),
        (9, OrganisationType.YOUTH_CARE),
        (20, OrganisationType.NEIGHBOURHOOD_TEAM),
    ):
        MembershipFactory.create_batch(count, organisation=OrganisationFactory(type=kind))
    MembershipFactory(policy_advisor=True)
    with translation.override("en"):
        table = policy_figures()["type_table"]
    assert [row[2] for row in table["rows"]] == [5, "fewer than 5", 20, "not shown"]
    assert table["footer"] == ["Total", 4, 35]


@pytest.mark.django_db
def test_policy_figures_households_by_size_protect_small_classes(django_assert_num_queries):
    _households(1, 9)
    _households(2, 7)
    _households(3, 6)
    _households(4, 5)
    _households(6, 2)  # 6 or more: fewer than 5; with the total, the 5-person class (0) is hidden by itself
    HouseholdMemberFactory.create_batch(8, household=HouseholdFactory())  # 8 people: also "6 or more"
    with translation.override("en"), django_assert_num_queries(2):
        figures = policy_figures()
    chart = figures["size_chart"]
    assert chart["headers"] == ["Household size", "Households"]
    assert chart["rows"] == [
        ["1 person", 9],
        ["2 people", 7],
        ["3 people", "not shown"],
        ["4 people", 5],
        ["5 people", "fewer than 5"],
        ["6 or more people", "fewer than 5"],
    ]
    # The small classes (0 and 3) alone add up to 30 - 21 = 3: neither could be 4. Hiding the 5 would
    # not help (8 in all, the 5 at least 5, so the small ones still at most 3); hiding the 6 does:
    # 9 for the three hidden classes, and each small one can be anything from 0 to 4.
    assert figures["households"] == 30
    assert chart["footer"] == ["Total", 30]
    assert figures["members"] == "not shown"  # members = sum of size x households would narrow them down


@pytest.mark.django_db
def test_policy_figures_hide_the_next_class_when_one_class_is_small():
    _households(1, 9)
    _households(2, 12)
    _households(3, 10)
    _households(4, 14)
    _households(5, 8)
    _households(6, 1)
    with translation.override("en"):
        figures = policy_figures()
    shown = dict(figures["size_chart"]["rows"])
    assert shown["6 or more people"] == "fewer than 5"
    # 54 - (9 + 12 + 10 + 14) = 9 for the two hidden classes: 4 + 5 ... 0 + 9 all fit the labels.
    assert shown["5 people"] == "not shown"
    assert [shown[label] for label in ("1 person", "2 people", "3 people", "4 people")] == [9, 12, 10, 14]
    assert figures["households"] == 54
    assert figures["members"] == "not shown"


@pytest.mark.django_db
def test_policy_figures_show_members_when_no_class_is_hidden():
    for size in range(1, 7):
        _households(size, 5)
    with translation.override("en"):
        figures = policy_figures()
    assert [row[1] for row in figures["size_chart"]["rows"]] == [5] * 6
    assert figures["households"] == 30
    assert figures["members"] == 5 * (1 + 2 + 3 + 4 + 5 + 6)


@pytest.mark.django_db
def test_policy_figures_without_households():
    with translation.override("en"):
        figures = policy_figures()
    assert figures["households"] == "fewer than 5"
    assert figures["members"] == "not shown"
    assert {row[1] for row in figures["size_chart"]["rows"]} == {"fewer than 5"}
    assert figures["type_table"]["rows"] == []
