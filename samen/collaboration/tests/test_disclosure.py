"""What the pulse shows by organisation: ``samen.core.anonymity.groups_to_show`` (property tests) and the dashboard's
edge cases (an organisation with 4 respondents among 3; one that drops below k after the round before showed it)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samen.collaboration import selectors, services
from samen.collaboration.tests.conftest import answer_all, build_setting
from samen.core.anonymity import groups_to_show

K = 5


@st.composite
def tables(draw):
    groups = draw(st.integers(min_value=1, max_value=6))
    figures = draw(st.integers(min_value=1, max_value=3))
    return {
        f"g{group}": [draw(st.integers(min_value=0, max_value=14)) for _ in range(figures)] for group in range(groups)
    }


@settings(max_examples=400, deadline=None)
@given(tables())
def test_no_shown_figure_lets_a_group_below_k_be_worked_out(counts):
    """A reader sees each shown group's figures, the figures of all groups together, and which groups are hidden.
    From that, only the hidden groups *together* can be worked out (the total minus the shown ones). So: every shown
    group passes k; the hidden ones together pass k on every figure; and a small hidden group never stands alone in
    that remainder: on every figure where it has people, another hidden group has people too, so its own figure
    (a mean, a share) cannot be split off."""
    shown = groups_to_show(counts, k=K)
    hidden = [key for key in counts if key not in shown]
    for key in shown:
        assert min(counts[key]) >= K
    assert all(key in hidden for key in counts if min(counts[key]) < K)
    if not (hidden and shown):
        return  # nothing by group, or every group: only the total's own k rule applies
    assert len(hidden) >= 2
    for figure in range(len(next(iter(counts.values())))):
        assert sum(counts[key][figure] for key in hidden) >= K
        for key in hidden:
            if 0 < counts[key][figure] < K:
                others = [other for other in hidden if other != key and counts[other][figure] > 0]
                assert others, (counts, shown, key, figure)


def test_nothing_is_shown_when_nothing_can_protect_the_small_group():
    assert groups_to_show({"a": [4], "b": [20]}, k=K) == frozenset()
    assert groups_to_show({"a": [4], "b": [20], "c": [9]}, k=K) == frozenset({"b"})
    assert groups_to_show({"a": [5], "b": [6]}, k=K) == frozenset({"a", "b"})


@pytest.mark.django_db
def test_an_organisation_with_four_respondents_among_three_hides_another_one_as_well(
    django_capture_on_commit_callbacks,
):
    setting = build_setting((6, 7, 4))
    pulse_round = setting.open_round()
    with django_capture_on_commit_callbacks(execute=True):
        answer_all(setting, pulse_round)
    services.round_close(actor=setting.actor(setting.facilitator), pulse_round=pulse_round)
    board = selectors.dashboard(setting.network)
    shown = [organisation.name for organisation in board.breakdown.organisations]
    # C (4) is below k; showing A and B beside the network would give C away, so the smaller of them (A) goes too,
    # and then B alone beside the total would give away A + C, which is fine: that is 10 people.
    assert shown == ["Organisatie B"] and board.breakdown.hidden == 2
    assert board.latest.constructs["trust"].summary.n == 17


@pytest.mark.django_db
def test_a_round_where_an_organisation_drops_below_k_after_it_was_shown(django_capture_on_commit_callbacks):
    setting = build_setting((6, 6, 6))
    facilitator = setting.actor(setting.facilitator)
    first = setting.open_round()
    with django_capture_on_commit_callbacks(execute=True):
        answer_all(setting, first, values=dict.fromkeys([organisation.pk for organisation in setting.organisations], 6))
    services.round_close(actor=facilitator, pulse_round=first)
    assert len(selectors.dashboard(setting.network).breakdown.organisations) == 3
    # In the next round two of C's six do not answer.
    c = setting.organisations[2]
    setting.professionals[c.pk] = setting.professionals[c.pk][:4]
    second = services.round_open(
        actor=facilitator, pulse_round=services.round_schedule(actor=facilitator, network=setting.network)
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer_all(setting, second)
    services.round_close(actor=facilitator, pulse_round=second)
    board = selectors.dashboard(setting.network)
    # C (4 answers, cleared at the close) is hidden, and A with it (the smaller of the rest, equal to B: the first),
    # so that C cannot be worked out from the network minus A and B.
    assert [organisation.name for organisation in board.breakdown.organisations] == ["Organisatie B"]
    assert board.breakdown.hidden == 2
    # Each round keeps its own figures.
    assert [figures.constructs["trust"].summary.mean for figures in board.rounds] == [6, 5]


def test_a_theme_is_hidden_when_one_of_its_asked_questions_is_below_k():
    """Five answer "voice", one answers "silence" too: the theme (voice + silence turned round) would give the one
    silence answer away as the theme's figure minus the voice figure, so the theme is not shown."""
    from samen.collaboration.items import CONSTRUCT_BY_CODE
    from samen.collaboration.selectors import _construct_figure

    voice = CONSTRUCT_BY_CODE["voice"]
    hidden = _construct_figure(voice, {"voice": {3: 1, 5: 1, 4: 1, 6: 1, 2: 1}, "silence": {7: 1}})
    assert hidden.summary is None
    shown = _construct_figure(voice, {"voice": {3: 1, 5: 1, 4: 1, 6: 1, 2: 1}, "silence": {}})
    assert shown.summary is not None and shown.summary.mean == 4.0
