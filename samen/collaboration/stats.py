"""The pulse's statistics (``design/collaboration.md``, "Statistics the software computes"). Pure functions: numbers
in, numbers out; ``selectors`` decide what may be shown (k-anonymity) before anything here is reported.

- ``summary``: mean, favourable share (5-7), distribution, n, standard deviation and standard error of one item or
  of one construct's scores;
- ``cronbach_alpha``: the internal consistency of a multi-item construct, with Feldt's confidence interval (the F
  distribution from SciPy), on complete answers only, once there are at least ``ALPHA_MIN_N`` of them;
- ``rwg``: within-group agreement against a uniform ("no agreement") distribution on the 7-point scale: r_wg for one
  item, r_wg(J) for a construct of J items (James, Demaree & Wolf 1984). Low agreement behind an average of 4 says
  there may be two camps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as scipy_stats

from samen.collaboration.items import FAVOURABLE_FROM, SCALE, SCALE_MAX, SCALE_MIN

ALPHA_MIN_N = 30
# The variance of answers spread evenly over the A = 7 points of the scale: (A^2 - 1) / 12.
UNIFORM_VARIANCE = (len(SCALE) ** 2 - 1) / 12


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float
    favourable: float  # share of answers 5, 6 or 7 (0..1)
    distribution: dict[int, int]  # answer -> how many (1..7; a construct's mean score rounds to the nearest point)
    sd: float
    se: float
    low: float  # share of answers 1 or 2
    high: float  # share of answers 6 or 7


def summary(values: Sequence[float]) -> Summary | None:
    """The figures of one item or construct; None without any answer."""
    data = np.asarray(values, dtype=float)
    n = int(data.size)
    if n == 0:
        return None
    if np.any((data < SCALE_MIN) | (data > SCALE_MAX)):
        raise ValueError("answers are on the scale 1..7")
    sd = float(np.std(data, ddof=1)) if n > 1 else 0.0
    points = np.clip(np.floor(data + 0.5), SCALE_MIN, SCALE_MAX).astype(int)
    counts = np.bincount(points, minlength=SCALE_MAX + 1)
    return Summary(
        n=n,
        mean=float(np.mean(data)),
        favourable=float(np.mean(data >= FAVOURABLE_FROM)),
        distribution={point: int(counts[point]) for point in SCALE},
        sd=sd,
        se=sd / float(np.sqrt(n)),
        low=float(np.mean(data <= 2)),
        high=float(np.mean(data >= 6)),
    )


@dataclass(frozen=True)
class Alpha:
    n: int
    alpha: float
    low: float  # the confidence interval (95% unless asked otherwise)
    high: float


def cronbach_alpha(rows: Sequence[Sequence[float]], *, confidence: float = 0.95) -> Alpha | None:
    """Cronbach's alpha of complete answers (a row per respondent, a column per item, reverse items already turned
    round), with Feldt's interval; None below ``ALPHA_MIN_N`` rows, with fewer than 2 items, or when every answer is
    the same (no variance: alpha does not exist)."""
    data = np.asarray(rows, dtype=float)
    if data.ndim != 2 or data.shape[0] < ALPHA_MIN_N or data.shape[1] < 2:
        return None
    totals = data.sum(axis=1)
    return cronbach_alpha_from_sums(
        n=data.shape[0],
        sums=data.sum(axis=0).tolist(),
        squares=(data**2).sum(axis=0).tolist(),
        total=float(totals.sum()),
        total_squares=float((totals**2).sum()),
        confidence=confidence,
    )


def _variance(n: int, total: float, squares: float) -> float:
    return (squares - total * total / n) / (n - 1)


def cronbach_alpha_from_sums(
    *,
    n: int,
    sums: Sequence[float],
    squares: Sequence[float],
    total: float,
    total_squares: float,
    confidence: float = 0.95,
) -> Alpha | None:
    """Cronbach's alpha from sums the database can compute (``selectors``): over n complete answers, per item the sum
    and the sum of squares, and the sum and sum of squares of each person's total. Same rules as ``cronbach_alpha``."""
    items = len(sums)
    if n < ALPHA_MIN_N or items < 2 or len(squares) != items:
        return None
    total_variance = _variance(n, total, total_squares)
    if total_variance <= 0:
        return None
    item_variances = sum(
        _variance(n, item_sum, item_squares) for item_sum, item_squares in zip(sums, squares, strict=True)
    )
    alpha = items / (items - 1) * (1 - item_variances / total_variance)
    # Feldt (1965): (1 - alpha) / (1 - population alpha) follows F with n - 1 and (n - 1)(items - 1) degrees.
    df1, df2 = n - 1, (n - 1) * (items - 1)
    tail = (1 - confidence) / 2
    low = 1 - (1 - alpha) * float(scipy_stats.f.ppf(1 - tail, df1, df2))
    high = 1 - (1 - alpha) * float(scipy_stats.f.ppf(tail, df1, df2))
    return Alpha(n=n, alpha=alpha, low=low, high=high)


def summary_from_counts(counts: dict[int, int]) -> Summary | None:
    """``summary`` of answers given as how many gave each answer (1..7), without writing every answer out."""
    weights = np.zeros(SCALE_MAX + 1)
    for point, count in counts.items():
        if point not in SCALE or count < 0:
            raise ValueError("answers are on the scale 1..7")
        weights[point] = count
    n = int(weights.sum())
    if n == 0:
        return None
    points = np.arange(SCALE_MAX + 1)
    mean = float((weights * points).sum() / n)
    variance = float((weights * (points - mean) ** 2).sum() / (n - 1)) if n > 1 else 0.0
    sd = variance**0.5
    return Summary(
        n=n,
        mean=mean,
        favourable=float(weights[FAVOURABLE_FROM:].sum() / n),
        distribution={point: int(weights[point]) for point in SCALE},
        sd=sd,
        se=sd / n**0.5,
        low=float(weights[1:3].sum() / n),
        high=float(weights[6:].sum() / n),
    )


def rwg_from_variances(variances: Sequence[float]) -> float | None:
    """r_wg (one item) or r_wg(J) (J items) from each item's answer variance (at least 2 people behind each)."""
    if not variances:
        return None
    ratio = min(float(np.mean(variances)) / UNIFORM_VARIANCE, 1.0)
    items = len(variances)
    if items == 1:
        return 1 - ratio
    agreement = items * (1 - ratio)
    return agreement / (agreement + ratio) if agreement + ratio else None


def rwg(rows: Sequence[Sequence[float]]) -> float | None:
    """Within-group agreement of a group's answers to one construct: a row per respondent, a column per item of the
    construct (one column: r_wg; J columns: r_wg(J) from the mean item variance). 1 is full agreement, 0 no more than
    chance; an observed variance above the uniform one counts as 0. None with fewer than 2 respondents."""
    data = np.asarray(rows, dtype=float)
    if data.ndim != 2 or data.shape[0] < 2 or data.shape[1] < 1:
        return None
    return rwg_from_variances([float(variance) for variance in np.var(data, axis=0, ddof=1)])
