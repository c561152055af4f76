"""What the journeys share: the widths, checking a page (axe, contrast, text size, reflow and clipping), logging in
and out through the real forms, the Dutch of a text."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from tests_e2e.axe import assert_no_horizontal_overflow, axe_violations, format_violations
from tests_e2e.checks import clipping_problems, readability_problems

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


@dataclass(frozen=True)
class PageProblem:
    """What one check found wrong on the current page at one width (``details``: the check's own report)."""

    width: int
    check: str  # "axe", "contrast", "text size", "horizontal overflow", "clipped text" or "broken word"
    details: str

    def __str__(self) -> str:
        return f"at {self.width} px, {self.check}:\n" + "\n".join(f"    {line}" for line in self.details.splitlines())


def page_problems(page: Page) -> list[PageProblem]:
    """Run every page check and return what they found, instead of stopping at the first failing one.

    At 1280 px: axe, and contrast and text size (``tests_e2e.checks``). At 360 px: the same, no sideways
    scrolling, and no text cut off by its container or broken across lines. The window ends at 1280 px.
    """
    problems: list[PageProblem] = []
    for name in (DESKTOP, MOBILE):
        width = VIEWPORTS[name]["width"]
        page.set_viewport_size(VIEWPORTS[name])
        violations = axe_violations(page)
        if violations:
            problems.append(PageProblem(width, "axe", format_violations(violations, where=f"{page.url} at {width} px")))
        found = readability_problems(page)
        if name == MOBILE:
            try:
                assert_no_horizontal_overflow(page)
            except AssertionError as error:
                problems.append(PageProblem(width, "horizontal overflow", str(error)))
            found += clipping_problems(page)
        for check in dict.fromkeys(problem.check for problem in found):
            lines = [f'{item.selector} "{item.text}": {item.detail}' for item in found if item.check == check]
            problems.append(PageProblem(width, check, "\n".join(lines)))
    page.set_viewport_size(VIEWPORTS[DESKTOP])
    return problems


def check_page(page: Page) -> None:
    """Every page check at both widths (``page_problems``); fail once with all they found. The window ends at
    1280 px again."""
    problems = page_problems(page)
    if problems:
        raise AssertionError(
            f"{page.url} fails {len(problems)} check(s):\n" + "\n".join(f"  {problem}" for problem in problems)
        )


def nl(message: str) -> str:
    """The Dutch text the page shows for an English msgid (Dutch is the default language)."""
    with translation.override("nl"):
        return translation.gettext(message)


def nlp(context: str, message: str) -> str:
    """The Dutch of an English msgid with a context (``pgettext``)."""
    with translation.override("nl"):
        return translation.pgettext(context, message)


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


def main_menu(page: Page):
    """The main menu, opened first on a phone (where it is folded behind "Menu", a <details>)."""
    toggle = page.locator("summary.samen-menu__toggle")
    if toggle.is_visible() and page.locator("details.samen-menu[open]").count() == 0:
        toggle.click()
    return page.get_by_role("navigation", name=nl("Main menu"))


def household_menu(page: Page):
    """The household's sub-navigation (Overzicht · Plan · ...), opened first on a phone."""
    toggle = page.locator("summary.samen-subnav__toggle")
    if toggle.is_visible() and page.locator("details.samen-subnav[open]").count() == 0:
        toggle.click()
    return page.locator("details.samen-subnav").get_by_role("navigation")


def open_disclosures(page: Page, summary: str) -> None:
    """Open every disclosure (<details>) on the page whose summary says ``summary`` (e.g. a chart's table)."""
    closed = page.locator("details.samen-disclosure:not([open]) > summary").filter(has_text=summary)
    while closed.count():
        closed.first.click()


def log_out(page: Page) -> None:
    main_menu(page).get_by_role("button", name=nl("Log out"), exact=True).click()
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


def accept_error_status_of_this_page(page: Page, page_log, status: HTTPStatus) -> None:
    """A page served with an error status (404, 429) makes Chromium log "Failed to load resource" for the
    page itself. That one message is expected; it must be there, and any other console error still fails."""
    expected = (
        f"Failed to load resource: the server responded with a status of {status.value} ({status.phrase}) "
        f"(on {page.url})"
    )
    for _ in range(20):  # the console event may trail the page by a moment
        if expected in page_log.console_errors:
            break
        page.wait_for_timeout(50)
    assert expected in page_log.console_errors, page_log.console_errors
    page_log.console_errors.remove(expected)
