"""A coordinator's work queue in a browser.

The coordinator has an action past its date in one of their households. They log in and see it on their home
page under "Wat vraagt je aandacht", follow the link to "Mijn huishoudens" (showing only the households with
actions past their date), show all their households (what needs attention first), sort by name, and open the
household. Every page is checked with axe at 1280 and 360 px.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.consent.tests.factories import ConsentGrantFactory, TeamMemberFactory
from samen.households.tests.factories import HouseholdFactory
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from samen.plans.tests.factories import ActionFactory, GoalFactory, PlanFactory
from tests_e2e.helpers import check_page, log_in, nl, one_run

pytestmark = pytest.mark.e2e

LATE = "Brief van de woningcorporatie samen beantwoorden"


@pytest.fixture
def coordinator(live_server):
    """A coordinator of Wijkteam Noord in three households; in Familie Zwart an action is two days late."""
    user = UserFactory(email="regisseur@example.test", full_name="Rik Regisseur")
    wijkteam = OrganisationFactory(name="Wijkteam Noord")
    MembershipFactory(user=user, organisation=wijkteam, coordinator=True)
    for name in ("Familie Aalbers", "Familie Bakker", "Familie Zwart"):
        household = HouseholdFactory(name=name)
        TeamMemberFactory(household=household, user=user, organisation=wijkteam, coordinator=True, membership=False)
        ConsentGrantFactory(household=household, organisation=wijkteam)
    goal = GoalFactory(plan=PlanFactory(household=household), text="We willen een droog huis.")
    ActionFactory(goal=goal, text=LATE, due_date=timezone.localdate() - datetime.timedelta(days=2))
    return user


def dutch(singular: str, plural: str, count: int, **values) -> str:
    with translation.override("nl"):
        return translation.ngettext(singular, plural, count) % {**values, "count": count, "counter": count}


def households_on_the_page(page: Page) -> list[str]:
    return page.locator("#caseload-results").get_by_role("rowheader").all_inner_texts()


@one_run
def test_the_coordinator_follows_the_work_queue_to_the_household(page, page_log, coordinator):
    log_in(page, coordinator.email, DEFAULT_PASSWORD)
    attention = page.get_by_role("region", name=nl("What needs your attention"))
    expect(attention.get_by_role("heading", level=2)).to_have_text(nl("What needs your attention"))
    late = dutch("%(count)d action past its date", "%(count)d actions past their date", 1)
    expect(attention.get_by_role("link", name=late, exact=True)).to_be_visible()
    expect(attention.get_by_text(nl("Nothing needs your attention today."))).to_have_count(0)
    check_page(page)

    # The link shows the households with actions past their date.
    attention.get_by_role("link", name=late, exact=True).click()
    expect(page).to_have_url(re.compile(r"/mijn-huishoudens/\?filter=overdue$"))
    expect(page.get_by_role("heading", level=1, name=nl("My households"), exact=True)).to_be_visible()
    expect(page.get_by_label(nl("Show"))).to_have_value("overdue")
    expect(
        page.get_by_role("heading", level=2, name=dutch("%(counter)s household", "%(counter)s households", 1))
    ).to_be_visible()
    assert households_on_the_page(page) == ["Familie Zwart"]
    check_page(page)

    # All households: what needs attention first, then by name.
    page.get_by_label(nl("Show")).select_option("")
    page.get_by_role("button", name=nl("Search"), exact=True).click()
    expect(
        page.get_by_role("heading", level=2, name=dutch("%(counter)s household", "%(counter)s households", 3))
    ).to_be_visible()
    assert households_on_the_page(page) == ["Familie Zwart", "Familie Aalbers", "Familie Bakker"]
    check_page(page)

    # Sorted by name.
    page.locator("#caseload-results").get_by_role("link", name=nl("name"), exact=True).click()
    expect(page).to_have_url(re.compile(r"sort=name"))
    expect(page.locator("#caseload-results").get_by_role("rowheader").first).to_have_text("Familie Aalbers")
    assert households_on_the_page(page) == ["Familie Aalbers", "Familie Bakker", "Familie Zwart"]
    check_page(page)

    # The household itself.
    link = page.locator("#caseload-results").get_by_role("link", name="Familie Zwart", exact=True)
    href = link.get_attribute("href")
    assert re.fullmatch(r"/huishoudens/[0-9]+/", href)
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Familie Zwart")
    check_page(page)
    page_log.assert_clean()
