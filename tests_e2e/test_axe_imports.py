"""axe under the app's strict CSP on stylesheets loaded with ``@import`` (as ``samen/nlds.css`` loads the NL Design
System): axe must not cause CSP violations of its own, and orientation media queries are still caught.

The site is fake (``route`` answers every request of http://samen.test with the app's strict CSP): no live server.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests_e2e.axe import axe_violations
from tests_e2e.helpers import DESKTOP, VIEWPORTS

ORIGIN = "http://samen.test"
STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Imports</title>'
    '<link rel="stylesheet" href="/static/samen/nlds.css"></head>'
    "<body><main><h1>Imports</h1><p>Tekst.</p></main></body></html>"
)
# As samen/nlds.css loads the NL Design System.
NLDS = {
    "/": PAGE,
    "/static/samen/nlds.css": '@layer tokens, html;\n@import url("../vendor/theme.css") layer(tokens);\n'
    '@import url("../vendor/html.css") layer(html);',
    "/static/vendor/theme.css": ".voorbeeld-theme { --text: #222; }",
    "/static/vendor/html.css": "p { color: #222; }",
}


def site(browser, files: dict[str, str]) -> Iterator:
    context = browser.new_context(viewport=VIEWPORTS[DESKTOP], base_url=ORIGIN)
    errors: list[str] = []

    def answer(route):
        path = route.request.url.removeprefix(ORIGIN)
        body = files.get(path)
        kind = "text/css" if path.endswith(".css") else "text/html"
        route.fulfill(
            status=200 if body is not None else 404,
            content_type=kind,
            headers={"Content-Security-Policy": STRICT_CSP},
            body=body or "",
        )

    context.route("**/*", answer)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/")
    try:
        yield page, errors
    finally:
        context.close()


@pytest.fixture
def imports(browser) -> Iterator:
    yield from site(browser, NLDS)


@pytest.fixture
def orientation(browser) -> Iterator:
    files = dict(NLDS)
    files["/static/vendor/html.css"] = "@media (orientation: portrait) { html { transform: rotate(90deg); } }"
    yield from site(browser, files)


def test_axes_cssom_preload_would_break_the_csp(imports):
    """Why axe runs without it (if this fails, axe fixed it: give the preload back in ``axe.py``)."""
    page, errors = imports
    axe_violations(page)  # loads axe

    page.evaluate("async () => { await axe.run(document, {runOnly: ['css-orientation-lock'], preload: true}); }")
    page.wait_for_timeout(100)

    assert any("Content Security Policy" in error for error in errors)


def test_axe_causes_no_csp_violation_on_imported_stylesheets(imports):
    page, errors = imports

    assert axe_violations(page) == []
    page.wait_for_timeout(100)

    assert errors == []


def test_orientation_media_queries_are_reported_in_place_of_axes_css_orientation_lock(orientation):
    page, errors = orientation

    violations = axe_violations(page)

    assert [violation["id"] for violation in violations] == ["css-orientation-lock"]
    assert (
        violations[0]["nodes"][0]["target"]
        == "@media (orientation: portrait) in http://samen.test/static/vendor/html.css"
    )
    assert errors == []
