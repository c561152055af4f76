"""Every page each demo login can reach passes the page checks, at 1280 and at 360 px.

The demo municipality (10 households, seed 2026, as test_home_pages.py), one test per demo login: log in
through the real form, crawl from ``/`` (``tests_e2e/crawl.py``: same-origin links, one page per URL shape, at
most 60), and on every page run what ``check_page`` runs (axe, contrast, text size, sideways scrolling, clipped
text, broken words), and the design language's rule of one primary action per view. Failures are collected,
with JavaScript errors and broken links, and reported once at the end: one run shows everything that is wrong for
a role. The number of pages and the time are printed.
"""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command

from samen.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from tests_e2e.crawl import Step, crawl
from tests_e2e.helpers import LOGIN_PATH, log_in, one_run, page_problems

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_municipality(live_server):
    """The demo municipality in the live server's (transactional) database."""
    call_command("demo_municipality", households=10, seed=2026, verbosity=0)


@one_run
@pytest.mark.parametrize("login", DEMO_LOGINS, ids=[login.role.value for login in DEMO_LOGINS])
def test_every_page_of_the_role_passes_the_page_checks(page, page_log, live_server, demo_municipality, login):
    started = time.monotonic()
    log_in(page, login.email, DEMO_PASSWORD)
    assert not page.url.startswith(f"{live_server.url}{LOGIN_PATH}"), f"logging in as {login.email} failed"

    failures: list[str] = []

    def check(page, step: Step) -> None:
        for problem in page_problems(page):
            failures.append(f"{step.path} {problem}")
        primary = page.locator(
            "main :is(.utrecht-button--primary-action, .utrecht-button-link--primary-action):visible"
        ).all_inner_texts()
        if len(primary) > 1:
            failures.append(f"{step.path} has {len(primary)} primary actions (one per view): {primary}")
        # JavaScript errors and CSP violations go in the same list (and not again at the fixture's teardown).
        failures.extend(f"{step.path} {problem}" for problem in page_log.problems())
        page_log.console_errors.clear()
        page_log.page_errors.clear()
        page_log.dialogs.clear()

    result = crawl(page, "/", visit=check)
    seconds = time.monotonic() - started

    failures.extend(f"broken link: {broken}" for broken in result.broken)
    if result.left_over:
        failures.append(
            f"the crawl stopped at {len(result.visited)} pages; not checked: " + ", ".join(result.left_over)
        )
    summary = (
        f"{login.role.value} ({login.email}): {len(result.visited)} pages checked in {seconds:.1f} s, "
        f"{len(failures)} failure(s)"
    )
    print(summary)
    print("pages: " + " ".join(result.visited))
    if failures:
        pytest.fail(summary + ":\n" + "\n".join(f"- {failure}" for failure in failures), pytrace=False)
