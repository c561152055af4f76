"""The pulse benchmark's parts at a tiny size (``make bench BENCH=pulse`` measures at full size): the data it
writes, the raw SQL aggregate (the same figures as the dashboard's, for one network only), one measurement with
its report, and its options. Not a timed test."""

from __future__ import annotations

import pytest

from bench.pulse import DASHBOARD, PAGE, RAW, compare, describe, judge, measure, parse_args, raw_figures, report
from bench.pulse_data import generate, sizes_of
from samen.collaboration import selectors
from samen.collaboration.models import Answer, Participation, PulseRound, Response, RoundStatus
from samen.core.anonymity import K_ANONYMITY
from samen.organisations.models import Network


@pytest.fixture
def facts(db):
    lines: list[str] = []
    written = generate(professionals=60, rounds=3, seed=7, progress=lines.append, progress_every=1)
    written["analyze_seconds"] = 0.0
    written["progress"] = lines
    return written


def test_the_data_has_two_networks_with_closed_rounds_and_answers(facts):
    large, small = facts["large"], facts["small"]
    assert large["professionals"] == 60 and small["professionals"] == 30
    for network in (large, small):
        rounds = PulseRound.objects.filter(network_id=network["network_id"])
        assert rounds.count() == 3
        assert set(rounds.values_list("status", flat=True)) == {RoundStatus.CLOSED}
        responses = Response.objects.filter(round__network_id=network["network_id"])
        assert responses.count() == network["responses"]
        assert Participation.objects.filter(round__network_id=network["network_id"]).count() == network["responses"]
        # Every response answers the round's 11 items.
        answers = Answer.objects.filter(response__round__network_id=network["network_id"])
        assert answers.count() == network["answers"] == 11 * responses.count()
    assert Network.objects.get(pk=large["network_id"]).facilitators.filter(pk=large["facilitator_id"]).exists()
    assert len(facts["progress"]) == 3 + 1  # a line per round of the large network, and one at the end


def test_sizes_add_up_and_the_smallest_organisation_is_near_k():
    assert sum(sizes_of(1000)) == 1000
    assert K_ANONYMITY <= sizes_of(1000)[-1] < K_ANONYMITY / 0.8 + 1  # at 80 % answering, often fewer than k
    assert min(sizes_of(10)) >= 1


def test_the_raw_aggregate_equals_the_dashboards_figures_for_its_network_only(facts):
    large = Network.objects.get(pk=facts["large"]["network_id"])
    raw = raw_figures(large.pk)
    assert sum(n for n, _mean, _share in raw.values()) == facts["large"]["answers"]
    agreeing, problems = compare(selectors.dashboard(large), raw)
    assert problems == [] and agreeing > 0
    small = raw_figures(facts["small"]["network_id"])
    assert sum(n for n, _mean, _share in small.values()) == facts["small"]["answers"]


def test_a_tiny_measurement_and_its_report(facts):
    result = measure(
        facts["large"]["network_id"], facts["large"]["facilitator_id"], repeats=2, warmup=0, profiling=True
    )
    assert set(result["timings"]) == {RAW, DASHBOARD, PAGE}
    assert all(timing["calls"] == 2 for timing in result["timings"].values())
    assert result["queries"][RAW] == 1
    assert result["queries"][PAGE] > result["queries"][DASHBOARD] > 1
    assert len(result["sql_alone"]) == result["queries"][DASHBOARD]
    assert result["shown_rounds"] == [1, 2, 3]
    assert set(result["profiles"]) == {DASHBOARD, PAGE}
    lines = report({"facts": facts, **result}, "the suite's database")
    assert any(line.strip().startswith("selectors.dashboard(network)") for line in lines)
    assert "  targets (median wall time <= 3 x the raw SQL aggregate's):" in lines
    assert any("cProfile of selectors.dashboard(network)" in line for line in lines)


def test_the_target_is_three_times_the_raw_aggregate():
    timings = {RAW: {"wall_median": 10.0}, DASHBOARD: {"wall_median": 30.0}, PAGE: {"wall_median": 30.1}}
    assert [(verdict["name"], verdict["met"]) for verdict in judge(timings)] == [(DASHBOARD, True), (PAGE, False)]


def test_describe_names_the_tables_of_a_statement():
    sql = (
        'SELECT "collaboration_response"."round_id", COUNT("collaboration_answer"."id") FROM "collaboration_answer" '
        'INNER JOIN "collaboration_response" ON (...) GROUP BY 1'
    )
    assert describe(sql) == "answer + response GROUP BY COUNT"


def test_options():
    args = parse_args([])
    assert (args.database_list, args.professionals, args.rounds, args.repeats) == (["sqlite"], 1000, 26, 20)
    assert parse_args(["--databases", "sqlite,postgresql"]).database_list == ["sqlite", "postgresql"]
    with pytest.raises(SystemExit):
        parse_args(["--databases", "oracle"])
