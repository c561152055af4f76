"""Too many failed logins from one internet address, in a browser: after the limit the login page answers with a
plain page that says until when, and it passes axe and the page checks at 1280 and 360 px."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.cache import caches
from playwright.sync_api import expect

from tests_e2e.helpers import accept_error_status_of_this_page, check_page, log_in, nl, one_run

pytestmark = pytest.mark.e2e


@pytest.fixture
def low_limit(live_server, settings):
    """A limit of three for this test; the counts are in the shared cache, emptied before and after so that no
    other journey on this worker finds its address blocked."""
    settings.SAMEN_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    cache = caches[settings.SAMEN_THROTTLE_CACHE]
    cache.clear()
    yield
    cache.clear()


@one_run
def test_made_up_accounts_from_one_address_meet_a_calm_refusal(page, page_log, low_limit):
    for number in range(1, 3):
        log_in(page, f"niemand-{number}@example.test", "geen-wachtwoord-123")
        expect(page.get_by_role("heading", level=1, name=nl("Log in"))).to_be_visible()
    log_in(page, "niemand-3@example.test", "geen-wachtwoord-123")

    expect(page.get_by_role("heading", level=1, name=nl("Too many attempts"))).to_be_visible()
    accept_error_status_of_this_page(page, page_log, HTTPStatus.TOO_MANY_REQUESTS)
    expect(page.get_by_text("over 15 minuten")).to_be_visible()
    check_page(page)
