"""The crawler of ``tests_e2e/crawl.py``: which links it follows, one page per URL shape, broken links reported.

The site is fake (``page.route`` answers every request of http://samen.test): no live server, no database.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests_e2e.crawl import crawl, link_target, url_shape
from tests_e2e.helpers import DESKTOP, VIEWPORTS

ORIGIN = "http://samen.test"


@pytest.mark.parametrize(
    ("url", "shape"),
    [
        ("/huishoudens/12/plan/", "/huishoudens/<id>/plan/"),
        ("/huishoudens/3/plan/?versie=2#doel", "/huishoudens/<id>/plan/"),
        ("/uitnodiging/0b4f6c1e-8a9d-4c2b-9e7f-1a2b3c4d5e6f/", "/uitnodiging/<id>/"),
        ("/uitnodiging/Xy3kP9qLm2Nw8Rt5Vb7c/", "/uitnodiging/<id>/"),
        ("/mijn-huishoudens/", "/mijn-huishoudens/"),
        ("/wachtwoord-vergeten/verstuurd/", "/wachtwoord-vergeten/verstuurd/"),
    ],
)
def test_url_shape(url, shape):
    assert url_shape(url) == shape


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/huishoudens/1/?filter=geld#top", "/huishoudens/1/?filter=geld"),
        ("plan/", "/huishoudens/1/plan/"),
        ("#main", None),
        ("mailto:hulp@example.test", None),
        ("tel:+31201234567", None),
        ("https://www.example.org/", None),
        ("/account/uitloggen/", None),
        ("/i18n/setlang/", None),
        ("/beheer/support/", None),
        ("/huishoudens/1/dossier/5/bestand/", None),
        ("/static/samen/samen.css", None),
    ],
)
def test_link_target(href, expected):
    url = {"plan/": f"{ORIGIN}/huishoudens/1/plan/"}.get(href, href if ":" in href else f"{ORIGIN}{href}")
    if href.startswith("#"):
        url = f"{ORIGIN}/huishoudens/1/{href}"
    assert link_target(href, url, origin=ORIGIN) == expected


SITE = {
    "/": '<a href="/huishoudens/1/">1</a> <a href="/huishoudens/2/">2</a> <a href="/kapot/">kapot</a>'
    ' <a href="/account/uitloggen/">uit</a> <a href="mailto:a@b.test">mail</a> <a href="https://elders.test/">x</a>'
    ' <a href="/huishoudens/1/dossier/4/bestand/">pdf</a> <a href="/rapport.csv" download>csv</a>',
    "/huishoudens/1/": '<a href="/huishoudens/1/plan/">plan</a> <a href="/">home</a> <a href="#top">top</a>',
    "/huishoudens/1/plan/": '<a href="/huishoudens/2/plan/">plan van 2</a>',
}


@pytest.fixture
def site(browser) -> Iterator:
    context = browser.new_context(viewport=VIEWPORTS[DESKTOP], base_url=ORIGIN)
    requested: list[str] = []

    def answer(route):
        path = route.request.url.removeprefix(ORIGIN)
        if route.request.resource_type == "document":
            requested.append(path)
        body = SITE.get(path)
        route.fulfill(status=200 if body is not None else 404, content_type="text/html", body=body or "weg")

    context.route("**/*", answer)
    page = context.new_page()
    page.requested = requested
    try:
        yield page
    finally:
        context.close()


def test_crawl_follows_links_once_per_shape_and_reports_broken_ones(site):
    seen = []

    result = crawl(site, "/", visit=lambda page, step: seen.append((step.path, step.number)))

    assert result.visited == ["/", "/huishoudens/1/", "/huishoudens/1/plan/"]
    assert seen == [("/", 1), ("/huishoudens/1/", 2), ("/huishoudens/1/plan/", 3)]
    assert [(broken.path, broken.status, broken.linked_from) for broken in result.broken] == [("/kapot/", 404, "/")]
    assert set(site.requested) == {"/", "/huishoudens/1/", "/kapot/", "/huishoudens/1/plan/"}


def test_crawl_stops_at_the_limit_and_says_what_it_left(site):
    result = crawl(site, "/", limit=1)

    assert result.visited == ["/"]
    assert result.left_over == ["/huishoudens/1/", "/kapot/"]
