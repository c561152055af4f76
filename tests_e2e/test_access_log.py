"""The citizen sees who looked: "Wie keek in mijn dossier" in a browser.

A professional of Wijkteam Noord (with consent for finances) reads the household's finances: there is no
professional household page yet, so the access entry is written in the test process with
``samen.core.audit.record`` for that professional's actor (the live server shares the database). The citizen
then logs in, follows the link on the home page and sees Wijkteam Noord's access (organisation, role,
"bekeken", the category), without the employee's name. Every page is checked with axe at 1280 and 360 px.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.consent.models import DataCategory
from samen.consent.tests.factories import ConsentGrantFactory, TeamMemberFactory
from samen.core import audit
from samen.core.actor import Role
from samen.core.models import AuditAction
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
from samen.organisations.actors import actor_for_user
from tests_e2e.helpers import check_page, log_in, nl, one_run

pytestmark = pytest.mark.e2e


@pytest.fixture
def household_with_access(live_server):
    household = HouseholdFactory(name="Familie Bakker")
    citizen = HouseholdMemberFactory(
        household=household,
        given_name="Fatima",
        user=UserFactory(email="fatima@example.test", full_name="Fatima Bakker"),
        date_of_birth=datetime.date(1985, 5, 17),
    )
    professional = TeamMemberFactory(
        household=household,
        organisation__name="Wijkteam Noord",
        user=UserFactory(email="sanne@example.test", full_name="Sanne de Vries"),
    )
    for category in (DataCategory.GENERAL, DataCategory.FINANCES):
        ConsentGrantFactory(household=household, organisation=professional.organisation, category=category)
    # The professional reads the household's finances (what their page will record once it exists).
    audit.record(
        actor=actor_for_user(professional.user),
        action=AuditAction.READ,
        obj=household,
        household_id=household.pk,
        data_category=DataCategory.FINANCES.value,
    )
    return household, citizen.user


@one_run
def test_citizen_sees_which_organisation_looked_without_the_employees_name(page, household_with_access):
    household, citizen = household_with_access

    log_in(page, citizen.email, DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", level=1, name=nl("My household"), exact=True)).to_be_visible()
    check_page(page)

    page.get_by_role("link", name=nl("See who looked"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Who looked at my file"), exact=True)).to_be_visible()
    assert page.url.endswith(f"/huishoudens/{household.pk}/wie-keek/")
    check_page(page)

    table = page.get_by_role("table", name=nl("Who looked at your information"))
    row = table.get_by_role("row").filter(has_text="Wijkteam Noord")
    expect(row).to_have_count(1)
    for text in (
        nl(str(Role.PROFESSIONAL.label)).capitalize(),
        nl("read").capitalize(),
        nl("finances and debts").capitalize(),
        "1 keer",
    ):
        expect(row).to_contain_text(text)
    main = page.get_by_role("main")
    expect(main).not_to_contain_text("Sanne")
    expect(main).not_to_contain_text("sanne@example.test")

    # A wrong date gives a clear message, the last three months, and the same access.
    page.get_by_text(nl("Choose a period"), exact=True).first.click()  # the period is behind a disclosure
    page.get_by_label(nl("From"), exact=True).fill("2020-02-02")
    page.get_by_label(nl("Until"), exact=True).fill("2020-01-01")
    page.get_by_role("button", name=nl("Show"), exact=True).click()
    expect(main.get_by_text(nl("The first date must be before the last date.")).first).to_be_visible()
    expect(main.get_by_text(nl("We show the last three months instead."))).to_be_visible()
    expect(page.get_by_role("table", name=nl("Who looked at your information"))).to_contain_text("Wijkteam Noord")
    check_page(page)
