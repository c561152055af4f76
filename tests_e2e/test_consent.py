"""The citizen decides who sees what: "Wie mag wat zien" in a browser.

The citizen logs in, follows the link on the home page, withdraws Wijkteam Noord's access to money and
debts, sees the message and the updated matrix; Wijkteam Noord's professional then logs in and no longer
sees finances (asserted through the policy in the test process: the live server shares the database, and
there is no professional household page yet). Every page is checked with axe at 1280 and 360 px.
"""

from __future__ import annotations

import datetime
from http import HTTPStatus

import pytest
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.consent.models import DataCategory
from samen.consent.policies import categories_visible_to
from samen.consent.tests.factories import ConsentGrantFactory, TeamMemberFactory
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
from samen.organisations.actors import actor_for_user
from tests_e2e.helpers import check_page, log_in, log_out, nl, one_run
from tests_e2e.test_accounts import accept_error_status_of_this_page

pytestmark = pytest.mark.e2e


@pytest.fixture
def household_with_team(live_server):
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
    coordinator = TeamMemberFactory(household=household, coordinator=True, organisation__name="Jeugdhulp Zuid")
    TeamMemberFactory(household=household, informal=True, user__full_name="Ans de Buurvrouw")
    for category in (DataCategory.GENERAL, DataCategory.FINANCES):
        ConsentGrantFactory(household=household, organisation=professional.organisation, category=category)
    ConsentGrantFactory(household=household, organisation=coordinator.organisation, category=DataCategory.GENERAL)
    return household, citizen.user, professional.user


@one_run
def test_citizen_withdraws_finances_and_the_professional_no_longer_sees_them(page, page_log, household_with_team):
    household, citizen, professional = household_with_team
    assert DataCategory.FINANCES in categories_visible_to(actor_for_user(professional), household)

    log_in(page, citizen.email, DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", level=1, name=nl("My household"), exact=True)).to_be_visible()
    check_page(page)

    page.get_by_role("link", name=nl("Decide who may see what"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Who may see what"), exact=True)).to_be_visible()
    check_page(page)

    finances = nl("finances and debts").capitalize()
    wijkteam = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Wijkteam Noord"))
    withdraw = wijkteam.get_by_role("button", name=f"{nl('Withdraw')}: {finances}", exact=True)
    allow = wijkteam.get_by_role("button", name=f"{nl('Allow')}: {finances}", exact=True)
    # Withdrawing looks like allowing: the same (secondary) button, equal weight.
    other_allow = wijkteam.get_by_role("button", name=nl("Allow"), exact=False).first
    assert withdraw.get_attribute("class") == other_allow.get_attribute("class")
    withdraw.click()

    message = nl("%(receiver)s may no longer see %(what)s.") % {
        "receiver": "Wijkteam Noord",
        "what": nl("your money and debts"),
    }
    # The message and the focus land on the row that changed, not at the top of the page.
    expect(wijkteam.get_by_role("status").filter(has_text=message)).to_be_visible()
    expect(wijkteam).to_be_focused()
    expect(allow).to_be_visible()
    check_page(page)
    log_out(page)

    log_in(page, professional.email, DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", level=1, name=nl("My work"), exact=True)).to_be_visible()
    check_page(page)
    visible = categories_visible_to(actor_for_user(professional), household)
    assert DataCategory.FINANCES not in visible
    assert DataCategory.GENERAL in visible
    # The consent page is the household's, not the professional's: it answers 404.
    response = page.goto(f"/huishoudens/{household.pk}/wie-mag-wat-zien/")
    assert response is not None and response.status == 404
    accept_error_status_of_this_page(page, page_log, HTTPStatus.NOT_FOUND)
    check_page(page)
