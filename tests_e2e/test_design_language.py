"""The design language in a browser: what issue 8 found wrong stays fixed, and the pages work without JavaScript.

- The design catalogue (/ontwerp/, development mode) passes every page check at both widths.
- One sans-serif typeface (Noto Sans, from the tokens) for headings and text, really loaded; blocks never touch.
- The header is compact on a phone: the menu is folded behind "Menu", and opens without JavaScript.
- Without JavaScript a citizen opens the household's sub-navigation and withdraws a consent; the page comes back
  with the row that changed marked and its message in it.
- A paste longer than a note may be is not cut off by the browser: the server says it is too long and keeps it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD
from samen.timeline.models import Entry
from tests_e2e.conftest import DEFAULT_TIMEOUT_MS
from tests_e2e.helpers import (
    MOBILE,
    VIEWPORTS,
    bakker_household,
    check_page,
    household_menu,
    log_in,
    main_menu,
    nl,
    one_run,
)

pytestmark = pytest.mark.e2e


@one_run
def test_the_design_catalogue_shows_every_component_and_passes_the_checks(page, live_server, settings):
    settings.DEBUG = True  # the catalogue answers in development mode only (pytest-django runs tests without it)
    page.goto("/ontwerp/")
    expect(page.get_by_role("heading", level=1, name="Samen's design language")).to_be_visible()
    expect(page.get_by_role("table", name="Mijn huishoudens")).to_be_visible()
    expect(page.get_by_role("img", name="Hoe het gaat")).to_be_visible()
    check_page(page)


_TYPE = """() => {
  const pick = (selector) => getComputedStyle(document.querySelector(selector)).fontFamily;
  return {h1: pick("main h1"), p: pick("main p"), button: pick("main .utrecht-button-link, main .utrecht-button")};
}"""

# The gap between every two neighbouring blocks in the content (and in its sections), in px: blocks must not touch.
_GAPS = """() => {
  const blocks = "h1, h2, h3, p, ul, ol, dl, form, section, article, div.samen-actions, div.samen-page-header";
  const gaps = [];
  for (const container of document.querySelectorAll("main, main section")) {
    const children = Array.from(container.children).filter((el) => el.matches(blocks) && el.offsetHeight > 0);
    for (let i = 1; i < children.length; i++) {
      const above = children[i - 1].getBoundingClientRect(), below = children[i].getBoundingClientRect();
      gaps.push({gap: below.top - above.bottom, what: children[i - 1].tagName + " / " + children[i].tagName});
    }
  }
  return gaps;
}"""


@one_run
def test_one_typeface_from_the_tokens_and_blocks_that_never_touch(page, live_server):
    _household, citizen, _professional = bakker_household()
    log_in(page, citizen.user.email, DEFAULT_PASSWORD)
    page.evaluate("() => document.fonts.ready")
    fonts = page.evaluate(_TYPE)
    for element, family in fonts.items():
        assert family.startswith('"Noto Sans"'), f"{element} is set in {family}, not the token's Noto Sans"
    assert page.evaluate("() => document.fonts.check('700 32px \"Noto Sans\"')"), "Noto Sans did not load"
    for path in ("/", f"/huishoudens/{_household.pk}/plan/", f"/huishoudens/{_household.pk}/wie-mag-wat-zien/"):
        page.goto(path)
        touching = [gap for gap in page.evaluate(_GAPS) if gap["gap"] < 8]
        assert not touching, f"{path}: blocks closer than 8 px: {touching}"


@pytest.fixture
def phone_without_javascript(browser, live_server):
    """A page at 360 px in a browser with JavaScript switched off."""
    context = browser.new_context(
        viewport=VIEWPORTS[MOBILE], base_url=live_server.url, java_script_enabled=False, locale="nl-NL"
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_the_header_is_compact_on_a_phone_and_its_menu_opens_without_javascript(phone_without_javascript):
    page = phone_without_javascript
    _household, citizen, _professional = bakker_household()
    log_in(page, citizen.user.email, DEFAULT_PASSWORD)
    header = page.locator("header.samen-header").bounding_box()
    assert header is not None and header["height"] <= 80, f"the header takes {header} on a phone"
    logout = page.get_by_role("button", name=nl("Log out"), exact=True)
    expect(logout).to_be_hidden()  # folded behind "Menu"
    expect(main_menu(page).get_by_role("button", name=nl("Log out"), exact=True)).to_be_visible()


def test_withdrawing_consent_works_without_javascript_and_marks_the_row(phone_without_javascript):
    page = phone_without_javascript
    household, citizen, professional = bakker_household()
    log_in(page, citizen.user.email, DEFAULT_PASSWORD)
    page.goto(f"/huishoudens/{household.pk}/")
    household_menu(page).get_by_role("link", name=nl("Who may see what"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Who may see what"))).to_be_visible()
    finances = nl("finances and debts").capitalize()
    row = page.locator(f"#organisation-{professional.organisation.pk}")
    row.get_by_role("button", name=f"{nl('Withdraw')}: {finances}", exact=True).click()
    row = page.locator(f"#organisation-{professional.organisation.pk}")
    assert page.url.endswith(f"#organisation-{professional.organisation.pk}")  # the page comes back at the row
    message = nl("%(receiver)s may no longer see %(what)s.") % {
        "receiver": professional.organisation.name,
        "what": nl("your money and debts"),
    }
    expect(row.get_by_role("status").filter(has_text=message)).to_be_visible()
    expect(row).to_have_class("utrecht-table__row samen-matrix__row--changed")
    expect(row.get_by_role("button", name=f"{nl('Allow')}: {finances}", exact=True)).to_be_visible()


@one_run
def test_a_long_paste_into_a_note_is_refused_with_a_message_and_kept_whole(page, live_server):
    household, citizen, _professional = bakker_household()
    log_in(page, citizen.user.email, DEFAULT_PASSWORD)
    page.goto(f"/huishoudens/{household.pk}/")
    note = page.get_by_label(nl("Your note"), exact=True)
    assert note.get_attribute("maxlength") is None  # the browser cuts nothing off
    pasted = "Dit is een lang verhaal. " * 400  # 10,000 characters
    note.fill(pasted)
    expect(page.get_by_text(nl("%(count)s characters too many.").replace("%(count)s", "6.000"))).to_be_visible()
    page.get_by_role("button", name=nl("Save note"), exact=True).click()
    expect(page.locator("#form-errors")).to_contain_text("4000")
    assert page.get_by_label(nl("Your note"), exact=True).input_value() == pasted.replace("\r", "")
    assert not Entry.objects.filter(household=household, kind="note").exists()
    check_page(page)
