"""The crawler (issue 3): every household URL, requested by everyone around the household, writes exactly one
access entry for each response that shows household data, and none for a refusal.

The URLs come from the resolver (the same discovery as the authorization matrix), so a new household page that
shows data but writes no access entry - or writes two - makes this test fail without anyone adding it here.
"""

from __future__ import annotations

import pytest
from django.db.models import Max

from samen.consent.tests.test_authorization_matrix import (
    CAST_ROLES,
    CONTRIBUTED_TABLES,
    ENDPOINTS,
    GET,
    OK,
    PAGE_MATRIX,
    POST,
    Cast,
    HouseholdUrl,
    cast_for_module,
    household_urls,
    url_for,
)
from samen.core.models import AuditAction, AuditEntry

HOUSEHOLD_URLS = household_urls()
# Pages in a household namespace that show no household data (no household id, e.g. the emergency access form):
# a table names them in ``PAGES_WITHOUT_HOUSEHOLD_DATA``; they must write no access entry at all.
WITHOUT_HOUSEHOLD_DATA = frozenset().union(
    *(getattr(table, "PAGES_WITHOUT_HOUSEHOLD_DATA", frozenset()) for table in CONTRIBUTED_TABLES)
)
# The household pages (a URL the matrix does not know yet counts as a page until it says otherwise).
PAGES = [
    item
    for item in HOUSEHOLD_URLS
    if ENDPOINTS.get(item.name, (GET, {}))[0] == GET and item.name not in WITHOUT_HOUSEHOLD_DATA
]
# Answers that show no household data: a redirect (to the login page, or back after a button), "not found",
# "not allowed", or "this address only takes a form".
NO_DATA_SHOWN = frozenset({302, 403, 404, 405})


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    with cast_for_module(django_db_blocker) as built:
        yield built


def _last_sequence() -> int:
    return AuditEntry.objects.aggregate(last=Max("sequence"))["last"] or 0


def _request(cast: Cast, who: str, method: str, url: str, data: dict) -> tuple[int, list[AuditEntry]]:
    """The status of one request by ``who`` and the audit entries written while answering it."""
    client = cast.client(who)  # logging in happens before the baseline: only the request itself counts
    before = _last_sequence()
    response = client.get(url) if method == GET else client.post(url, data)
    return response.status_code, list(AuditEntry.objects.filter(sequence__gt=before))


def _assert_one_entry_per_page_shown(cast: Cast, who: str, status: int, entries: list[AuditEntry], where: str):
    if status == 200:
        assert len(entries) == 1, f"{where} as {who}: {len(entries)} audit entries for one page showing household data"
        (entry,) = entries
        actor = cast.actor(who)
        assert entry.action == AuditAction.READ
        assert entry.household_id == cast.household.pk
        assert entry.user_id == actor.user_id
        assert entry.role == actor.role
        assert entry.organisation_id == actor.organisation_id
        assert entry.data_category, "an access entry names the data category that was shown"
    else:
        assert status in NO_DATA_SHOWN, f"{where} as {who}: unexpected status {status}"
        assert entries == [], f"{where} as {who}: an answer without data ({status}) wrote {len(entries)} entries"


@pytest.mark.django_db
@pytest.mark.parametrize("household_url", HOUSEHOLD_URLS, ids=[item.name for item in HOUSEHOLD_URLS])
def test_every_get_writes_one_access_entry_when_it_shows_household_data(cast, household_url: HouseholdUrl):
    url = url_for(household_url, cast)
    shown_to = set()
    for who in CAST_ROLES:
        status, entries = _request(cast, who, GET, url, {})
        if household_url.name in WITHOUT_HOUSEHOLD_DATA:
            assert entries == [], f"GET {household_url.name} as {who}: shows no household data, wrote an entry"
        else:
            _assert_one_entry_per_page_shown(cast, who, status, entries, f"GET {household_url.name}")
        if status == 200:
            shown_to.add(who)

    method, _data = ENDPOINTS.get(household_url.name, (GET, {}))
    if method == POST:
        assert shown_to == set(), f"{household_url.name} only takes a form, but answered GET with a page"
    else:
        # The crawler really reached the page, as everyone the matrix allows (and nobody else).
        assert shown_to == {who for who, row in PAGE_MATRIX.items() if row.get(household_url.name) == OK}
        assert shown_to, f"nobody could open {household_url.name}: the crawler checked nothing"


@pytest.mark.django_db
@pytest.mark.parametrize("household_url", PAGES, ids=[item.name for item in PAGES])
def test_a_second_request_writes_a_second_entry(cast, household_url: HouseholdUrl):
    """One entry per request, also for the same person on the same day (the page merges them, the log does not)."""
    url = url_for(household_url, cast)
    who = next(who for who, row in PAGE_MATRIX.items() if row.get(household_url.name) == OK)
    for _ in range(2):
        status, entries = _request(cast, who, GET, url, {})
        assert status == 200
        assert len(entries) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", [name for name, (method, _data) in ENDPOINTS.items() if method == POST], ids=lambda name: name
)
def test_a_button_writes_an_access_entry_only_when_it_shows_the_page_again(cast, name):
    """The endpoints' refusals, and their "message and back" answers to bad input, show no household data and
    write nothing; an endpoint that shows the page again with the form's errors (invite) writes one entry."""
    _method, data = ENDPOINTS[name]
    url = url_for(name, cast)
    for who in CAST_ROLES:
        status, entries = _request(cast, who, POST, url, data)
        _assert_one_entry_per_page_shown(cast, who, status, entries, f"POST {name}")
