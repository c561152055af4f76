"""Browser journeys: Playwright (sync API) driving the system Chromium against a live server.

- One Chromium for the whole browser run (``/usr/bin/chromium``; browsers are never downloaded), a
  fresh context and page per test. Under pytest-xdist (``make test`` runs with ``-n``) each worker has its
  own Chromium, live server (on a free port) and test database; nothing here is shared between workers.
  Tests that use ``page`` run at 1280x800 and at 360x740 (``viewport``).
  Chromium and Playwright's event loop live exactly as long as the tests of this package: the loop
  makes Django see an async context, so ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set for these tests only and
  both are gone before the rest of the suite runs (``manage.py check --deploy`` flags the variable).
- Every test in this directory is marked ``e2e`` and runs against pytest-django's ``live_server``
  (transactional database).
- A page that logs a JavaScript error, a Content Security Policy violation or any other console
  error, or opens a dialog, fails its test.
- Without Chromium the tests skip locally and fail in CI (``CI=true``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests_e2e.helpers import VIEWPORTS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEFAULT_TIMEOUT_MS = 10_000

E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="package", autouse=True)
def allow_django_inside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in the main thread; without this Django refuses
    database access from the test code (SynchronousOnlyOperation). Set for the browser tests only."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(allow_django_inside_playwright) -> Iterator:
    """One headless system Chromium shared by every browser test of this process (all of them are in this
    package); closed, with Playwright's event loop, after the last of them. A pytest-xdist worker that runs
    other tests between two browser tests closes it before those and launches it again after them."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must install Chromium (apt-get install chromium).")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request) -> dict:
    """The window size: every test that uses ``page`` runs at 1280 px and at 360 px.

    Pin one width with ``@pytest.mark.parametrize("viewport", [DESKTOP], indirect=True)``.
    """
    return dict(VIEWPORTS[request.param])


@dataclass
class PageLog:
    """What the page reported while the test ran; anything here fails the test at teardown."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"JavaScript error: {text}" for text in self.page_errors]
            + [f"dialog opened: {text}" for text in self.dialogs]
        )

    def assert_clean(self) -> None:
        problems = self.problems()
        if problems:
            raise AssertionError(
                "The page reported problems (CSP violations and JS errors are bugs):\n"
                + "\n".join(f"  - {problem}" for problem in problems)
            )


# Chromium reports CSP violations as console errors; this also reports them when a console
# message is missed (e.g. in a frame), naming the directive. Injected by Playwright, not by the page.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.violatedDirective} blocked ` +
    `${event.blockedURI || "inline code"} (${event.sourceFile || "?"}:${event.lineNumber || "?"})`);
});
"""


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser, viewport, live_server, page_log) -> Iterator:
    """A fresh context and page, with ``base_url`` set to the live server (``page.goto("/")``)."""
    context = browser.new_context(
        viewport=viewport, base_url=live_server.url, locale="nl-NL", timezone_id="Europe/Amsterdam"
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.add_init_script(_CSP_LISTENER)
    page = context.new_page()

    def on_console(message):
        if message.type == "error":
            location = message.location or {}
            where = location.get("url") or page.url
            # The browser asks for /favicon.ico by itself when a page names no icon; not the page's doing.
            if not where.endswith("/favicon.ico"):
                page_log.console_errors.append(f"{message.text} (on {where})")

    def on_dialog(dialog):
        page_log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: page_log.page_errors.append(f"{error} (on {page.url})"))
    page.on("dialog", on_dialog)
    try:
        yield page
    finally:
        context.close()
    page_log.assert_clean()
