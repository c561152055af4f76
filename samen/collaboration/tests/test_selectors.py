"""The dashboard's figures from the database equal the same statistics computed here from the stored answers."""

from __future__ import annotations

import random

import pytest

from samen.collaboration import selectors, stats
from samen.collaboration.items import CONSTRUCTS, scored
from samen.collaboration.models import Answer, PulseRound, Response, RoundStatus
from samen.organisations.tests.factories import NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _rounds(network, count=2, people=40, seed=7):
    rng = random.Random(seed)
    organisation = network.organisations.first()
    rounds = []
    for number in range(1, count + 1):
        pulse_round = PulseRound.objects.create(
            network=network,
            number=number,
            opens_on=f"2026-0{number}-01",
            closes_on=f"2026-0{number}-15",
            status=RoundStatus.CLOSED,
            rotating_item="resilience",
            invited=people,
        )
        for _ in range(people):
            response = Response.objects.create(round=pulse_round, organisation=organisation)
            base = rng.randint(2, 6)
            for code in ("trust", "voice", "silence", "influence", "status", "failure", "simplify", "resilience"):
                if rng.random() < 0.1:
                    continue  # don't know
                value = max(1, min(7, base + rng.randint(-1, 1)))
                Answer.objects.create(response=response, item=code, value=8 - value if code == "silence" else value)
        rounds.append(pulse_round)
    return rounds


def test_alpha_from_the_database_equals_alpha_from_the_answers():
    network = NetworkFactory(organisations=[OrganisationFactory(), OrganisationFactory()])
    rounds = _rounds(network)
    by_response: dict = {}
    for response_id, item, value in Answer.objects.values_list("response_id", "item", "value"):
        by_response.setdefault(response_id, {})[item] = scored(item, value)
    alphas = selectors._alphas([pulse_round.pk for pulse_round in rounds])
    for construct in CONSTRUCTS:
        if not construct.is_multi_item:
            continue
        rows = [
            [answers[code] for code in construct.items]
            for answers in by_response.values()
            if all(code in answers for code in construct.items)
        ]
        expected = stats.cronbach_alpha(rows)
        assert alphas[construct.code].n == expected.n
        assert alphas[construct.code].alpha == pytest.approx(expected.alpha)
        assert alphas[construct.code].low == pytest.approx(expected.low)


def test_item_and_theme_figures_from_counts_equal_the_answers():
    network = NetworkFactory(organisations=[OrganisationFactory(), OrganisationFactory()])
    (pulse_round,) = _rounds(network, count=1)
    board = selectors.dashboard(network)
    latest = board.latest
    values = list(Answer.objects.filter(item="trust").values_list("value", flat=True))
    expected = stats.summary(values)
    shown = latest.items["trust"].summary
    assert (shown.n, shown.distribution) == (expected.n, expected.distribution)
    for name in ("mean", "sd", "se", "favourable", "low", "high"):
        assert getattr(shown, name) == pytest.approx(getattr(expected, name))
    voice = [
        scored(item, value)
        for item, value in Answer.objects.filter(item__in=["voice", "silence"]).values_list("item", "value")
    ]
    assert latest.constructs["voice"].summary.mean == pytest.approx(stats.summary(voice).mean)
    assert latest.constructs["voice"].summary.favourable == pytest.approx(stats.summary(voice).favourable)


def test_the_dashboard_reads_the_reliability_stored_at_the_close(django_assert_num_queries):
    network = NetworkFactory(organisations=[OrganisationFactory(), OrganisationFactory()])
    rounds = _rounds(network)
    live = selectors.dashboard(network).alpha
    latest = rounds[-1]
    latest.alphas = selectors.alphas_to_store(latest)
    latest.save(update_fields=["alphas"])
    stored = selectors.dashboard(network).alpha
    assert stored.keys() == live.keys()
    for code, alpha in live.items():
        assert stored[code].n == alpha.n and stored[code].alpha == pytest.approx(alpha.alpha)
    # One query less: the pooled answers are not read again.
    with django_assert_num_queries(5):
        selectors.dashboard(network)
