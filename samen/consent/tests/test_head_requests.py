"""HEAD is answered wherever GET is (uptime probes and link checkers use HEAD): for every URL pattern of the site,
for someone logged out, the household's citizen and its coordinator (the authorization matrix's cast, so the
household pages have real ids behind them), HEAD gives the status GET gives (and the same redirect), with an empty
body. A URL that refuses GET (a button: POST only) refuses HEAD too.

The admin (``/beheer/support/``) is Django's own and is left out; every other pattern is walked from the resolver,
so a new page is checked without being listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from samen.consent.tests.test_authorization_matrix import cast_for_module

# Values for URL parameters the cast does not hold: they name nothing, so the page answers "not found" (or its own
# "this link does not work"), for GET and HEAD alike.
PLACEHOLDERS = {"uidb64": "MQ", "token": "geen-geldige-code", "reminder_id": "999999", "task_id": "999999"}
SKIPPED_NAMESPACES = frozenset({"admin"})
WHO = ("anonymous", "citizen", "coordinator")


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple[str, ...]


def every_route() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, namespace: str, params: tuple[str, ...]) -> None:
        for entry in patterns:
            here = params + tuple(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                walk(entry.url_patterns, entry.namespace or namespace, here)
            elif isinstance(entry, URLPattern) and entry.name:
                routes.append(Route(f"{namespace}:{entry.name}" if namespace else entry.name, here))

    walk(get_resolver().url_patterns, "", ())
    return routes


ROUTES = every_route()


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    with cast_for_module(django_db_blocker) as built:
        yield built


def _url(route: Route, cast) -> str:
    kwargs = {}
    for param in route.params:
        if param == "household_id":
            kwargs[param] = cast.household.pk
        else:
            kwargs[param] = cast.url_ids.get(param, PLACEHOLDERS.get(param, "999999"))
    return reverse(route.name, kwargs=kwargs)


def _body(response) -> bytes:
    if response.streaming:  # a document download
        return b"".join(response.streaming_content)
    return response.content


def test_the_walk_finds_the_pages():
    names = {route.name for route in ROUTES}
    assert {"accounts:login", "home:home", "dossier:overview", "plans:plan", "households:invitation_accept"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
def test_head_answers_like_get_everywhere(cast, who):
    client = cast.client(who)
    checked = 0
    for route in ROUTES:
        url = _url(route, cast)
        got = client.get(url)
        head = client.head(url)
        assert head.status_code == got.status_code, f"{who} {route.name} {url}: GET {got.status_code}, HEAD {head}"
        assert _body(head) == b"", f"{who} {route.name}: HEAD sent a body"
        if got.status_code in (301, 302, 303, 307, 308):
            assert head["Location"] == got["Location"], f"{who} {route.name}"
        if got.status_code != 405:
            checked += 1
    assert checked >= 20  # most of the site answers GET


@pytest.mark.django_db
def test_uptime_probe_on_the_login_page(client):
    response = client.head(reverse("accounts:login"))
    assert response.status_code == 200
    assert _body(response) == b""
    assert response["Content-Type"].startswith("text/html")
