"""The benchmark's own parts: what it reads from /proc, how it groups pages by size and judges the targets, the
pages it covers, the query counter and the baseline views. Not a timed test: the figures are ``make bench``'s."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import server
from bench.baselines import SIZE_TOLERANCE, size_groups, within
from bench.load import Sample, Target, percentile
from bench.middleware import QUERIES_HEADER
from bench.pages import CITIZEN, COORDINATOR, PAGES, SCALE_PAGES
from bench.report import FLOOR, PAGE, POLL, REFERENCE, Row, verdict
from bench.run import parse_args
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
from samen.organisations.tests.factories import MembershipFactory

# --- /proc ---------------------------------------------------------------------------------------------


def test_parse_stat_counts_fields_from_the_last_parenthesis():
    # A command with spaces and parentheses of its own; utime 1234 and stime 56 are fields 14 and 15.
    fields = ["S", "77", *["0"] * 9, "1234", "56", *["0"] * 30]
    assert server.parse_stat(f"4242 (gunicorn: (worker) x) {' '.join(fields)}") == (77, 1290)


def test_server_cpu_reads_this_process_and_its_children():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])  # noqa: S603
    try:
        assert child.pid in server.children(os.getpid())
        cpu = server.ServerCPU(os.getpid())
        before = cpu.snapshot()
        assert {os.getpid(), child.pid} <= set(before)
        end = time.process_time() + 0.1
        while time.process_time() < end:
            pass
        assert cpu.used_ms(before) > 0
    finally:
        child.kill()
        child.wait()


# --- size groups, ratios and targets ------------------------------------------------------------------


@pytest.mark.parametrize(
    "sizes",
    [
        {"a": 5660, "b": 5792, "c": 7781, "d": 12311, "e": 17248, "f": 26030, "g": 59166, "h": 67839},
        {"only": 20000},
        {f"p{number}": 1000 + 37 * number**2 for number in range(60)},
    ],
)
def test_every_page_is_within_the_tolerance_of_its_groups_baseline(sizes):
    groups = size_groups(sizes)
    assert sorted(name for group in groups for name in group.members) == sorted(sizes)
    for group in groups:
        for name in group.members:
            # A baseline grows by whole rows: a few hundred bytes off its aim must still be within the tolerance.
            for off in (-1, 1):
                assert within(sizes[name], group.size + off * round(0.015 * group.size)), (name, group)
    assert [group.size for group in groups] == sorted(group.size for group in groups)


def test_within_is_relative_to_the_pages_own_size():
    assert within(1000, 1000 + round(SIZE_TOLERANCE * 1000))
    assert not within(1000, 1000 + round(SIZE_TOLERANCE * 1000) + 1)


def test_percentile_nearest_rank():
    values = [float(number) for number in range(1, 101)]
    assert percentile(values, 0.5) == 51.0
    assert percentile(values, 0.99) == 100.0
    assert percentile([], 0.99) == 0.0


def _row(kind: str) -> Row:
    return Row(Target("x", "/", []), Sample(), kind, 1)


@pytest.mark.parametrize(
    ("kind", "bare", "reference", "expected"),
    [
        (FLOOR, 0.6, None, "met (>= 0.6 bare)"),
        (FLOOR, 0.59, None, "NOT met (>= 0.6 bare)"),
        (PAGE, 0.15, 0.5, "met"),
        (PAGE, 0.14, 0.5, "NOT met (bare < 0.15)"),
        (PAGE, 0.2, 0.49, "NOT met (ref < 0.5)"),
        (PAGE, 0.1, 0.3, "NOT met (bare < 0.15, ref < 0.5)"),
        (REFERENCE, 0.2, None, ""),
    ],
)
def test_verdict(kind, bare, reference, expected):
    assert verdict(_row(kind), bare, reference) == expected


def test_the_polling_endpoint_is_judged_on_cpu_against_the_login_floor():
    row = Row(Target("poll", "/", [], status=204), Sample(requests=10, cpu_ms=20.0), POLL, 1)
    assert verdict(row, 0.9, None, floor_cpu=2.5) == "met (CPU 2.00 <= floor 2.50 ms)"
    assert verdict(row, 0.9, None, floor_cpu=1.5) == "NOT met (CPU 2.00 <= floor 1.50 ms)"
    assert verdict(row, 0.9, None, floor_cpu=None) == ""


def test_sample_rate_and_cpu_per_request():
    sample = Sample(requests=50, seconds=2.0, cpu_ms=400.0)
    assert (sample.rate, sample.cpu_per_request) == (25.0, 8.0)
    assert (Sample().rate, Sample().cpu_per_request) == (0.0, 0.0)


# --- what is measured ---------------------------------------------------------------------------------

ISSUE_PAGES = {
    "/": "home",
    "/mijn-huishoudens/": "caseload",
    "/huishoudens/{household}/": "overview",
    "/huishoudens/{household}/plan/": "plan",
    "/huishoudens/{household}/gesprek/": "conversation",
    "/huishoudens/{household}/dossier/": "dossier",
    "/huishoudens/{household}/verhaal/": "intake",
    "/huishoudens/{household}/zelfredzaamheid/": "self-assessment",
    "/huishoudens/{household}/wie-helpt-mee/": "Wie helpt mee",
    "/huishoudens/{household}/wie-mag-wat-zien/": "Wie mag wat zien",
    "/huishoudens/{household}/wie-keek/": "Wie keek",
    "/meldingen/": "notifications (the reminders among them)",
}


SOCIAL_MAP_PAGES = {
    "/sociale-kaart/?household={household}&q=schulden": "the search for the household (issue 13)",
    "/sociale-kaart/diensten/{service}/": "the page of a service that search finds",
}


def test_every_household_page_of_the_issue_is_measured_for_the_coordinator_and_the_citizen():
    assert len({page.key for page in PAGES}) == len(PAGES)
    assert {page.path for page in PAGES if page.who == COORDINATOR} == set(ISSUE_PAGES) | set(SOCIAL_MAP_PAGES)
    # A citizen has no caseload.
    assert {page.path for page in PAGES if page.who == CITIZEN} == set(ISSUE_PAGES) - {"/mijn-huishoudens/"}
    assert {"caseload", "overview", "plan", "dossier", "wie-keek"} <= set(SCALE_PAGES)
    assert not {"socialmap search", "socialmap service"} & set(SCALE_PAGES)


def test_the_social_map_pages_are_for_the_showcase_household_and_service():
    from bench.pages import PAGE_BY_KEY

    assert PAGE_BY_KEY["socialmap search"].url(7, "abc") == "/sociale-kaart/?household=7&q=schulden"
    assert PAGE_BY_KEY["socialmap service"].url(7, "abc") == "/sociale-kaart/diensten/abc/"


def test_every_heading_has_a_dutch_translation_and_is_escaped_as_the_templates_do():
    from bench.facts import page_markers

    markers, untranslated = page_markers("Gezin 't Hart & co", "Jan <Regisseur>", "Schuld & hulp")
    assert untranslated == []
    assert markers["plan"][0] == "<h1>Plan van Gezin &#x27;t Hart &amp; co</h1>"
    assert markers["caseload"] == ["<h1>Mijn huishoudens</h1>"]
    assert "Jan &lt;Regisseur&gt;" in markers["home"]
    assert markers["socialmap search"] == ["<h1>Hulp zoeken</h1>", "Gezin &#x27;t Hart &amp; co"]
    assert markers["socialmap service"] == ["<h1>Schuld &amp; hulp</h1>", ">Wat het biedt</h2>"]


def test_the_default_run_fits_in_twelve_minutes():
    """Targets: per size group a bare and a reference page (at most eight groups for these pages), the login
    floor and every page; each run of the load costs about half a second on top of its seconds."""
    args = parse_args([])
    targets = 2 * 8 + 1 + len(PAGES) + 1  # and the polling endpoint
    per_target = args.warmup + 0.5 + args.seconds + args.rounds * 0.5
    assert targets * per_target + 60 <= 12 * 60


# --- the query counter and the baseline views ---------------------------------------------------------


@pytest.fixture
def bench_views(settings):
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "bench"]
    settings.MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    settings.ROOT_URLCONF = "bench.tests.urls"


@pytest.mark.django_db
def test_the_query_counter_answers_only_when_asked(client, bench_views):
    response = client.get("/__bench__/bare/?items=3")
    assert response.status_code == 200
    assert QUERIES_HEADER not in response.headers
    response = client.get("/__bench__/bare/?items=3", headers={QUERIES_HEADER: "1"})
    assert response.headers[QUERIES_HEADER] == "0"


@pytest.mark.django_db
def test_the_login_floor_loads_the_user(client, bench_views):
    membership = MembershipFactory()
    assert client.get("/__bench__/bare-signed-in/").status_code == 403
    client.force_login(membership.user)
    response = client.get("/__bench__/bare-signed-in/?items=3", headers={QUERIES_HEADER: "1"})
    assert response.status_code == 200
    assert b"<h1>Bare benchmark page</h1>" in response.content
    assert int(response.headers[QUERIES_HEADER]) > 0


@pytest.mark.django_db
def test_the_reference_page_runs_five_queries_and_writes_one_access_entry(client, rf, bench_views):
    from bench import views
    from samen.organisations.actors import actor_for_user

    membership = MembershipFactory()
    member = HouseholdMemberFactory(household=HouseholdFactory())
    request = rf.get(f"/__bench__/reference/?household={member.household_id}&items=7")
    request.user = membership.user
    request.actor = actor_for_user(membership.user)
    with mock.patch("bench.views.audit.record") as record, CaptureQueriesContext(connection) as queries:
        response = views.reference(request)
    assert response.status_code == 200
    assert b"<h1>Reference benchmark page</h1>" in response.content
    assert member.family_name.encode() in response.content
    record.assert_called_once()
    assert record.call_args.kwargs["household_id"] == member.household_id
    assert record.call_args.kwargs["actor"] == request.actor
    # transaction.atomic() adds savepoint statements inside the test's transaction; they are no queries of the page.
    assert len([query for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]) == 5

    client.force_login(membership.user)
    response = client.get(f"/__bench__/reference/?household={member.household_id}", headers={QUERIES_HEADER: "1"})
    assert response.status_code == 200
    assert int(response.headers[QUERIES_HEADER]) > 5  # the session, the user and the access-log entry too
