"""The social map in a browser: a resident opens her plan, chooses "Find help", searches "schulden", filters to free
help, opens a result and puts it in the plan as an action; the plan then names the service. Every page passes axe
and the page checks (contrast, overflow) at 360 and 1280 px (check_page)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.households.tests.factories import CitizenFactory, HouseholdFactory
from samen.plans.tests.factories import GoalFactory, PlanFactory
from samen.socialmap import indexing
from samen.socialmap.tests.factories import CostOptionFactory, DirectoryOrganizationFactory, indexed_service
from tests_e2e.helpers import check_page, log_in, nl

pytestmark = pytest.mark.e2e


@pytest.fixture
def resident(live_server):
    household = HouseholdFactory(name="Familie Jansen")
    citizen = CitizenFactory(household=household, given_name="Mila", family_name="Jansen", user=UserFactory())
    GoalFactory(plan=PlanFactory(household=household), text="Rust in mijn geldzaken")
    free = indexed_service(
        name="Schuldhulpverlening",
        description="Hulp als u schulden heeft die u niet meer zelf kunt betalen.",
        organization=DirectoryOrganizationFactory(name="Schuldhulp Voorbeeldstad"),
    )
    paid = indexed_service(
        name="Schuldbemiddeling Plus", description="Bemiddeling bij schulden.",
        organization=DirectoryOrganizationFactory(name="Bureau Geldzaken"),
    )  # fmt: skip
    CostOptionFactory(service=free, amount=0)
    CostOptionFactory(service=paid, amount=75, option="Per gesprek")
    indexing.reindex([free.pk, paid.pk])
    return household, citizen.user


def test_the_resident_finds_free_debt_help_and_puts_it_in_her_plan(page, resident):
    household, user = resident
    log_in(page, user.email, DEFAULT_PASSWORD)
    page.goto(f"/huishoudens/{household.pk}/plan/")
    page.get_by_role("main").get_by_role("link", name=nl("Find help")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Find help"))
    check_page(page)

    main = page.get_by_role("main")
    main.get_by_role("searchbox", name=nl("What are you looking for?")).fill("schulden")
    main.get_by_role("button", name=nl("Search")).click()
    results = main.locator("#socialmap-results")
    expect(results.get_by_role("article", name="Schuldbemiddeling Plus")).to_be_visible()
    expect(results.get_by_role("article", name="Schuldhulpverlening")).to_be_visible()

    main.get_by_text(nl("Filters")).click()
    main.get_by_label(nl("Free of charge")).check()
    main.get_by_role("button", name=nl("Search")).click()
    expect(results.get_by_role("article", name="Schuldbemiddeling Plus")).to_have_count(0)
    result = results.get_by_role("article", name="Schuldhulpverlening")
    expect(result).to_contain_text(re.compile(nl("free"), re.IGNORECASE))  # a badge, capitalised by CSS
    check_page(page)

    result.get_by_role("link", name="Schuldhulpverlening", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schuldhulpverlening")
    check_page(page)
    page.get_by_role("main").get_by_role("link", name=nl("Put in the plan")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Put in the plan"))
    check_page(page)
    page.get_by_role("main").get_by_role("button", name=nl("Put in the plan")).click()

    expect(page.get_by_role("main")).to_contain_text("Schuldhulpverlening")
    expect(page.get_by_role("main").get_by_role("link", name="Schuldhulpverlening", exact=True)).to_be_visible()
    check_page(page)
