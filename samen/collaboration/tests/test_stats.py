"""The pulse's statistics against values computed here, independently (plain Python, the textbook formulas)."""

from __future__ import annotations

import statistics

import pytest

from samen.collaboration import stats


def test_summary_of_an_item():
    values = [1, 2, 4, 5, 5, 6, 7, 7]
    summary = stats.summary(values)
    assert summary.n == 8
    assert summary.mean == pytest.approx(statistics.mean(values))
    assert summary.sd == pytest.approx(statistics.stdev(values))
    assert summary.se == pytest.approx(statistics.stdev(values) / 8**0.5)
    assert summary.favourable == pytest.approx(5 / 8)
    assert summary.low == pytest.approx(2 / 8) and summary.high == pytest.approx(3 / 8)
    assert summary.distribution == {1: 1, 2: 1, 3: 0, 4: 1, 5: 2, 6: 1, 7: 2}


def test_summary_refuses_answers_off_the_scale_and_has_nothing_without_answers():
    assert stats.summary([]) is None
    with pytest.raises(ValueError):
        stats.summary([0, 4])


def _alpha_by_hand(rows):
    items = len(rows[0])
    columns = list(zip(*rows, strict=True))
    item_variances = sum(statistics.variance(column) for column in columns)
    total_variance = statistics.variance([sum(row) for row in rows])
    return items / (items - 1) * (1 - item_variances / total_variance)


def _rows(n):
    # Two items that mostly agree, with a little noise that repeats.
    noise = [0, 1, -1, 0, 2, -2, 1, 0, -1, 1]
    return [[1 + index % 7, max(1, min(7, 1 + index % 7 + noise[index % 10]))] for index in range(n)]


def test_cronbach_alpha_and_its_interval():
    rows = _rows(60)
    result = stats.cronbach_alpha(rows)
    assert result.n == 60
    assert result.alpha == pytest.approx(_alpha_by_hand(rows))
    assert result.low < result.alpha < result.high
    wider = stats.cronbach_alpha(rows[:30])
    assert wider.high - wider.low > result.high - result.low


def test_feldt_interval_matches_a_published_table_value():
    # Feldt (1965) with n = 31 people and 2 items: (1 - alpha) / (1 - population alpha) ~ F(30, 30). The 97.5th
    # percentile of F(30, 30) is 2.0739 (standard F tables), so for alpha = 0.80 the lower bound is 1 - 0.2 * 2.0739.
    rows = _rows(31)
    result = stats.cronbach_alpha(rows)
    assert result.low == pytest.approx(1 - (1 - result.alpha) * 2.0739, abs=1e-3)
    assert result.high == pytest.approx(1 - (1 - result.alpha) / 2.0739, abs=1e-3)


def test_alpha_needs_30_complete_answers_and_two_items():
    assert stats.cronbach_alpha(_rows(29)) is None
    assert stats.cronbach_alpha([[4] for _ in range(40)]) is None
    assert stats.cronbach_alpha([[4, 4] for _ in range(40)]) is None  # no variance at all


def test_rwg_for_one_item_and_for_a_construct():
    one = [[4], [5], [4], [6], [5]]
    variance = statistics.variance([4, 5, 4, 6, 5])
    assert stats.rwg(one) == pytest.approx(1 - variance / 4)
    two_camps = [[1], [1], [7], [7], [1], [7]]
    assert stats.rwg(two_camps) == 0  # more spread than chance counts as no agreement
    rows = [[4, 5], [5, 5], [4, 4], [6, 5], [5, 6]]
    mean_variance = (statistics.variance([4, 5, 4, 6, 5]) + statistics.variance([5, 5, 4, 5, 6])) / 2
    j = 2
    expected = j * (1 - mean_variance / 4) / (j * (1 - mean_variance / 4) + mean_variance / 4)
    assert stats.rwg(rows) == pytest.approx(expected)
    assert stats.rwg([[4]]) is None
