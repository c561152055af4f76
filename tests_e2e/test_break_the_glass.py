"""Emergency access ("Noodtoegang") in a browser: started with a BSN, stopped early, seen by the household.

A professional of Veilig Thuis Regio, not in the household's team, opens the emergency access form, types a
BSN that fails the elfproef (a clear message), then the household member's synthetic BSN, a legal ground, a
reason and "safety"; lands on the household overview with the emergency banner, and stops the access. The
citizen then sees the highlighted row in "Wie keek in mijn dossier" and the access, with its reason but without
the employee's name, in the emergency section of "Wie mag wat zien". Every page: axe at 1280 and 360 px.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.consent.models import BreakTheGlass
from samen.consent.tests.conftest import synthetic_bsn
from samen.consent.tests.factories import TeamMemberFactory
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from tests_e2e.helpers import check_page, log_in, log_out, nl, one_run

pytestmark = pytest.mark.e2e


BSN = synthetic_bsn(42)  # made up; passes the elfproef
REASON = "Melding van de school: de jongste had blauwe plekken. We moeten nu weten wie er in huis woont."


@pytest.fixture
def household_and_outsider(live_server):
    household = HouseholdFactory(name="Familie Bakker")
    citizen = HouseholdMemberFactory(
        household=household,
        given_name="Fatima",
        user=UserFactory(email="fatima@example.test", full_name="Fatima Bakker"),
        date_of_birth=datetime.date(1985, 5, 17),
        bsn=BSN,
        bsn_is_synthetic=True,
    )
    TeamMemberFactory(household=household, coordinator=True, organisation__name="Jeugdhulp Zuid")
    outsider = MembershipFactory(
        organisation=OrganisationFactory(name="Veilig Thuis Regio"),
        user=UserFactory(email="karel@example.test", full_name="Karel Geheimnaam"),
    )
    return household, citizen.user, outsider.user


def fill_form(page: Page, bsn: str) -> None:
    form = page.get_by_role("main").locator("form").filter(has=page.locator("input[name=bsn]"))
    form.get_by_label(nl("BSN of a member of the household")).fill(bsn)
    form.locator("#ground-meldcode").check()
    form.get_by_label(nl("Why do you need access now?")).fill(REASON)
    form.locator("#category-safety").check()
    form.get_by_label(nl("I understand this is logged and the household and its coordinator will see it.")).check()
    form.get_by_role("button", name=nl("Start emergency access"), exact=True).click()
    page.wait_for_load_state()


@one_run
def test_emergency_access_is_started_stopped_and_shown_to_the_household(page, household_and_outsider):
    household, citizen, outsider = household_and_outsider

    log_in(page, outsider.email, DEFAULT_PASSWORD)
    page.goto("/noodtoegang/")
    expect(page.get_by_role("heading", level=1, name=nl("Emergency access"), exact=True)).to_be_visible()
    check_page(page)

    # A BSN that fails the elfproef: a clear message, nothing started, what was typed kept.
    fill_form(page, "123456789")
    expect(page.get_by_role("alert").first).to_contain_text(nl("Please check what you entered."))
    expect(page.get_by_role("main")).to_contain_text(
        nl("This is not a correct BSN. A BSN has nine digits; check the number and try again.")
    )
    expect(page.get_by_label(nl("Why do you need access now?"))).to_have_value(REASON)
    assert BreakTheGlass.objects.count() == 0
    check_page(page)

    fill_form(page, BSN)
    assert page.url.endswith(f"/huishoudens/{household.pk}/")
    assert BSN not in page.url
    banner = nl(
        "You are using emergency access to this household until %(until)s (Amsterdam time). Everything you open "
        "is logged and shown to the household."
    ).split("%(until)s")[0]
    expect(page.get_by_role("main").get_by_text(banner).first).to_be_visible()
    check_page(page)
    access = BreakTheGlass.objects.get()
    assert (access.household_id, access.user_id, access.categories) == (household.pk, outsider.pk, ["safety"])

    page.get_by_role("button", name=nl("Stop emergency access now"), exact=True).click()
    page.wait_for_load_state()
    stopped = nl("Your emergency access to %(household)s has stopped.") % {"household": "Familie Bakker"}
    expect(page.get_by_role("main").get_by_role("status").filter(has_text=stopped)).to_be_visible()
    access.refresh_from_db()
    assert access.ended_at is not None
    check_page(page)
    log_out(page)

    log_in(page, citizen.email, DEFAULT_PASSWORD)
    page.goto(f"/huishoudens/{household.pk}/wie-keek/")
    expect(page.get_by_role("heading", level=1, name=nl("Who looked at my file"), exact=True)).to_be_visible()
    table = page.get_by_role("table")
    first_row = table.locator("tbody tr").first
    expect(first_row).to_contain_text("Veilig Thuis Regio")
    expect(first_row).to_contain_text(nl("emergency access"), ignore_case=True)
    expect(page.get_by_role("main")).not_to_contain_text("Karel Geheimnaam")
    check_page(page)

    page.goto(f"/huishoudens/{household.pk}/wie-mag-wat-zien/")
    section = page.get_by_role("region", name=nl("Emergency access"), exact=True)
    expect(section).to_contain_text("Veilig Thuis Regio")
    expect(section).to_contain_text(REASON)
    expect(section).not_to_contain_text("Karel Geheimnaam")
    check_page(page)
