"""A coordinator's "Mijn huishoudens" in a browser.

The coordinator logs in, opens "Mijn huishoudens" from the navigation, searches by name, filters "where I
coordinate", goes to the next page, and opens a household (the household overview). A search that matches
nothing shows what to do. Every page is checked with axe at 1280 and 360 px.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.consent.tests.factories import ConsentGrantFactory, TeamMemberFactory
from samen.households.tests.factories import HouseholdFactory
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from tests_e2e.helpers import check_page, log_in, main_menu, nl, one_run

pytestmark = pytest.mark.e2e

COORDINATED = 27  # two pages of 25 with the filter "where I coordinate"


@pytest.fixture
def coordinator(live_server):
    user = UserFactory(email="regisseur@example.test", full_name="Rik Regisseur")
    wijkteam = OrganisationFactory(name="Wijkteam Noord")
    schuldhulp = OrganisationFactory(name="Schuldhulp Stad", debt_counselling=True)
    MembershipFactory(user=user, organisation=wijkteam, coordinator=True)
    for number in range(COORDINATED):
        household = HouseholdFactory(name=f"Familie Coördinatie {number:02d}")
        TeamMemberFactory(household=household, user=user, organisation=wijkteam, coordinator=True, membership=False)
        ConsentGrantFactory(household=household, organisation=wijkteam)
    for name in ("Familie Bakker", "Familie De Wit"):
        household = HouseholdFactory(name=name)
        TeamMemberFactory(household=household, user=user, organisation=wijkteam, membership=False)
        TeamMemberFactory(household=household, organisation=schuldhulp, coordinator=True)
        ConsentGrantFactory(household=household, organisation=wijkteam)
    return user


def households(count: int) -> str:
    """The heading above the list, in Dutch ("29 huishoudens")."""
    with translation.override("nl"):
        return translation.ngettext("%(counter)s household", "%(counter)s households", count) % {"counter": count}


def results(page: Page):
    return page.locator("#caseload-results")


@one_run
def test_coordinator_searches_filters_pages_and_opens_a_household(page, page_log, coordinator):
    log_in(page, coordinator.email, DEFAULT_PASSWORD)
    main_menu(page).get_by_role("link", name=nl("My households"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("My households"), exact=True)).to_be_visible()
    expect(main_menu(page).get_by_role("link", name=nl("My households"))).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=2, name=households(29), exact=True)).to_be_visible()
    check_page(page)

    page.get_by_label(nl("Search by name")).fill("  bakker ")
    page.get_by_role("button", name=nl("Search"), exact=True).click()
    expect(page.get_by_role("heading", level=2, name=households(1), exact=True)).to_be_visible()
    expect(results(page).get_by_role("link", name="Familie Bakker")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=(%20|\+)*bakker"))
    check_page(page)

    page.get_by_label(nl("Search by name")).fill("")
    page.get_by_label(nl("Show")).select_option("coordinator")
    page.get_by_role("button", name=nl("Search"), exact=True).click()
    expect(page.get_by_role("heading", level=2, name=households(COORDINATED), exact=True)).to_be_visible()
    expect(results(page).get_by_role("link", name="Familie Bakker")).to_have_count(0)
    check_page(page)

    page.get_by_role("link", name=nl("Next"), exact=True).click()
    expect(page.get_by_text(nl("Page %(number)s of %(total)s") % {"number": 2, "total": 2})).to_be_visible()
    expect(page.get_by_label(nl("Show"))).to_have_value("coordinator")
    last = results(page).get_by_role("link", name=f"Familie Coördinatie {COORDINATED - 1:02d}")
    expect(last).to_be_visible()
    check_page(page)

    href = last.get_attribute("href")
    assert re.fullmatch(r"/huishoudens/[0-9]+/", href)
    last.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Familie Coördinatie {COORDINATED - 1:02d}")
    check_page(page)
    page_log.assert_clean()


@one_run
def test_a_search_that_matches_nothing_says_what_to_do(page, page_log, coordinator):
    log_in(page, coordinator.email, DEFAULT_PASSWORD)
    page.goto("/mijn-huishoudens/?q=Zwartjes")
    expect(page.get_by_role("heading", level=2, name=households(0), exact=True)).to_be_visible()
    expect(results(page).get_by_role("link", name=nl("Show all my households"), exact=True)).to_be_visible()
    check_page(page)
    page.get_by_role("link", name=nl("Show all my households"), exact=True).click()
    expect(page.get_by_role("heading", level=2, name=households(29), exact=True)).to_be_visible()
    check_page(page)
    page_log.assert_clean()
