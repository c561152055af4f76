"""Breadth-first crawl of the pages a logged-in person reaches by following links, for checks and screenshots.

From a start path, each page's same-origin ``a[href]`` links (GET only: forms are never submitted) are followed
in breadth-first order, one page per URL *shape*: the path with numeric and uuid-ish segments replaced by a
placeholder and the query string ignored, so ``/huishoudens/3/plan/`` stands for every household's plan and a
filtered list for the list. Skipped: logging out, the language switch (``/i18n/``), the Django admin
(``/beheer/support/``; Samen's own pages under ``/beheer/`` are crawled), document downloads (``/bestand/`` or
``download``), static files, fragment-only links, mailto/tel and other hosts. A page that does not answer 200
(or sends a logged-in person to the login page) is a broken link: it is collected, never hidden. At most
``limit`` pages are visited; what was left over is returned too.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from tests_e2e.helpers import LOGIN_PATH

DEFAULT_LIMIT = 60

_SKIPPED_PREFIXES = ("/i18n/", "/beheer/support/", "/static/", "/media/")
_SKIPPED_PARTS = ("/uitloggen/", "/logout/", "/bestand/")
_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.IGNORECASE)
_TOKEN = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_-]{16,}$")  # signed tokens, hashes, base64url ids

_LINKS = """() => Array.from(document.querySelectorAll("a[href]"), (a) => ({
  href: a.getAttribute("href"),
  url: a.href,
  download: a.hasAttribute("download"),
}))"""


@dataclass(frozen=True)
class BrokenLink:
    """A link that did not lead to a working page: its path, the status (None without a response), where it was
    found, and what went wrong."""

    path: str
    status: int | None
    linked_from: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path} {self.reason} (linked from {self.linked_from})"


@dataclass(frozen=True)
class Step:
    """The page being visited: its path (and query), its number (1, 2, ...) and how many pages the crawl knows of
    so far (visited and queued, at most the limit): for progress reports."""

    path: str
    number: int
    known: int


@dataclass
class CrawlResult:
    visited: list[str] = field(default_factory=list)  # path (and query) of each page checked, in order
    broken: list[BrokenLink] = field(default_factory=list)
    left_over: list[str] = field(default_factory=list)  # found but not visited: the limit was reached


def url_shape(url: str) -> str:
    """The path with numbers and uuid-ish segments as ``<id>``, without query or fragment."""
    segments = urlsplit(url).path.split("/")
    return "/".join("<id>" if _is_id(segment) else segment for segment in segments)


def _is_id(segment: str) -> bool:
    return segment.isdigit() or bool(_UUID.match(segment) or _TOKEN.match(segment))


def link_target(href: str, url: str, *, origin: str, download: bool = False) -> str | None:
    """The path (and query) to crawl for a link (``href`` as written, ``url`` as the browser resolved it), or
    None when the crawl skips it."""
    if download or not href.strip() or href.strip().startswith("#"):
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    path = parts.path or "/"
    if path.startswith(_SKIPPED_PREFIXES) or any(part in path for part in _SKIPPED_PARTS):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def crawl(
    page: Page,
    start: str = "/",
    *,
    limit: int = DEFAULT_LIMIT,
    visit: Callable[[Page, Step], None] | None = None,
) -> CrawlResult:
    """Visit the pages reachable from ``start`` in breadth-first order, calling ``visit(page, step)`` on each
    page that answers 200 (once per URL shape), and return what was visited, broken and left over.

    ``page`` is logged in already (the crawl keeps its cookies) and has a ``base_url``.
    """
    result = CrawlResult()
    queue: deque[tuple[str, str]] = deque([(start, "(start)")])
    shapes = {url_shape(start)}
    checked: set[str] = set()
    while queue:
        if len(result.visited) >= limit:
            result.left_over = [path for path, _ in queue]
            break
        path, linked_from = queue.popleft()
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            result.broken.append(BrokenLink(path, None, linked_from, f"did not load: {error.message.splitlines()[0]}"))
            continue
        final = urlsplit(page.url)
        origin = f"{final.scheme}://{final.netloc}"
        landed = f"{final.path}?{final.query}" if final.query else final.path
        if response is None or response.status != 200:
            status = response.status if response else None
            result.broken.append(BrokenLink(path, status, linked_from, f"answered {status}"))
            continue
        if final.path == LOGIN_PATH and not path.startswith(LOGIN_PATH):
            result.broken.append(BrokenLink(path, 200, linked_from, f"sent a logged-in person to {landed}"))
            continue
        if url_shape(landed) in checked:  # a redirect to a page of a shape checked already
            continue
        checked.add(url_shape(landed))
        result.visited.append(landed)
        for link in page.evaluate(_LINKS):  # before visit(), which may resize the window
            target = link_target(link["href"], link["url"], origin=origin, download=link["download"])
            if target is not None and url_shape(target) not in shapes:
                shapes.add(url_shape(target))
                queue.append((target, landed))
        if visit is not None:
            known = min(limit, len(result.visited) + len(queue))
            visit(page, Step(landed, len(result.visited), known))
    return result
