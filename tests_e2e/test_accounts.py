"""The account pages in a browser, as a person uses them: a new password by e-mail, the second factor,
the lockout after wrong passwords, logging out from a link, choosing an organisation, and the 404 page.

Each journey runs once at 1280 px and checks every page it visits with axe at 1280 AND at 360 px
(``check_page``: it switches the window size, so one flow covers both widths without repeating it).
"""

from __future__ import annotations

import base64
import re
from http import HTTPStatus

import pytest
from django.utils import translation
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from tests_e2e.helpers import (
    LOGIN_PATH,
    accept_error_status_of_this_page,
    check_page,
    log_in,
    log_out,
    login_form,
    main_menu,
    nl,
    one_run,
)

pytestmark = pytest.mark.e2e


LOGOUT_PATH = "/account/uitloggen/"
CHOOSE_MEMBERSHIP_PATH = "/account/organisatie-kiezen/"
SECOND_FACTOR_PATH = "/account/tweede-stap/"
SECOND_FACTOR_SETUP_PATH = "/account/tweede-stap/instellen/"
NEW_PASSWORD = "fietsen langs de gracht in de regen"  # noqa: S105 - a test password


# --- what the journeys share -------------------------------------------------------------------


def nl_plural(singular: str, plural: str, number: int) -> str:
    """The Dutch text for a plural msgid (``{% blocktranslate count %}`` or ``ngettext``), not yet filled in."""
    with translation.override("nl"):
        return translation.ngettext(singular, plural, number)


def heading(page: Page, msgid: str):
    return page.get_by_role("heading", level=1, name=nl(msgid), exact=True)


def error_summary(page: Page):
    return page.locator("#form-errors")


# --- password reset ----------------------------------------------------------------------------


def _reset_link(message) -> str:
    links = re.findall(r"https?://\S+", message.body)
    assert len(links) == 1, message.body
    return links[0]


@one_run
def test_password_reset_by_email_then_log_in_with_the_new_password(page, live_server, mailoutbox, transactional_db):
    user = UserFactory(email="anna@example.test")

    # From the login page: "Forgot your password?" -> the form.
    page.goto(LOGIN_PATH)
    check_page(page)
    page.get_by_role("main").get_by_role("link", name=nl("Choose a new password"), exact=True).click()
    expect(heading(page, "Forgot your password?")).to_be_visible()
    check_page(page)

    page.get_by_label(nl("E-mail address")).fill("Anna@Example.test ")
    page.get_by_role("button", name=nl("Send me a link"), exact=True).click()

    expect(heading(page, "Check your e-mail")).to_be_visible()
    check_page(page)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [user.email]
    assert message.subject == nl("Choose a new password for Samen")
    link = _reset_link(message)
    assert link.startswith(f"{live_server.url}/account/wachtwoord-vergeten/")

    # The link from the e-mail: choose a new password.
    page.goto(link)
    expect(heading(page, "Choose a new password")).to_be_visible()
    new_password = page.get_by_label(nl("New password"), exact=True)
    again = page.get_by_label(nl("New password again"), exact=True)
    save = page.get_by_role("button", name=nl("Save new password"), exact=True)
    check_page(page)

    # Two passwords that differ: a clear error at the second field.
    new_password.fill(NEW_PASSWORD)
    again.fill(NEW_PASSWORD + "!")
    save.click()
    expect(error_summary(page)).to_contain_text(nl("Please check what you entered."))
    expect(error_summary(page)).to_contain_text(nl("The two password fields didn’t match."))
    expect(again).to_have_attribute("aria-invalid", "true")
    expect(error_summary(page)).to_be_focused()
    check_page(page)

    # Too short (the same twice): a clear error that says how long it must be.
    new_password.fill("kort")
    again.fill("kort")
    save.click()
    too_short = nl_plural(
        "This password is too short. Use at least %(min_length)d character.",
        "This password is too short. Use at least %(min_length)d characters.",
        12,
    ) % {"min_length": 12}
    assert "te kort" in too_short, "the message must be in Dutch"
    expect(error_summary(page)).to_contain_text(too_short)
    check_page(page)
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)

    # A good one.
    new_password.fill(NEW_PASSWORD)
    again.fill(NEW_PASSWORD)
    save.click()
    expect(heading(page, "Your new password is saved")).to_be_visible()
    check_page(page)

    # The link again (used now): a clear page that offers a new link, no form.
    page.goto(link)
    expect(heading(page, "Choose a new password")).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_role("alert")).to_contain_text(
        nl("This link does not work anymore. It may have been used already, or it is too old.")
    )
    expect(main.get_by_role("link", name=nl("Ask for a new link"), exact=True)).to_be_visible()
    assert main.locator("input[type=password]").count() == 0
    check_page(page)

    # The old password no longer works; the new one does, and leads home.
    log_in(page, user.email, DEFAULT_PASSWORD)
    expect(error_summary(page)).to_contain_text(nl("The e-mail address or password is not right. Please try again."))
    log_in(page, user.email, NEW_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(heading(page, "My household")).to_be_visible()
    check_page(page)


@one_run
def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(page, mailoutbox, transactional_db):
    page.goto("/account/wachtwoord-vergeten/")
    page.get_by_label(nl("E-mail address")).fill("niemand@example.test")
    page.get_by_role("button", name=nl("Send me a link"), exact=True).click()

    expect(heading(page, "Check your e-mail")).to_be_visible()
    assert mailoutbox == []


# --- second factor -----------------------------------------------------------------------------


def _code(key: bytes, device: TOTPDevice, *, drift: int = 0) -> str:
    return f"{totp(key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):0{device.digits}d}"


def _next_code(key: bytes, device: TOTPDevice) -> str:
    """The code of the time step after the last one the device accepted: a code may not be used twice, and
    the device keeps the clock drift it saw at its last code (so "now + 1" can be refused when that was -1)."""
    device.refresh_from_db()
    clock = TOTP(key, step=device.step, t0=device.t0, digits=device.digits)
    clock.time = device.t0 + (device.last_t + 1) * device.step
    return f"{clock.token():0{device.digits}d}"


def _wrong_code(key: bytes, device: TOTPDevice) -> str:
    """A code the device refuses now: none of the codes of the previous, this and the next time step."""
    near = {_code(key, device, drift=drift) for drift in (-2, -1, 0, 1, 2)}
    return next(candidate for candidate in ("123456", "654321", "111111", "999999") if candidate not in near)


def _wait_until_a_code_may_be_tried(page: Page, device: TOTPDevice) -> None:
    """After a wrong code django-otp makes the next try wait a second; a person would wait too."""
    for _ in range(40):
        device.refresh_from_db()
        if device.verify_is_allowed()[0]:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the second factor stayed throttled")


def _enter_code(page: Page, code: str, button: str) -> None:
    page.get_by_label(nl("Code from your app")).fill(code)
    page.get_by_role("button", name=nl(button), exact=True).click()


@one_run
def test_professional_sets_up_the_app_then_logs_in_with_a_code(page, live_server, settings, transactional_db):
    settings.REQUIRE_SECOND_FACTOR = True
    membership = MembershipFactory(coordinator=True, user__email="regisseur@example.test")
    user = membership.user

    # Password first, then straight to setting up the app (there is none yet).
    log_in(page, user.email, DEFAULT_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}{SECOND_FACTOR_SETUP_PATH}?next=%2F")
    expect(heading(page, "Set up your authenticator app")).to_be_visible()
    qr = page.get_by_role("img", name=nl("QR code to add Samen to your authenticator app"))
    expect(qr).to_be_visible()
    assert qr.evaluate("(image) => image.complete && image.naturalWidth > 0")
    secret = page.get_by_role("main").locator("code").inner_text()
    check_page(page)

    # The key a person would type into the app is the device's key.
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    key = base64.b32decode(secret.replace(" ", ""))
    assert key == device.bin_key

    # A wrong code: a clear error, still on the setup page, the app not yet confirmed.
    _enter_code(page, _wrong_code(key, device), "Confirm")
    expect(error_summary(page)).to_contain_text(
        nl("This code is not right or has expired. Enter the newest code from your app.")
    )
    expect(heading(page, "Set up your authenticator app")).to_be_visible()
    check_page(page)
    device.refresh_from_db()
    assert not device.confirmed

    # The right code: home, with a note that the app is set up.
    _wait_until_a_code_may_be_tried(page, device)
    _enter_code(page, _code(key, device), "Confirm")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(heading(page, "My work")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        nl("Your app is set up. From now on you log in with a code from the app.")
    )
    check_page(page)

    # Next time: the code page (not the setup page).
    log_out(page)
    log_in(page, user.email, DEFAULT_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}{SECOND_FACTOR_PATH}?next=%2F")
    expect(heading(page, "Enter your code")).to_be_visible()
    assert page.get_by_role("img").count() == 0
    check_page(page)

    # The setup page cannot be used to add another app before passing the code.
    page.goto(SECOND_FACTOR_SETUP_PATH)
    expect(heading(page, "Enter your code")).to_be_visible()

    # The app's next code (the one used at setup may not be used twice): home.
    _enter_code(page, _next_code(key, device), "Continue")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(heading(page, "My work")).to_be_visible()
    assert TOTPDevice.objects.filter(user=user).count() == 1


@one_run
def test_citizen_is_never_asked_for_a_code(page, live_server, settings, transactional_db):
    settings.REQUIRE_SECOND_FACTOR = True
    citizen = UserFactory()

    log_in(page, citizen.email, DEFAULT_PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(heading(page, "My household")).to_be_visible()
    check_page(page)
    page.goto(SECOND_FACTOR_PATH)
    expect(page).to_have_url(f"{live_server.url}/")
    assert not TOTPDevice.objects.exists()


# --- lockout -----------------------------------------------------------------------------------


@one_run
def test_five_wrong_passwords_lock_the_address_even_for_the_right_password(
    page, live_server, page_log, transactional_db
):
    user = UserFactory(email="bram@example.test")
    neutral = nl("The e-mail address or password is not right. Please try again.")

    for _ in range(4):
        log_in(page, user.email, "not-the-password")
        expect(error_summary(page)).to_contain_text(neutral)
    log_in(page, user.email, "not-the-password")  # the fifth

    expect(heading(page, "Too many attempts")).to_be_visible()
    accept_error_status_of_this_page(page, page_log, HTTPStatus.TOO_MANY_REQUESTS)
    main = page.get_by_role("main")
    wait = nl_plural(
        "You tried to log in too often with a wrong password. To protect your account, you can try again in "
        "%(minutes)s minute.",
        "You tried to log in too often with a wrong password. To protect your account, you can try again in "
        "%(minutes)s minutes.",
        15,
    ) % {"minutes": 15}
    expect(main.get_by_role("status")).to_contain_text(wait)
    reset_link = main.get_by_role("link", name=nl("Choose a new password"), exact=True)
    expect(reset_link).to_have_attribute("href", "/account/wachtwoord-vergeten/")
    check_page(page)

    # Even the right password is refused now.
    log_in(page, user.email, DEFAULT_PASSWORD)
    expect(heading(page, "Too many attempts")).to_be_visible()
    accept_error_status_of_this_page(page, page_log, HTTPStatus.TOO_MANY_REQUESTS)
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}{LOGIN_PATH}?next=/")

    # The way out it offers works: the password reset form.
    page.goto(LOGIN_PATH)
    page.get_by_role("main").get_by_role("link", name=nl("Choose a new password"), exact=True).click()
    expect(heading(page, "Forgot your password?")).to_be_visible()


# --- log out from a link -----------------------------------------------------------------------


@one_run
def test_log_out_link_asks_to_confirm_then_logs_out(page, live_server, transactional_db):
    user = UserFactory()
    log_in(page, user.email, DEFAULT_PASSWORD)

    page.goto(LOGOUT_PATH)

    expect(heading(page, "Log out")).to_be_visible()
    expect(page.get_by_role("main").get_by_text(nl("Do you want to log out of Samen?"))).to_be_visible()
    # Still logged in: a GET does not log out.
    expect(main_menu(page)).to_contain_text(user.get_full_name())
    check_page(page)

    page.get_by_role("main").get_by_role("button", name=nl("Log out"), exact=True).click()

    expect(heading(page, "Log in to Samen")).to_be_visible()
    expect(page.get_by_role("main").get_by_text(nl("You are logged out."))).to_be_visible()
    expect(login_form(page)).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}{LOGIN_PATH}?next=/")


# --- choosing the organisation and role --------------------------------------------------------


@one_run
def test_professional_with_two_organisations_chooses_the_second(page, live_server, transactional_db):
    first = MembershipFactory(coordinator=True, organisation=OrganisationFactory(name="Buurtteam Oost"))
    user = first.user
    second = MembershipFactory(
        user=user, organisation=OrganisationFactory(name="Schuldhulp West", debt_counselling=True)
    )
    log_in(page, user.email, DEFAULT_PASSWORD)
    navigation = main_menu(page)
    expect(navigation).to_contain_text("Buurtteam Oost")

    page.goto(CHOOSE_MEMBERSHIP_PATH)

    expect(heading(page, "Choose your organisation and role")).to_be_visible()
    items = page.get_by_role("main").get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.filter(has_text="Buurtteam Oost")).to_contain_text(nl("Now active"))
    expect(items.filter(has_text="Schuldhulp West")).not_to_contain_text(nl("Now active"))
    check_page(page)

    with translation.override("nl"):
        role = str(second.role_label)
        label = translation.gettext("Work as %(role)s for %(organisation)s") % {
            "role": role,
            "organisation": "Schuldhulp West",
        }
        confirmation = translation.gettext("You now work for %(organisation)s as %(role)s.") % {
            "organisation": "Schuldhulp West",
            "role": role,
        }
    page.get_by_role("button", name=label, exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(heading(page, "My work")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text(confirmation)
    organisation_card = main.get_by_role("article").filter(has=page.get_by_text(nl("Your organisation"), exact=True))
    expect(organisation_card).to_contain_text("Schuldhulp West")
    expect(navigation).to_contain_text("Schuldhulp West")
    expect(navigation).not_to_contain_text("Buurtteam Oost")
    check_page(page)

    # The choice holds for the rest of the session.
    page.goto(CHOOSE_MEMBERSHIP_PATH)
    expect(page.get_by_role("main").get_by_role("listitem").filter(has_text="Schuldhulp West")).to_contain_text(
        nl("Now active")
    )


# --- not found ---------------------------------------------------------------------------------


@one_run
def test_unknown_address_shows_the_not_found_page_in_the_layout(page, live_server, page_log, transactional_db):
    user = UserFactory()
    log_in(page, user.email, DEFAULT_PASSWORD)

    response = page.goto("/bestaat-niet/")

    assert response is not None and response.status == HTTPStatus.NOT_FOUND
    accept_error_status_of_this_page(page, page_log, HTTPStatus.NOT_FOUND)
    expect(page).to_have_title(f"{nl('Page not found')} · Samen")
    expect(heading(page, "We cannot find this page")).to_be_visible()
    expect(main_menu(page)).to_contain_text(user.get_full_name())
    check_page(page)

    page.get_by_role("main").get_by_role("link", name=nl("Go to the home page"), exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(heading(page, "My household")).to_be_visible()
