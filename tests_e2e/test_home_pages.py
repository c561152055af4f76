"""Each demo login, through the real login form, lands on its role's home page (1280 and 360 px).

The data comes from ``manage.py demo_municipality`` (10 households, seed 2026), so this tests the
demo exactly as ``make run`` serves it: accessible (axe), no sideways scrolling at 360 px, and a
working log-out. Plus the language switch.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import Page, expect

from samen.accounts.models import User
from samen.core.actor import Role
from samen.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DemoLogin
from tests_e2e.axe import assert_no_axe_violations, assert_no_horizontal_overflow
from tests_e2e.helpers import LOGIN_PATH, log_in, log_out, main_menu, nl

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class HomePage:
    heading: str  # the h1 (English msgid)
    texts: tuple[str, ...] = ()  # more visible texts only this role's page shows (whole English msgids)
    role_card: bool = False  # the "Your role" card names the role


HOME_PAGES: dict[Role, HomePage] = {
    Role.CITIZEN: HomePage("My household", ("Who lives in your household", "What do you want to do?")),
    Role.COORDINATOR: HomePage("My work", ("Your networks",), role_card=True),
    Role.PROFESSIONAL: HomePage("My work", ("Your networks",), role_card=True),
    Role.CLIENT_SUPPORTER: HomePage(
        "My work",
        (
            "independent",
            "As an independent client supporter you belong to no care provider. You act only when a resident "
            "asks you to, and only for what they asked.",
        ),
        role_card=True,
    ),
    Role.NETWORK_FACILITATOR: HomePage("My networks", ("Netwerk Noord", "Netwerk Zuid")),
    Role.POLICY_ADVISOR: HomePage("Figures for the municipality", ("Organisations and professionals per type",)),
    Role.FUNCTIONAL_ADMIN: HomePage("Organisations and networks", ("All organisations", "All networks")),
}


@pytest.fixture
def demo_municipality(live_server):
    """The demo municipality in the live server's (transactional) database."""
    call_command("demo_municipality", households=10, seed=2026, verbosity=0)


def test_every_demo_login_has_a_home_page_expectation():
    assert {login.role for login in DEMO_LOGINS} == set(HOME_PAGES)


def _expect_home_page(page: Page, login: DemoLogin) -> None:
    expected = HOME_PAGES[login.role]
    expect(page.get_by_role("heading", level=1, name=nl(expected.heading), exact=True)).to_be_visible()
    main = page.get_by_role("main")
    for text in expected.texts:
        expect(main.get_by_text(nl(text), exact=False).first).to_be_visible()
    if expected.role_card:
        with translation.override("nl"):
            role_label = capfirst(str(login.role.label))
        role_card = main.get_by_role("article").filter(has=page.get_by_text(nl("Your role"), exact=True))
        expect(role_card).to_contain_text(role_label)
    # Logged in as this demo person: the navigation names them.
    full_name = User.objects.get(email=login.email).get_full_name()
    expect(main_menu(page)).to_contain_text(full_name)


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=[login.role.value for login in DEMO_LOGINS])
def test_demo_login_lands_on_its_home_page(page, live_server, demo_municipality, login, viewport):
    log_in(page, login.email, DEMO_PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    _expect_home_page(page, login)
    assert_no_axe_violations(page)
    if viewport["width"] <= 360:
        assert_no_horizontal_overflow(page)

    log_out(page)
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}{LOGIN_PATH}?next=/")


def test_language_switch_to_english_and_back(page, live_server):
    page.goto(LOGIN_PATH)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    dutch_heading = nl("Log in to Samen")
    assert dutch_heading != "Log in to Samen", "the Dutch catalogue of the login page is missing"

    page.get_by_role("button", name="English", exact=True).click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1, name="Log in to Samen", exact=True)).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}{LOGIN_PATH}")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Nederlands", exact=True).click()

    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1, name=dutch_heading, exact=True)).to_be_visible()
