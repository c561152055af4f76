"""What the journeys share: the widths, checking a page (axe at both widths), logging in and out through the real
forms, the Dutch of a text."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from tests_e2e.axe import assert_no_axe_violations, assert_no_horizontal_overflow

LOGIN_PATH = "/account/inloggen/"

# The two widths every journey runs at (the ``viewport`` fixture); pin one with
# ``@pytest.mark.parametrize("viewport", [DESKTOP], indirect=True)``.
DESKTOP = "1280px"
MOBILE = "360px"
VIEWPORTS = {
    DESKTOP: {"width": 1280, "height": 800},
    MOBILE: {"width": 360, "height": 740},
}

# A journey that runs once, at 1280 px, and checks every page it visits at both widths with ``check_page``.
one_run = pytest.mark.parametrize("viewport", [DESKTOP], indirect=True)


def check_page(page: Page) -> None:
    """axe at 1280 px, then axe and no sideways scrolling at 360 px; the window ends at 1280 px again."""
    page.set_viewport_size(VIEWPORTS[DESKTOP])
    assert_no_axe_violations(page)
    page.set_viewport_size(VIEWPORTS[MOBILE])
    assert_no_axe_violations(page)
    assert_no_horizontal_overflow(page)
    page.set_viewport_size(VIEWPORTS[DESKTOP])


def nl(message: str) -> str:
    """The Dutch text the page shows for an English msgid (Dutch is the default language)."""
    with translation.override("nl"):
        return translation.gettext(message)


def login_form(page: Page):
    return page.locator("main form").filter(has=page.locator("input[type=password]"))


def log_in(page: Page, email: str, password: str) -> None:
    """Open the login page and submit the form as a person would: type, then click the button."""
    page.goto(LOGIN_PATH)
    form = login_form(page)
    form.get_by_label(nl("E-mail address")).fill(email)
    form.get_by_label(nl("Password"), exact=True).fill(password)
    form.get_by_role("button", name=nl("Log in"), exact=True).click()
    page.wait_for_load_state()


def log_out(page: Page) -> None:
    page.get_by_role("navigation").get_by_role("button", name=nl("Log out"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Log in to Samen"))).to_be_visible()
    expect(page.get_by_role("main").get_by_text(nl("You are logged out."))).to_be_visible()


def bakker_household(*, organisation: str = "Schuldhulp Zuid", categories=("general", "finances")):
    """The journeys' household: Familie Bakker with Fatima (who logs in as fatima@example.test) and a professional,
    Sanne de Vries (sanne@example.test) of ``organisation``, which the household allowed ``categories``. Fixed
    names, so a journey may say a name is absent. Returns (household, Fatima's member, Sanne's team member)."""
    import datetime

    from samen.accounts.tests.factories import UserFactory
    from samen.consent.tests.factories import ConsentGrantFactory
    from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory, TeamMemberFactory

    household = HouseholdFactory(name="Familie Bakker")
    citizen = HouseholdMemberFactory(
        household=household,
        given_name="Fatima",
        family_name="Bakker",
        user=UserFactory(email="fatima@example.test", full_name="Fatima Bakker"),
        date_of_birth=datetime.date(1985, 5, 17),
    )
    professional = TeamMemberFactory(
        household=household,
        organisation__name=organisation,
        user=UserFactory(email="sanne@example.test", full_name="Sanne de Vries"),
    )
    for category in categories:
        ConsentGrantFactory(household=household, organisation=professional.organisation, category=category)
    return household, citizen, professional
