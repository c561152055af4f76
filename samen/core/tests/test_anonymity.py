"""k-anonymity and complementary suppression: no small group can be seen, directly or by subtraction.

The property tests check ``suppress`` against an independent reader: one who knows every shown figure,
the labels ("fewer than k" is 0..k-1, "not shown" is k or more) and the total, and works out every value
each hidden figure could still have (by enumerating the sums the other hidden figures can make).
"""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from samen.core.anonymity import K_ANONYMITY, Suppressed, fewer_than, k_anonymous, not_shown, suppress


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- an independent reader ----------------------------------------------------------------------------


def _sums(ranges: list[tuple[int, int]], limit: int) -> set[int]:
    """Every sum (up to ``limit``) of one whole number from each (low, high) range."""
    sums = {0}
    for low, high in ranges:
        sums = {s + v for s in sums for v in range(low, high + 1) if s + v <= limit}
    return sums


def possible_values(result: Suppressed, counts: dict) -> dict:
    """For each hidden key: every value it could have, given what the page shows. None: anything in its range."""
    k = result.k
    hidden = [key for key, value in result.values.items() if value is None]
    shown_sum = sum(value for value in result.values.values() if value is not None)
    if result.total is not None:
        low = high = result.total - shown_sum
    elif result.total_is_small:
        low, high = 0, k - 1 - shown_sum
    else:
        return dict.fromkeys(hidden)  # no total: nothing ties the hidden figures together
    ranges = {key: (0, k - 1) if key in result.small else (k, high) for key in hidden}
    possible = {}
    for key in hidden:
        others = _sums([ranges[other] for other in hidden if other != key], high)
        own_low, own_high = ranges[key]
        possible[key] = {v for v in range(own_low, own_high + 1) if any(low - v <= s <= high - v for s in others)}
    assert all(counts[key] in values for key, values in possible.items())  # the truth is always possible
    return possible


def assert_nothing_can_be_worked_out(result: Suppressed, counts: dict) -> None:
    for key, values in possible_values(result, counts).items():
        if values is None:
            continue
        if key in result.small:
            assert values == set(range(result.k)), f"{key}: could only be {sorted(values)}"
        else:
            assert len(values) >= 2, f"{key}: could only be {sorted(values)}"


columns = st.lists(st.integers(min_value=0, max_value=40), min_size=0, max_size=7).map(
    lambda counts: {f"group {i}": count for i, count in enumerate(counts)}
)


# --- properties ---------------------------------------------------------------------------------------


@given(counts=columns, total_shown=st.booleans(), k=st.integers(min_value=2, max_value=6))
@settings(max_examples=400, deadline=None)
def test_no_hidden_figure_can_be_worked_out(counts, total_shown, k):
    result = suppress(counts, k=k, total_shown=total_shown)
    assert_nothing_can_be_worked_out(result, counts)


@given(counts=columns, total_shown=st.booleans(), k=st.integers(min_value=2, max_value=6))
@settings(max_examples=300, deadline=None)
def test_shown_figures_are_true_and_at_least_k(counts, total_shown, k):
    result = suppress(counts, k=k, total_shown=total_shown)
    assert list(result.values) == list(counts)
    for key, value in result.values.items():
        assert value is None or (value == counts[key] and value >= k)
    assert result.small == {key for key, count in counts.items() if count < k}
    assert result.small <= result.hidden
    if result.total is not None:
        assert total_shown and result.total == sum(counts.values()) and result.total >= k
    assert result.total_is_small == (total_shown and sum(counts.values()) < k)


@given(counts=columns, k=st.integers(min_value=2, max_value=6))
@settings(max_examples=200, deadline=None)
def test_without_a_total_only_small_figures_are_hidden(counts, k):
    result = suppress(counts, k=k, total_shown=False)
    assert result.hidden == result.small
    assert result.total is None and not result.total_is_small


@given(counts=columns, k=st.integers(min_value=2, max_value=6))
@settings(max_examples=300, deadline=None)
def test_the_total_is_left_out_only_when_nothing_else_would_protect(counts, k):
    result = suppress(counts, k=k, total_shown=True)
    if result.total is not None or result.total_is_small:
        return
    assert result.hidden == result.small  # the total went instead of more figures
    everything_hidden = Suppressed(
        values=dict.fromkeys(counts),
        small=result.small,
        total=sum(counts.values()),
        total_is_small=False,
        k=k,
    )
    with pytest.raises(AssertionError):
        assert_nothing_can_be_worked_out(everything_hidden, counts)


# --- examples -----------------------------------------------------------------------------------------


def test_one_small_figure_and_a_total_hide_the_next_smallest():
    result = suppress({"a": 3, "b": 7, "c": 20}, total_shown=True)
    assert result.values == {"a": None, "b": None, "c": 20}
    assert result.total == 30
    assert [result.display(key) for key in "abc"] == ["fewer than 5", "not shown", 20]
    assert_nothing_can_be_worked_out(result, {"a": 3, "b": 7, "c": 20})


def test_the_next_smallest_is_skipped_when_it_would_give_both_away():
    # Hiding 0 and 5 leaves a hidden sum of 5 with the second at least 5: both would be known.
    counts = {"a": 0, "b": 5, "c": 20}
    result = suppress(counts, total_shown=True)
    assert result.values == {"a": None, "b": 5, "c": None}
    assert result.total == 25
    assert_nothing_can_be_worked_out(result, counts)


def test_two_small_figures_that_add_up_to_too_much_are_protected_too():
    # 4 and 4 with the rest shown: the hidden sum 8 can only be 4 + 4.
    counts = {"a": 4, "b": 4, "c": 10, "d": 20}
    result = suppress(counts, total_shown=True)
    assert result.values == {"a": None, "b": None, "c": None, "d": 20}
    assert_nothing_can_be_worked_out(result, counts)


def test_two_small_figures_can_protect_each_other():
    counts = {"a": 1, "b": 3, "c": 30}
    result = suppress(counts, total_shown=True)
    assert result.values == {"a": None, "b": None, "c": 30}
    assert result.total == 34


def test_the_total_is_left_out_when_nothing_protects_the_small_figure():
    result = suppress({"a": 1, "b": 5}, total_shown=True)
    assert result.values == {"a": None, "b": 5}
    assert result.total is None and not result.total_is_small
    assert result.display_total() == "not shown"


def test_a_total_below_k_reads_fewer_than_k():
    result = suppress({"a": 1, "b": 2}, total_shown=True)
    assert result.hidden == {"a", "b"}
    assert result.total is None and result.total_is_small
    assert result.display_total() == "fewer than 5"


def test_without_small_figures_everything_is_shown():
    result = suppress({"a": 5, "b": 12}, total_shown=True)
    assert result.values == {"a": 5, "b": 12}
    assert result.total == 17
    assert result.display("a") == 5


def test_no_total_asked_means_no_total():
    result = suppress({"a": 2, "b": 12}, total_shown=False)
    assert result.values == {"a": None, "b": 12}
    assert result.total is None
    assert result.display_total() == "not shown"


def test_an_empty_column():
    result = suppress({}, total_shown=True)
    assert result.values == {} and result.total is None and result.total_is_small


def test_zero_is_a_small_figure():
    assert suppress({"a": 0, "b": 9}, total_shown=False).display("a") == "fewer than 5"


@pytest.mark.parametrize("bad", [-1, 2.5, "3", None, True])
def test_counts_must_be_whole_numbers_of_zero_or_more(bad):
    with pytest.raises(ValueError, match="whole number"):
        suppress({"a": bad}, total_shown=False)


def test_k_must_be_at_least_two():
    with pytest.raises(ValueError, match="at least 2"):
        suppress({"a": 1}, k=1, total_shown=False)


# --- lone figures and labels ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "fewer than 5"), (1, "fewer than 5"), (4, "fewer than 5"), (5, 5), (6, 6)]
)
def test_k_anonymous_suppresses_counts_below_five(count, shown):
    assert K_ANONYMITY == 5
    assert k_anonymous(count) == shown


def test_k_anonymous_with_another_k():
    assert k_anonymous(9, k=10) == "fewer than 10"
    assert k_anonymous(10, k=10) == 10


def test_labels_in_dutch():
    with translation.override("nl"):
        assert fewer_than() == "minder dan 5"
        assert not_shown() == "niet getoond"
