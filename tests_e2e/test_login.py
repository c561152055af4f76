"""The login page in a browser: accessible at 1280 and 360 px, and clear about bad input."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from tests_e2e.axe import assert_no_axe_violations, assert_no_horizontal_overflow
from tests_e2e.helpers import DESKTOP, LOGIN_PATH, MOBILE, log_in, login_form, nl

pytestmark = pytest.mark.e2e


def _error_summary(page):
    return page.locator("#form-errors")


def test_login_page_is_accessible_and_fits(page):
    page.goto(LOGIN_PATH)

    expect(page).to_have_title(f"{nl('Log in')} · Samen")
    expect(page.get_by_role("heading", level=1, name=nl("Log in to Samen"))).to_be_visible()
    form = login_form(page)
    expect(form.get_by_label(nl("E-mail address"))).to_be_visible()
    expect(form.get_by_label(nl("Password"), exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    assert_no_horizontal_overflow(page)


def test_empty_login_says_what_is_missing(page):
    page.goto(LOGIN_PATH)
    login_form(page).get_by_role("button", name=nl("Log in"), exact=True).click()

    summary = _error_summary(page)
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(nl("Please check what you entered."))
    expect(summary).to_contain_text(nl("Enter your e-mail address."))
    expect(summary).to_contain_text(nl("Enter your password."))
    email = login_form(page).get_by_label(nl("E-mail address"))
    expect(email).to_have_attribute("aria-invalid", "true")
    # The summary is focused (samen.js) so a screen reader announces it.
    expect(summary).to_be_focused()
    assert_no_axe_violations(page)
    assert_no_horizontal_overflow(page)


@pytest.mark.parametrize("viewport", [DESKTOP], indirect=True)
def test_wrong_password_and_unknown_address_get_the_same_neutral_message(page, transactional_db):
    user = UserFactory(email="bekend@example.test")
    neutral = nl("The e-mail address or password is not right. Please try again.")

    log_in(page, user.email, DEFAULT_PASSWORD + "-wrong")
    expect(_error_summary(page)).to_contain_text(neutral)
    expect(login_form(page).get_by_label(nl("E-mail address"))).to_have_value(user.email)
    expect(login_form(page).get_by_label(nl("Password"), exact=True)).to_have_value("")
    wrong_password_text = _error_summary(page).inner_text()
    assert_no_axe_violations(page)

    log_in(page, "onbekend@example.test", DEFAULT_PASSWORD)
    expect(_error_summary(page)).to_contain_text(neutral)
    assert _error_summary(page).inner_text() == wrong_password_text
    assert page.url.endswith(LOGIN_PATH)


def test_script_in_the_email_address_is_shown_as_text(page, page_log):
    typed = '<script>alert("samen")</script>@example.test'

    log_in(page, typed, "whatever-it-is")

    expect(_error_summary(page)).to_be_visible()
    expect(login_form(page).get_by_label(nl("E-mail address"))).to_have_value(typed)
    assert page.locator("script:not([src])").count() == 0
    assert "<script>" not in page.locator("main").inner_html().replace("&lt;script&gt;", "")
    assert page_log.dialogs == []
    assert_no_axe_violations(page)


@pytest.mark.parametrize("viewport", [MOBILE], indirect=True)
def test_very_long_email_address_gets_a_clear_message(page):
    typed = "a" * 300 + "@example.test"

    log_in(page, typed, "whatever-it-is")

    summary = _error_summary(page)
    expect(summary).to_be_visible()
    # The field keeps all that was typed: the browser cuts nothing off (no maxlength); the server says it is too long.
    kept = login_form(page).get_by_label(nl("E-mail address")).input_value()
    assert kept == typed
    assert_no_horizontal_overflow(page)
