"""The harness itself: axe, the CSP/JS-error log and the overflow check must catch what they claim to."""

from __future__ import annotations

import pytest

from tests_e2e.axe import assert_no_axe_violations, assert_no_horizontal_overflow
from tests_e2e.helpers import DESKTOP, MOBILE

STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"


def _serve(page, live_server, html: str) -> None:
    """Answer one URL of the live server's origin with ``html`` under the app's strict CSP."""
    url = f"{live_server.url}/__harness__/"
    page.route(
        url,
        lambda route: route.fulfill(
            status=200, content_type="text/html", headers={"Content-Security-Policy": STRICT_CSP}, body=html
        ),
    )
    page.goto(url)


def _document(body: str, *, head: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harness</title>{head}</head>'
        f"<body><main>{body}</main></body></html>"
    )


@pytest.mark.parametrize("viewport", [DESKTOP], indirect=True)
def test_axe_reports_a_violation_with_rule_and_target(page, live_server):
    _serve(page, live_server, _document('<h1>Harness</h1><img src="data:," id="no-alt">'))

    with pytest.raises(AssertionError) as excinfo:
        assert_no_axe_violations(page)

    message = str(excinfo.value)
    assert "image-alt [critical]" in message
    assert "#no-alt" in message


@pytest.mark.parametrize("viewport", [DESKTOP], indirect=True)
def test_axe_passes_a_clean_page_under_a_strict_csp(page, live_server):
    _serve(page, live_server, _document("<h1>Harness</h1><p>Clean.</p>"))

    assert_no_axe_violations(page)


@pytest.mark.parametrize("viewport", [DESKTOP], indirect=True)
def test_csp_violations_and_js_errors_are_caught(page, live_server, page_log):
    _serve(page, live_server, _document("<h1>Harness</h1>", head="<script>window.x = 1;</script>"))
    page.evaluate("() => setTimeout(() => { throw new Error('boom'); }, 0)")
    page.wait_for_timeout(50)

    problems = "\n".join(page_log.problems())
    assert "Content Security Policy" in problems
    assert "boom" in problems
    page_log.console_errors.clear()
    page_log.page_errors.clear()


@pytest.mark.parametrize("viewport", [MOBILE], indirect=True)
def test_overflow_check_names_the_wide_element(page, live_server):
    _serve(page, live_server, _document('<h1>Harness</h1><pre id="wide">' + "x" * 400 + "</pre>"))

    with pytest.raises(AssertionError, match=r"pre#wide"):
        assert_no_horizontal_overflow(page)
