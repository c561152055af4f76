"""k-anonymity for group figures (standards.md, privacy rule 5): the one place for k and for suppression.

A figure about a group of people is shown only when the group has at least ``k`` people in it; a smaller
one reads "fewer than k" (*primary* suppression). When a page also shows the total of a column, a hidden
figure could be worked out by subtraction, so ``suppress`` then hides more figures, which read "not shown"
(*complementary* suppression), or, when nothing would protect it, leaves the total out.

What a reader knows, and what ``suppress`` guarantees against that reader:

* every shown figure (each is ``k`` or more);
* that a "fewer than k" figure is one of 0..k-1;
* that a "not shown" figure is ``k`` or more (otherwise it would read "fewer than k");
* the total, when it is shown.

From all of this together each "fewer than k" figure can still be *any* of 0..k-1 (the total tells
nothing more about it than the label already does), and each "not shown" figure can still be at least two
different numbers. "Next-smallest" is not enough for that: in 0, 5, 20 with a total of 25, hiding the 0
and the 5 gives away that they are 0 and 5 (hidden sum 5, the second at least 5); the 20 is hidden instead.

A total below ``k`` reads "fewer than k": every figure in the column is then small as well, and the
total adds nothing. The functions here are pure (no database); the labels are translated.

Figures that are not about people, such as the number of organisations, need none of this.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.utils.translation import gettext

K_ANONYMITY = 5

Key = TypeVar("Key", bound=Hashable)


def fewer_than(k: int = K_ANONYMITY) -> str:
    """The label of a figure hidden because it is below ``k``."""
    return gettext("fewer than %(k)d") % {"k": k}


def not_shown() -> str:
    """The label of a figure hidden so that a small figure cannot be worked out from the total."""
    return gettext("not shown")


def k_anonymous(count: int, k: int = K_ANONYMITY) -> int | str:
    """``count`` itself, or "fewer than k" when it is below ``k`` (zero included). For a lone figure."""
    return fewer_than(k) if count < k else count


@dataclass(frozen=True)
class Suppressed(Generic[Key]):
    """The outcome of ``suppress``: what may be shown of one column of counts."""

    values: dict[Key, int | None]  # the count where it may be shown, None where it is hidden
    small: frozenset[Key]  # hidden because below k ("fewer than k"); other hidden keys protect these
    total: int | None  # the total where it may be shown (asked for, k or more, and safe), else None
    total_is_small: bool  # the total is below k, so it reads "fewer than k"
    k: int

    @property
    def hidden(self) -> frozenset[Key]:
        return frozenset(key for key, value in self.values.items() if value is None)

    def display(self, key: Key) -> int | str:
        """The count of ``key``, or the label that explains why it is hidden."""
        value = self.values[key]
        if value is not None:
            return value
        return fewer_than(self.k) if key in self.small else not_shown()

    def display_total(self) -> int | str:
        if self.total is not None:
            return self.total
        return fewer_than(self.k) if self.total_is_small else not_shown()


def suppress(counts: Mapping[Key, int], *, k: int = K_ANONYMITY, total_shown: bool) -> Suppressed[Key]:
    """Hide the counts below ``k``; with ``total_shown``, also what would let one work them out from the total.

    ``counts`` is one column of a table: counts of people (or of households) per group, all groups of
    the column, the empty ones included. Keys keep their order.
    """
    if k < 2:
        raise ValueError("k must be at least 2")
    for key, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"count for {key!r} must be a whole number of 0 or more, not {count!r}")
    small = frozenset(key for key, count in counts.items() if count < k)
    grand_total = sum(counts.values())
    hidden = set(small)
    total = None
    total_is_small = False
    if total_shown:
        if grand_total < k:
            total_is_small = True
        else:
            complement = _complement(counts, small, k)
            if complement is not None:
                hidden |= complement
                total = grand_total
    values = {key: None if key in hidden else count for key, count in counts.items()}
    return Suppressed(values=values, small=small, total=total, total_is_small=total_is_small, k=k)


def is_protected(small_counts: list[int], complementary_counts: list[int], k: int) -> bool:
    """Whether, with the total shown, every small count can still be any of 0..k-1.

    The hidden counts add up to a known sum S. A small one can be v when the others can make up S - v:
    the small others anything from 0 to (k-1) each, the complementary ones anything from k up.
    """
    if not small_counts:
        return True
    hidden_sum = sum(small_counts) + sum(complementary_counts)
    if complementary_counts:
        # v = k-1 must leave the complementary ones at least k each: S - (k-1) >= k * |C|.
        return hidden_sum - k * len(complementary_counts) >= k - 1
    # Only small ones: v = k-1 needs S >= k-1; v = 0 needs the other small ones to reach S.
    return len(small_counts) >= 2 and k - 1 <= hidden_sum <= (k - 1) * (len(small_counts) - 1)


def _complement(counts: Mapping[Key, int], small: frozenset[Key], k: int) -> set[Key] | None:
    """The fewest, smallest shown counts to hide as well so that the small ones are protected; None if none do."""
    small_counts = [counts[key] for key in small]
    if is_protected(small_counts, [], k):
        return set()
    candidates = sorted((count, index, key) for index, (key, count) in enumerate(counts.items()) if key not in small)
    chosen: list[tuple[int, int, Key]] = []
    while candidates:
        # Each complementary count c adds c - k of room; the small ones need k - 1 in all.
        needed = (k - 1) - sum(small_counts) - sum(count - k for count, _, _ in chosen)
        enough = next((candidate for candidate in candidates if candidate[0] - k >= needed), None)
        pick = enough if enough is not None else candidates[-1]
        candidates.remove(pick)
        chosen.append(pick)
        if is_protected(small_counts, [count for count, _, _ in chosen], k):
            return {key for _, _, key in chosen}
    return None


def groups_to_show(counts: Mapping[Key, Sequence[int]], *, k: int = K_ANONYMITY) -> frozenset[Key]:
    """The groups whose figures (means, shares, counts) may be shown beside the figures of all groups together.

    ``counts[group][j]`` is how many people are behind the group's figure ``j`` (an item each, say); every group has
    the same figures, in the same order. A group is shown only when each of its figures has ``k`` people or more.
    Because the all-groups figure is shown too, the hidden groups together can be worked out by subtraction, so:

    * the hidden groups' counts are protected as ``suppress`` protects a column with its total;
    * at least two groups are hidden, or none (one hidden group would be the total minus the shown ones);
    * the hidden groups together have ``k`` people or more behind every figure (their combined figure is then a
      figure about ``k`` or more people, which may be known).

    When that cannot be reached, no group is shown (an empty set). Keys keep the order of ``counts``.
    """
    if k < 2:
        raise ValueError("k must be at least 2")
    keys = list(counts)
    if not keys:
        return frozenset()
    widths = {len(counts[key]) for key in keys}
    if len(widths) != 1:
        raise ValueError("every group needs the same figures")
    smallest = {key: min(counts[key], default=0) for key in keys}
    column = suppress(smallest, k=k, total_shown=True)
    if column.total is None and not column.total_is_small and column.small:
        return frozenset()  # nothing protects the small groups
    hidden = set(column.hidden)
    if not hidden:
        return frozenset(keys)

    figures = range(next(iter(widths)))

    def safe() -> bool:
        return len(hidden) >= 2 and all(sum(counts[key][j] for key in hidden) >= k for j in figures)

    candidates = sorted((smallest[key], index, key) for index, key in enumerate(keys) if key not in hidden)
    while not safe():
        if not candidates:
            return frozenset()
        hidden.add(candidates.pop(0)[2])
    return frozenset(key for key in keys if key not in hidden)
