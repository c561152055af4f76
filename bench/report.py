"""The benchmark's tables: per page the figures, the two ratios and the issue's targets, met or not met."""

from __future__ import annotations

import os
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from bench.load import Sample, Target, percentile

# The targets of issue 9 (a miss is printed, never an error).
FLOOR_TARGET = 0.6  # the login floor: >= 0.6 x the bare page
PAGE_BARE_TARGET = 0.15  # every household page: >= 0.15 x the bare page of its size ...
PAGE_REFERENCE_TARGET = 0.5  # ... and >= 0.5 x the reference page of its size
SCALE_TARGET = 1.2  # time per request at 100,000 households / at 1,000 (and 100,000 / 10 log entries): <= 1.2

BARE, FLOOR, REFERENCE, PAGE, POLL = "bare", "floor", "reference", "page", "poll"


@dataclass
class Row:
    target: Target
    sample: Sample
    kind: str  # BARE, FLOOR, REFERENCE, PAGE or POLL (the polling endpoint: no dearer than the login floor)
    group: int  # the size group whose bare and reference pages it is compared with

    @property
    def rate(self) -> float:
        return self.sample.rate

    @property
    def median(self) -> float:
        return statistics.median(self.sample.latencies) if self.sample.latencies else 0.0


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def verdict(row: Row, bare: float | None, reference: float | None, floor_cpu: float | None = None) -> str:
    """Met / not met for the row's target; "" for the baselines (no target of their own). The polling endpoint's
    "nothing new" must cost no more server CPU per request than the login floor page measured in the same run."""
    if row.kind == POLL:
        if not floor_cpu:
            return ""
        cpu = row.sample.cpu_per_request
        return f"{'met' if cpu <= floor_cpu else 'NOT met'} (CPU {cpu:.2f} <= floor {floor_cpu:.2f} ms)"
    if row.kind == FLOOR:
        if bare is None:
            return ""
        return f"{'met' if bare >= FLOOR_TARGET else 'NOT met'} (>= {FLOOR_TARGET} bare)"
    if row.kind != PAGE or bare is None or reference is None:
        return ""
    missed = [
        f"bare < {PAGE_BARE_TARGET}" if bare < PAGE_BARE_TARGET else "",
        f"ref < {PAGE_REFERENCE_TARGET}" if reference < PAGE_REFERENCE_TARGET else "",
    ]
    missed = [reason for reason in missed if reason]
    return f"NOT met ({', '.join(missed)})" if missed else "met"


def _number(value: float | None, width: int, digits: int = 2) -> str:
    return f"{value:>{width}.{digits}f}" if value is not None else f"{'-':>{width}}"


HEADER = (
    f"{'page':<26}{'who':<12}{'bytes':>7}{'grp':>4}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'CPU ms':>8}"
    f"{'queries':>8}{'/bare':>7}{'/ref':>6}  target"
)


def print_table(rows: Sequence[Row], indent: str = "") -> dict[str, str]:
    """Print one line per row; return each row's verdict (by target name)."""
    bare_rates = {row.group: row.rate for row in rows if row.kind == BARE}
    reference_rates = {row.group: row.rate for row in rows if row.kind == REFERENCE}
    floor_cpu = next((row.sample.cpu_per_request for row in rows if row.kind == FLOOR), None)
    verdicts = {}
    print(indent + HEADER)
    for row in rows:
        target, sample = row.target, row.sample
        over_bare = ratio(row.rate, bare_rates.get(row.group, 0.0)) if row.kind != BARE else None
        over_reference = ratio(row.rate, reference_rates.get(row.group, 0.0)) if row.kind == PAGE else None
        verdicts[target.name] = verdict(row, over_bare, over_reference, floor_cpu)
        queries = f"{target.queries:>8}" if target.queries is not None else f"{'-':>8}"
        print(
            f"{indent}{target.name[:25]:<26}{target.who[:11]:<12}{target.size:>7}{row.group:>4}{row.rate:>8.1f}"
            f"{1000 * row.median:>8.1f}{1000 * percentile(sample.latencies, 0.99):>8.1f}"
            f"{sample.cpu_per_request:>8.1f}{queries}{_number(over_bare, 7)}{_number(over_reference, 6)}"
            f"  {verdicts[target.name]}".rstrip()
        )
    return verdicts


def print_legend(clients: int) -> None:
    print(
        "req/s: requests served per second with "
        f"{clients} clients; p50/p99: latency as the clients saw it; CPU ms: server CPU time (gunicorn master "
        "and workers, user + system, from /proc) per request; queries: SQL statements of one request (counted "
        "once, outside the timed windows); /bare and /ref: req/s divided by that of the bare and the reference "
        "page of the same size group (grp, baselines within 15 % of the page's size)."
    )


def print_machine() -> None:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"load average after the run: {load} on {os.cpu_count()} cores "
        "(other work on the machine skews the figures; the ratios less so, as all pages share the rounds)"
    )


def summarise(verdicts: dict[str, str]) -> None:
    judged = {name: text for name, text in verdicts.items() if text}
    missed = [name for name, text in judged.items() if text.startswith("NOT")]
    print(
        f"targets met: {len(judged) - len(missed)} of {len(judged)}"
        + (f"; not met: {', '.join(missed)}" if missed else "")
    )


def scale_line(name: str, small: Row, large: Row) -> str:
    """Time per request, large / small: by median latency (judged) and by server CPU per request."""
    latency = ratio(large.median, small.median)
    cpu = ratio(large.sample.cpu_per_request, small.sample.cpu_per_request)
    met = "met" if latency is not None and latency <= SCALE_TARGET else "NOT met"
    return (
        f"{name[:25]:<26}{1000 * small.median:>11.1f}{1000 * large.median:>11.1f}{_number(latency, 7)}"
        f"{small.sample.cpu_per_request:>11.1f}{large.sample.cpu_per_request:>11.1f}{_number(cpu, 7)}"
        f"  {met} (<= {SCALE_TARGET})"
    )


def scale_header(small_label: str, large_label: str) -> str:
    return (
        f"{'page':<26}{'p50 ' + small_label:>11}{'p50 ' + large_label:>11}{'ratio':>7}"
        f"{'CPU ' + small_label:>11}{'CPU ' + large_label:>11}{'ratio':>7}  target (by p50)"
    )
