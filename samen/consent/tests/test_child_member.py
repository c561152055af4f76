"""A member of the household under 16 with an account sees general and youth (what is written about them as a
child), not the household's health, mental health, finances, safety or justice. From their 16th birthday, on the
Dutch calendar day, they see everything, like any member. Representatives of a child are not affected."""

import datetime

import pytest
from django.urls import reverse

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import ALL_CATEGORIES, DataCategory
from samen.consent.policies import (
    CHILD_CATEGORIES,
    categories_visible_to,
    citizen_relation,
    full_view_born_on_or_before,
    household_access,
    member_categories,
)
from samen.consent.tests.conftest import act
from samen.consent.tests.factories import RepresentativeFactory
from samen.core.policy import can
from samen.dossier.tests.factories import EntryFactory
from samen.households.models import Relation
from samen.households.tests.factories import CitizenFactory, HouseholdFactory, HouseholdMemberFactory

pytestmark = pytest.mark.django_db

G = DataCategory
UTC = datetime.UTC


def _child(household, born: datetime.date):
    return CitizenFactory(household=household, relation=Relation.CHILD, given_name="Sem", date_of_birth=born)


def test_the_rule_itself():
    today = datetime.date(2026, 6, 15)
    assert member_categories(datetime.date(2010, 6, 15), today) == ALL_CATEGORIES  # 16 today
    assert member_categories(datetime.date(2010, 6, 16), today) == {G.GENERAL, G.YOUTH}  # 16 tomorrow
    assert member_categories(None, today) == CHILD_CATEGORIES  # unknown age: deny by default
    assert full_view_born_on_or_before(today) == datetime.date(2010, 6, 15)
    # Born on 29 February: 16 on that day (16 years later is a leap year too).
    leap_child = datetime.date(2008, 2, 29)
    assert member_categories(leap_child, datetime.date(2024, 2, 28)) == CHILD_CATEGORIES
    assert member_categories(leap_child, datetime.date(2024, 2, 29)) == ALL_CATEGORIES
    assert full_view_born_on_or_before(datetime.date(2028, 2, 29)) == datetime.date(2012, 2, 29)
    # Except across a century that has no 29 February (2100): then whoever was born on 28 February is 16.
    assert full_view_born_on_or_before(datetime.date(2116, 2, 29)) == datetime.date(2100, 2, 28)


def test_a_child_sees_general_and_youth_only_and_an_adult_member_everything():
    household = HouseholdFactory()
    parent = CitizenFactory(household=household, date_of_birth=datetime.date(1985, 5, 17))
    child = _child(household, datetime.date.today().replace(year=datetime.date.today().year - 12, day=1))
    assert categories_visible_to(act(child.user), household) == {G.GENERAL, G.YOUTH}
    assert categories_visible_to(act(parent.user), household) == ALL_CATEGORIES
    for category in (G.HEALTH, G.MENTAL_HEALTH, G.FINANCES, G.SAFETY, G.JUSTICE):
        assert not can(act(child.user), "households.view_category", (household, category))
    assert can(act(child.user), "households.view_category", (household, G.YOUTH))
    # The one gate of a household page answers the same (it is built on the same relation).
    access = household_access(act(child.user), household.pk)
    assert access.visible == {G.GENERAL, G.YOUTH}
    assert access.citizen == citizen_relation(act(child.user), household)
    assert not access.citizen.is_adult_member


def test_turning_16_counts_on_the_dutch_calendar_day(clock):
    household = HouseholdFactory()
    child = _child(household, datetime.date(2010, 6, 15))
    actor = act(child.user)
    # 23:30 in Amsterdam on 14 June (21:30 UTC, summer time): still 15.
    clock.now = datetime.datetime(2026, 6, 14, 21, 30, tzinfo=UTC)
    assert categories_visible_to(actor, household) == {G.GENERAL, G.YOUTH}
    assert household_access(actor, household.pk).visible == {G.GENERAL, G.YOUTH}
    # 00:30 in Amsterdam on 15 June, while it is still 14 June in UTC: 16, the adult view.
    clock.now = datetime.datetime(2026, 6, 14, 22, 30, tzinfo=UTC)
    assert categories_visible_to(actor, household) == ALL_CATEGORIES
    assert household_access(actor, household.pk).visible == ALL_CATEGORIES
    # Deciding on consent still waits until 18.
    assert not can(actor, "consent.manage", household)


def test_a_representative_of_a_child_is_not_affected():
    household = HouseholdFactory()
    child = _child(household, datetime.date(2019, 1, 1))
    parent_elsewhere = RepresentativeFactory(member=child, scope=[]).user  # a parent outside the household
    assert categories_visible_to(act(parent_elsewhere), household) == ALL_CATEGORIES
    scoped = RepresentativeFactory(member=child, scope=[G.GENERAL, G.HEALTH]).user
    assert categories_visible_to(act(scoped), household) == {G.GENERAL, G.HEALTH}


def test_a_child_who_represents_someone_sees_that_scope_too():
    household = HouseholdFactory()
    child = _child(household, datetime.date(2015, 3, 1))
    grandmother = HouseholdMemberFactory(household=household, relation=Relation.GRANDPARENT)
    RepresentativeFactory(member=grandmother, user=child.user, scope=[G.HEALTH])
    assert categories_visible_to(act(child.user), household) == {G.GENERAL, G.YOUTH, G.HEALTH}


def test_the_child_s_pages_leave_out_what_they_may_not_see(client):
    household = HouseholdFactory()
    adult = CitizenFactory(household=household, date_of_birth=datetime.date(1985, 5, 17))
    child = _child(household, datetime.date(2015, 3, 1))
    EntryFactory(household=household, category=G.GENERAL, text="Sem gaat naar de voetbalclub.", written_by=adult.user)
    EntryFactory(household=household, category=G.YOUTH, text="Gesprek met de mentor van Sem.", written_by=adult.user)
    EntryFactory(household=household, category=G.HEALTH, text="Mama heeft een operatie.", written_by=adult.user)
    EntryFactory(household=household, category=G.FINANCES, text="Achterstand bij de huur.", written_by=adult.user)
    client.force_login(child.user, backend="samen.accounts.backends.SamenBackend")
    for name in ("dossier:overview", "dossier:timeline"):
        html = client.get(reverse(name, args=[household.pk])).content.decode()
        assert "Sem gaat naar de voetbalclub." in html and "Gesprek met de mentor van Sem." in html, name
        assert "Mama heeft een operatie." not in html and "Achterstand bij de huur." not in html, name
    # The adult sees all four.
    client.force_login(adult.user, backend="samen.accounts.backends.SamenBackend")
    html = client.get(reverse("dossier:timeline", args=[household.pk])).content.decode()
    assert "Mama heeft een operatie." in html and "Achterstand bij de huur." in html


def test_a_member_without_an_account_changes_nothing_for_the_others():
    household = HouseholdFactory()
    parent = CitizenFactory(household=household, date_of_birth=datetime.date(1985, 5, 17))
    HouseholdMemberFactory(household=household, relation=Relation.CHILD, date_of_birth=datetime.date(2020, 1, 1))
    assert categories_visible_to(act(parent.user), household) == ALL_CATEGORIES
    stranger = UserFactory()
    assert categories_visible_to(act(stranger), household) == frozenset()
