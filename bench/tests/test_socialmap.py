"""The social map benchmark's parts at a tiny size (``make bench BENCH=socialmap`` measures at 50,000 services): the
data it writes, its checks, one measurement with its report, the target and the options. Not a timed test."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.server import BenchError
from bench.socialmap import FREE, RAW, SEARCH, check, describe, judge, measure, parse_args, report
from bench.socialmap_data import generate, town_names, town_plans
from samen.socialmap import search
from samen.socialmap.models import Attribute, CostOption, Organization, SearchEntry, Service, ServiceStatus

QUERIES = ("schulden", "eenzaam", "huur achterstand", "hulp bij schulden", "schuldh")


@pytest.fixture
def facts(db):
    lines: list[str] = []
    written = generate(services=400, seed=7, progress=lines.append, progress_every=100)
    written["analyze_seconds"] = 0.0
    written["progress"] = lines
    return written


def test_the_data_is_a_directory_of_towns_indexed_for_the_search(facts):
    assert facts["services"] == Service.objects.count() == 400
    assert facts["towns"] >= 1 and facts["organizations"] == Organization.objects.count()
    # Every service has its cost option and at least one category, and is in the full-text index.
    assert CostOption.objects.values("service").distinct().count() == 400
    assert Attribute.objects.values("link_id").distinct().count() == 400
    assert not Service.objects.filter(body_stems="").exists()
    if connection.vendor == "sqlite":
        assert SearchEntry.objects.count() == 400
    assert Service.objects.exclude(status=ServiceStatus.ACTIVE).count() < 40
    assert facts["progress"][-1].startswith("    indexed 400 of 400")


def test_towns_have_names_of_their_own_and_their_services_vary():
    import random

    names = town_names(random.Random(1))
    assert len(set(names)) == len(names) > 500
    plans = town_plans(random.Random(1), ["Noord", "Zuid", "Molenwijk"], 480)
    assert len(plans) == 480
    named = [f"{offer.name} {neighbourhood}".strip() for offer, neighbourhood in plans]
    assert len(set(named)) > 400  # variants and numbers, not the same names again


def test_the_checks_pass_and_stop_when_the_search_finds_nothing(facts):
    found = check(QUERIES)
    assert all(found[query]["matches"] > 0 and found[query]["page"] > 0 for query in QUERIES)
    with pytest.raises(BenchError, match="does not find"):
        check(["zzzgeenwoord"])


def test_a_tiny_measurement_and_its_report(facts):
    result = measure(QUERIES, repeats=2, warmup=0, profiling=True)
    assert set(result["rows"]) == set(QUERIES)
    for by_target in result["rows"].values():
        assert set(by_target) == {RAW, SEARCH, FREE}
        assert all(timing["calls"] == 2 for timing in by_target.values())
        assert by_target[RAW]["statements"] == 1
        assert 1 <= by_target[SEARCH]["statements"] <= 4  # (the best matches first,) the ranked ids, the page
    assert result["overall"][RAW]["calls"] == 2 * len(QUERIES)
    assert [verdict["name"] for verdict in result["targets"]] == [SEARCH, FREE]
    assert len(result["per_query"]) == 2 * len(QUERIES)
    assert set(result["breakdown"]) == set(QUERIES)
    assert all(len(parts["raw"]) == 1 and parts["search"] for parts in result["breakdown"].values())
    assert result["profile"]["rows"]
    lines = report({"facts": facts, **result}, "the suite's database")
    assert "  targets (p95 wall time over all queries' calls <= 2 x the raw query's):" in lines
    assert any(line.strip().startswith("all queries") for line in lines)
    assert any("cProfile of search(" in line for line in lines)


def test_raw_search_and_search_find_the_same_debt_help(facts):
    raw = {str(value).replace("-", "") for value in search.raw_search("schulden", limit=10**6)}
    shown = search.search("schulden").services
    assert shown and all(service.pk.hex in raw for service in shown)


def test_the_target_is_twice_the_raw_querys_p95():
    rows = {
        "schulden": {RAW: {"wall_p95": 10.0}, SEARCH: {"wall_p95": 20.0}, FREE: {"wall_p95": 20.1}},
    }
    assert [(verdict["name"], verdict["met"]) for verdict in judge(rows)] == [(SEARCH, True), (FREE, False)]


def test_describe_names_the_tables_of_a_statement():
    sql = (
        'SELECT "socialmap_service"."id" FROM "socialmap_service" INNER JOIN "socialmap_organization" ON (...) , '
        '"socialmap_service_fts" , "socialmap_searchentry" WHERE ... LIMIT 21'
    )
    assert describe(sql) == "service + organization + service_fts + searchentry LIMIT"


def test_options():
    args = parse_args([])
    assert (args.database_list, args.services, args.repeats) == (["sqlite", "postgresql"], 50_000, 30)
    assert parse_args(["--databases", "sqlite"]).database_list == ["sqlite"]
    with pytest.raises(SystemExit):
        parse_args(["--databases", "oracle"])
