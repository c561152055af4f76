"""Benchmark: the network pulse's facilitator dashboard against a raw SQL aggregate of the same data, in one run on
one database (issue 12: "the facilitator dashboard for a network of 1,000 professionals x 26 rounds, against a raw
SQL aggregate of the same data in the same run; print both and the ratio (target <= 3)").

    make bench BENCH=pulse   (= .venv/bin/python bench/pulse.py [--databases sqlite,postgresql] [--repeats 20])

Per database (``--databases``; SQLite by default), all in a temporary folder removed afterwards:

1. A fresh database in production mode (DEBUG=false, a random SECRET_KEY, the second factor waived): a SQLite
   file in the folder, or a PostgreSQL database ``samen_bench_pulse_<pid>`` on 127.0.0.1:5432 (user ``postgres``,
   or ``BENCH_PG_URL`` for another server) created here and dropped afterwards; ``migrate``, and ``collectstatic``
   once for the page's static files.
2. The data (``bench/pulse_data.py``, its progress on stderr): a network of ``--professionals`` (1,000) people in 8
   organisations with ``--rounds`` (26) closed rounds, about 80 % answering, 11 items each (about 230,000
   answers), and a small network of 30 people with as many rounds, so every query must filter; then ANALYZE.
3. Measured in a fresh process (its heap as a server worker's, not what generating left), after ``--warmup`` calls
   each, ``--repeats`` times in turns that rotate the order (drift on the machine hits all alike), with a garbage
   collection before each call (outside its time):

   - **raw SQL**: one plain statement through ``connection.cursor()`` that computes, per round and item of the
     rounds the page shows (the last ``selectors.TREND_ROUNDS`` closed rounds of the network), n, the mean and the
     share 5-7: the floor for "the same per-round, per-item figures";
   - **dashboard**: ``selectors.dashboard(network)``, everything the page shows (judged: median wall time
     <= 3 x raw SQL);
   - **page**: the network's pulse page (``collaboration:network``) through Django's test client (every
     middleware, the session, the view, the template), logged in as the network's facilitator (judged as well).

   Wall and CPU time (``time.process_time``: this process, so for PostgreSQL without the server's work) per call,
   median and p90; on PostgreSQL also the database backend's CPU per call (from ``/proc``, when the server runs on
   this machine); the time in Python's garbage collector within the call. The queries of one dashboard and of one
   page (counted once, outside the timed calls).
4. Checks: the page answers 200 with the network's name, and the dashboard's per-round, per-item n, mean and
   share 5-7 equal the raw SQL's (else the run stops with an error).
5. Where the dashboard's time goes, unprofiled: each of its SQL statements run alone (execute + fetchall),
   ``selectors._alphas`` alone, the rest (Python: ORM rows, statistics) and what the page adds. With ``--profile``,
   or when a target is missed, a cProfile of the dashboard and of the page too (the mean of 3 calls; profiler
   overhead inflates the Python parts: read the shares).

A missed target is printed, never an error: the exit status is non-zero only when a setup step failed or a check
did not hold.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import json
import linecache
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.load import percentile  # noqa: E402
from bench.processes import Stop, stop_on_signals  # noqa: E402
from bench.server import TICKS_PER_SECOND, BenchError, manage, parse_stat, run_module, server_environment  # noqa: E402

PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DATABASES = ("sqlite", "postgresql")
RATIO_TARGET = 3.0
RAW, DASHBOARD, PAGE = "raw SQL", "dashboard", "page"
LABELS = {
    RAW: "raw SQL aggregate (1 statement)",
    DASHBOARD: "selectors.dashboard(network)",
    PAGE: "the page, as the facilitator",
}
TOLERANCE = 1e-9  # the dashboard's mean and share against the raw SQL's

# The raw aggregate: per round and item of the rounds the page shows, n, the mean and the share of 5, 6 and 7. The
# tables' names are filled in from the models; the values are parameters. Portable: SQLite and PostgreSQL.
RAW_SQL = """
SELECT r.number, a.item, COUNT(*),
       AVG(CAST(a.value AS DOUBLE PRECISION)),
       AVG(CASE WHEN a.value >= %s THEN 1.0 ELSE 0.0 END)
FROM {answer} a
JOIN {response} s ON s.id = a.response_id
JOIN {round} r ON r.id = s.round_id
WHERE r.id IN (SELECT id FROM {round} WHERE network_id = %s AND status = %s ORDER BY number DESC LIMIT %s)
GROUP BY r.number, a.item
ORDER BY r.number, a.item
"""


# --- the measuring process (Django set up, its own database) ---------------------------------------------------


@dataclass
class Timing:
    """The timed calls of one target."""

    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    gc_ms: list[float] = field(default_factory=list)  # in Python's cyclic garbage collector, within the call
    full_collections: int = 0  # of the oldest generation, over all calls
    db_cpu_ms: float | None = 0.0  # the database backend's CPU over all calls (None: not readable)

    def summary(self) -> dict:
        calls = len(self.wall_ms)
        return {
            "calls": calls,
            "wall_median": statistics.median(self.wall_ms) if calls else 0.0,
            "wall_p90": percentile(self.wall_ms, 0.9),
            "cpu_median": statistics.median(self.cpu_ms) if calls else 0.0,
            "cpu_p90": percentile(self.cpu_ms, 0.9),
            "cpu_mean": statistics.fmean(self.cpu_ms) if calls else 0.0,
            "gc_median": statistics.median(self.gc_ms) if calls else 0.0,
            "full_collections": self.full_collections / calls if calls else 0.0,
            "db_cpu_mean": self.db_cpu_ms / calls if calls and self.db_cpu_ms is not None else None,
        }


def raw_sql() -> str:
    from samen.collaboration.models import Answer, PulseRound, Response

    return RAW_SQL.format(
        answer=Answer._meta.db_table, response=Response._meta.db_table, round=PulseRound._meta.db_table
    )


def raw_figures(network_id: int) -> dict[tuple[int, str], tuple[int, float, float]]:
    """(round number, item) -> (n, mean, share 5-7), by the one raw statement."""
    from django.db import connection

    from samen.collaboration.items import FAVOURABLE_FROM
    from samen.collaboration.models import RoundStatus
    from samen.collaboration.selectors import TREND_ROUNDS

    with connection.cursor() as cursor:
        cursor.execute(raw_sql(), [FAVOURABLE_FROM, network_id, RoundStatus.CLOSED.value, TREND_ROUNDS])
        rows = cursor.fetchall()
    return {(number, item): (count, float(mean), float(share)) for number, item, count, mean, share in rows}


def dashboard_figures(board) -> dict[tuple[int, str], tuple[int, float, float]]:
    """The same figures as the dashboard holds them (items shown only: n >= k)."""
    return {
        (figures.pulse_round.number, code): (figure.n, figure.summary.mean, figure.summary.favourable)
        for figures in board.rounds
        for code, figure in figures.items.items()
        if figure.summary is not None
    }


def compare(board, raw: dict) -> tuple[int, list[str]]:
    """How many figures of the dashboard agree with the raw SQL's, and the differences (none expected: the raw
    SQL also has the hidden ones, n < k, which the dashboard does not show)."""
    shown = dashboard_figures(board)
    problems = []
    for key, (n, mean, share) in sorted(shown.items()):
        if key not in raw:
            problems.append(f"round {key[0]} {key[1]}: in the dashboard, not in the raw SQL")
            continue
        raw_n, raw_mean, raw_share = raw[key]
        if n != raw_n or abs(mean - raw_mean) > TOLERANCE or abs(share - raw_share) > TOLERANCE:
            problems.append(f"round {key[0]} {key[1]}: dashboard {(n, mean, share)} != raw SQL {raw[key]}")
    from samen.core.anonymity import K_ANONYMITY

    missing = [key for key, figure in raw.items() if key not in shown and figure[0] >= K_ANONYMITY]
    problems += [f"round {key[0]} {key[1]}: in the raw SQL (n >= k), not in the dashboard" for key in missing]
    return len(shown) - len([p for p in problems if "!=" in p]), problems


def backend_pid() -> int | None:
    """The PostgreSQL backend of this process's connection, when its /proc entry can be read here."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return pid if backend_ticks(pid) is not None else None


def backend_ticks(pid: int | None) -> int | None:
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return parse_stat(stat.read())[1]
    except (OSError, ValueError, IndexError):
        return None


class GarbageCollections:
    """The time Python's cyclic garbage collector takes, and its full collections (the oldest generation, which
    walks every tracked object of the process), while it is installed (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.ms = 0.0
        self.full = 0
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        self.ms += 1000 * (time.perf_counter() - self._started)
        if info.get("generation") == 2:
            self.full += 1

    def reset(self) -> None:
        self.ms, self.full = 0.0, 0

    def __enter__(self) -> GarbageCollections:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc) -> None:
        gc.callbacks.remove(self)


def time_calls(
    targets: dict[str, Callable[[], object]], *, repeats: int, warmup: int, pid: int | None
) -> dict[str, Timing]:
    """Each target ``warmup`` times, then ``repeats`` turns of all of them, the order rotating per turn. A
    garbage collection before each call (outside its time): each call starts from the same heap, and pays for the
    collections its own allocations cause."""
    for _ in range(warmup):
        for call in targets.values():
            call()
    names = list(targets)
    timings = {name: Timing(db_cpu_ms=0.0 if pid is not None else None) for name in names}
    with GarbageCollections() as collections:
        for turn in range(repeats):
            shift = turn % len(names)
            for name in names[shift:] + names[:shift]:
                gc.collect()
                collections.reset()
                _time_one(timings[name], targets[name], pid, collections)
    return timings


def _time_one(timing: Timing, call: Callable[[], object], pid: int | None, collections: GarbageCollections) -> None:
    ticks = backend_ticks(pid)
    cpu, wall = time.process_time(), time.perf_counter()
    call()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = backend_ticks(pid)
    timing.wall_ms.append(1000 * wall)
    timing.cpu_ms.append(1000 * cpu)
    timing.gc_ms.append(collections.ms)
    timing.full_collections += collections.full
    if timing.db_cpu_ms is not None:
        if ticks is None or after is None:
            timing.db_cpu_ms = None
        else:
            timing.db_cpu_ms += 1000 * (after - ticks) / TICKS_PER_SECOND


def captured(call: Callable[[], object]) -> list[tuple[str, tuple]]:
    """The SQL statements (and their parameters) ``call`` runs."""
    from django.db import connection

    statements: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        call()
    return statements


def describe(sql: str) -> str:
    """A short name for a statement: its tables, and whether it groups."""
    tables = re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', sql)
    short = []
    for table in tables:
        name = table.removeprefix("collaboration_").removeprefix("organisations_")
        if name not in short:
            short.append(name)
    words = [" + ".join(short)]
    if "GROUP BY" in sql:
        words.append("GROUP BY")
    if "COUNT(" in sql:
        words.append("COUNT")
    if "LIMIT" in sql:
        words.append("LIMIT")
    return " ".join(words)


def sql_alone(
    statements: list[tuple[str, tuple]], repeats: int, describe: Callable[[str], str] = describe
) -> list[dict]:
    """Each statement run alone through a plain cursor (execute + fetchall), ``repeats`` times: its median (and
    what it is, in the words of ``describe``)."""
    from django.db import connection

    results = []
    for sql, params in statements:
        walls = []
        rows = 0
        for _ in range(max(1, repeats)):
            gc.collect()
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(sql, params)
                rows = len(cursor.fetchall())
                walls.append(1000 * (time.perf_counter() - started))
        results.append({"what": describe(sql), "sql": sql, "rows": rows, "median_ms": statistics.median(walls)})
    return results


# Functions whose cumulative time the profiles report besides Samen's own (file suffix, function name, label).
EXTERNAL = (
    ("django/db/backends/utils.py", "_execute", "SQL: cursor.execute (database work)"),
    ("django/db/models/sql/compiler.py", "apply_converters", "ORM: converting column values (e.g. to UUID)"),
    ("django/db/models/query.py", "__iter__", "ORM: a query's rows to tuples/objects (execute and fetch included)"),
    ("scipy/stats/_distn_infrastructure.py", "ppf", "SciPy: F quantiles (alpha's interval)"),
    ("django/template/backends/django.py", "render", "template rendering"),
    ("django/test/client.py", "request", "the whole request (test client)"),
)


def _class_of(filename: str, line: int) -> str:
    """The class a function at ``line`` of ``filename`` is defined in ("" for a module-level function)."""
    for number in range(line, 0, -1):
        text = linecache.getline(filename, number)
        found = re.match(r"(\s*)(class|def)\s+(\w+)", text)
        if found and not found.group(1) and found.group(2) == "class":
            return found.group(3)
        if found and not found.group(1):
            return ""
    return ""


def profile(
    call: Callable[[], object],
    *,
    calls: int = 3,
    top: int = 14,
    package: str = "/samen/collaboration/",
    external: tuple[tuple[str, str, str], ...] = EXTERNAL,
) -> dict:
    """A cProfile of ``calls`` calls of ``call``: the total per call, and per call the cumulative time of the
    functions of Samen's ``package`` (the pulse's by default) and of a few others (``external``: Django's and
    SciPy's), the largest first."""
    profiler = cProfile.Profile()
    for _ in range(calls):
        gc.collect()
        profiler.runcall(call)
    stats = pstats.Stats(profiler)
    total = stats.total_tt / calls
    rows = []
    for (filename, line, name), (_cc, count, _tt, cumulative, _callers) in stats.stats.items():
        path = filename.replace(os.sep, "/")
        if package in path:
            label = f"{path.rsplit('/samen/', 1)[1].removesuffix('.py').replace('/', '.')}.{name}"
            if name.startswith("<"):
                label += f" (line {line})"
        else:
            label = next(
                (text for suffix, function, text in external if path.endswith(suffix) and name == function), None
            )
            if label is None:
                continue
            owner = _class_of(filename, line)
            if owner == "QuerySet":  # QuerySet.__iter__ holds its iterable's: counted there
                continue
            label += f" [{owner + '.' if owner else ''}{name}]"
        rows.append({"what": label, "calls": count // calls, "ms": 1000 * cumulative / calls})
    rows.sort(key=lambda row: -row["ms"])
    return {"total_ms": 1000 * total, "calls": calls, "rows": rows[:top]}


def alphas_alone(board, repeats: int) -> dict | None:
    """``selectors._alphas`` alone for the rounds the dashboard gives it (the last ``ALPHA_ROUNDS``): its median,
    and its statements; None when the selector has no such function (any more)."""
    from samen.collaboration import selectors

    alphas = getattr(selectors, "_alphas", None)
    round_ids = [figures.pulse_round.pk for figures in board.rounds][-_alpha_rounds() :]
    if alphas is None:
        return None
    try:
        statements = captured(lambda: alphas(round_ids))
    except TypeError:  # another signature than when this was written
        return None
    walls = []
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        alphas(round_ids)
        walls.append(1000 * (time.perf_counter() - started))
    return {"median_ms": statistics.median(walls), "statements": [sql for sql, _params in statements]}


def measure(
    network_id: int,
    facilitator_id: int,
    *,
    repeats: int = 20,
    warmup: int = 2,
    page: bool = True,
    profiling: bool = False,
) -> dict:
    """Time the raw SQL, the dashboard and (with ``page``) the page; check them; say where the time goes."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from samen.accounts.models import User
    from samen.collaboration import selectors
    from samen.organisations.models import Network

    network = Network.objects.get(pk=network_id)
    targets: dict[str, Callable[[], object]] = {
        RAW: lambda: raw_figures(network_id),
        DASHBOARD: lambda: selectors.dashboard(network),
    }
    marker = network.name.encode()
    if page:
        client = Client()
        client.force_login(User.objects.get(pk=facilitator_id))
        url = reverse("collaboration:network", kwargs={"network_id": network_id})

        def get_page():
            response = client.get(url)
            if response.status_code != 200 or marker not in response.content:
                raise BenchError(f"{url} answered {response.status_code} without the network's name")
            return response

        targets[PAGE] = get_page

    board = selectors.dashboard(network)
    raw = raw_figures(network_id)
    agreeing, problems = compare(board, raw)
    if problems:
        raise BenchError("the dashboard's figures differ from the raw SQL's:\n  " + "\n  ".join(problems[:10]))
    shown_rounds = [figures.pulse_round.number for figures in board.rounds]

    queries = {}
    for name in targets:
        targets[name]()  # a first call outside the count (the session's caches, the connection)
        with CaptureQueriesContext(connection) as context:
            targets[name]()
        queries[name] = len(context.captured_queries)
    page_bytes = len(targets[PAGE]().content) if page else None

    pid = backend_pid()
    gc.collect()
    tracked = len(gc.get_objects())
    timings = time_calls(targets, repeats=repeats, warmup=warmup, pid=pid)
    summaries = {name: timing.summary() for name, timing in timings.items()}
    statements = captured(targets[DASHBOARD])
    result = {
        "vendor": connection.vendor,
        "server_version": _server_version(),
        "repeats": repeats,
        "warmup": warmup,
        "shown_rounds": shown_rounds,
        "shown": _shown_counts(network_id, board),
        "figures_agree": agreeing,
        "raw_rows": len(raw),
        "queries": queries,
        "page_bytes": page_bytes,
        "db_cpu_readable": pid is not None,
        "tracked_objects": tracked,
        "timings": summaries,
        "sql_alone": sql_alone(statements, repeats),
        "alphas": alphas_alone(board, repeats),
        "targets": judge(summaries),
    }
    if profiling or any(not verdict["met"] for verdict in result["targets"]):
        result["profiles"] = {DASHBOARD: profile(targets[DASHBOARD])}
        if page:
            result["profiles"][PAGE] = profile(targets[PAGE])
    return result


def _server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return str(cursor.fetchone()[0]).split()[0]


def _shown_counts(network_id: int, board) -> dict:
    """The responses and answers behind the rounds the page shows."""
    from samen.collaboration.models import Answer, Response

    round_ids = [figures.pulse_round.pk for figures in board.rounds]
    return {
        "responses": Response.objects.filter(round_id__in=round_ids).count(),
        "answers": Answer.objects.filter(response__round_id__in=round_ids).count(),
        "alpha_rounds": len(round_ids[-_alpha_rounds() :]),
    }


def _alpha_rounds() -> int:
    from samen.collaboration import selectors

    return getattr(selectors, "ALPHA_ROUNDS", 6)


def judge(summaries: dict[str, dict]) -> list[dict]:
    """The target per measured target other than the raw SQL: median wall time <= 3 x the raw SQL's."""
    base = summaries[RAW]["wall_median"]
    verdicts = []
    for name in (DASHBOARD, PAGE):
        if name not in summaries:
            continue
        ratio = summaries[name]["wall_median"] / base if base else float("inf")
        verdicts.append({"name": name, "ratio": ratio, "met": ratio <= RATIO_TARGET})
    return verdicts


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def child(options: dict) -> int:
    """A process of the run, on the run's database (JSON on stdout, progress on stderr): ``generate`` writes the
    data and runs ANALYZE; ``measure`` measures, in a fresh process of its own, so that its heap is that of a
    server's worker (Django loaded) and not what generating left behind: a full garbage collection walks it all."""
    import django

    django.setup()
    if options["step"] == "generate":
        from bench.pulse_data import generate, stderr_progress

        facts = generate(
            professionals=options["professionals"],
            rounds=options["rounds"],
            seed=options["seed"],
            progress=stderr_progress,
        )
        started = time.monotonic()
        analyze()
        facts["analyze_seconds"] = round(time.monotonic() - started, 1)
        json.dump(facts, sys.stdout)
        return 0
    print(
        f"    measuring: {options['warmup']} warm-up call(s) and {options['repeats']} timed call(s) each ...",
        file=sys.stderr,
        flush=True,
    )
    result = measure(
        options["network_id"],
        options["facilitator_id"],
        repeats=options["repeats"],
        warmup=options["warmup"],
        page=options["page"],
        profiling=options["profile"],
    )
    json.dump(result, sys.stdout)
    return 0


# --- the report -----------------------------------------------------------------------------------------------


def _ms(value: float | None, width: int = 9) -> str:
    return f"{value:>{width}.1f}" if value is not None else f"{'-':>{width}}"


def report(result: dict, database: str) -> list[str]:
    """The printed lines for one database's run."""
    facts, large, small = result["facts"], result["facts"]["large"], result["facts"]["small"]
    shown = result["shown"]
    lines = [
        f"The network pulse's dashboard on {database} ({result['vendor']} {result['server_version']}):",
        f"  data: {large['name']}: {large['professionals']:,} professionals in {large['organisations']} "
        f"organisations (sizes {', '.join(str(size) for size in large['organisation_sizes'])}), {large['rounds']} "
        f"closed rounds, {large['responses']:,} responses, {large['answers']:,} answers, "
        f"{large['open_answers']:,} open answers;",
        f"        {small['name']}: {small['professionals']} professionals, {small['rounds']} rounds, "
        f"{small['answers']:,} answers; generated in {facts['seconds']:.0f} s, ANALYZE {facts['analyze_seconds']} s",
        f"  the page shows rounds {result['shown_rounds'][0]}-{result['shown_rounds'][-1]} "
        f"({len(result['shown_rounds'])} rounds): {shown['responses']:,} responses, {shown['answers']:,} answers; "
        f"alpha over the last {shown['alpha_rounds']}",
        f"  {result['repeats']} timed calls each after {result['warmup']} warm-up call(s), the order rotating; "
        f"times in ms per call",
        f"  {'':<34}{'wall':>9}{'wall':>9}{'CPU':>9}{'CPU':>9}{'db CPU':>9}{'in GC':>9}{'queries':>9}{'x raw':>8}",
        f"  {'':<34}{'median':>9}{'p90':>9}{'median':>9}{'p90':>9}{'mean':>9}{'median':>9}{'':>9}{'(wall)':>8}",
    ]
    timings = result["timings"]
    base = timings[RAW]["wall_median"]
    for name, timing in timings.items():
        ratio = f"{timing['wall_median'] / base:>8.2f}" if base else f"{'-':>8}"
        lines.append(
            f"  {LABELS[name]:<34}{_ms(timing['wall_median'])}{_ms(timing['wall_p90'])}{_ms(timing['cpu_median'])}"
            f"{_ms(timing['cpu_p90'])}{_ms(timing['db_cpu_mean'])}{_ms(timing['gc_median'])}"
            f"{result['queries'][name]:>9}{ratio}"
        )
    lines.append(
        "  CPU: this process (time.process_time: Django, the ORM, the statistics"
        + (", and SQLite's own work" if result["vendor"] == "sqlite" else "")
        + "); db CPU: "
        + (
            "the PostgreSQL backend's, from /proc (10 ms ticks, averaged over the calls)"
            if result["db_cpu_readable"]
            else "- (SQLite runs in this process: its work is in CPU)"
            if result["vendor"] == "sqlite"
            else "- (the server's /proc is not readable here)"
        )
    )
    lines.append(
        "  in GC: time in Python's garbage collector within the call (a collection runs before each call, outside "
        f"it); full collections (each walks all {result['tracked_objects']:,} objects the process tracks) per call: "
        + ", ".join(f"{name} {timing['full_collections']:.2f}" for name, timing in timings.items())
    )
    cpu_ratio = _total_cpu(timings[DASHBOARD]) / _total_cpu(timings[RAW]) if _total_cpu(timings[RAW]) else None
    if cpu_ratio is not None:
        lines.append(f"  dashboard / raw SQL by CPU (mean, this process + db): {cpu_ratio:.2f}")
    if result["page_bytes"]:
        lines.append(
            f"  the page: {result['page_bytes']:,} bytes; its queries include the session, the user, the actor's "
            "memberships and the facilitator's controls"
        )
    lines.append(
        f"  checks: the page answered 200 with the network's name; the dashboard's {result['figures_agree']} "
        f"(round, item) figures equal the raw SQL's n, mean and share 5-7 ({result['raw_rows']} rows)"
    )
    lines.append("  where the dashboard's time goes (medians, unprofiled):")
    alphas = result.get("alphas")
    in_alphas = set(alphas["statements"]) if alphas else set()
    sql_total = sql_outside = 0.0
    for number, statement in enumerate(result["sql_alone"], 1):
        sql_total += statement["median_ms"]
        mine = statement["sql"] in in_alphas
        sql_outside += 0.0 if mine else statement["median_ms"]
        lines.append(
            f"    SQL {number}: {statement['median_ms']:>8.1f} ms  {statement['rows']:>7,} rows  {statement['what']}"
            + ("  (in _alphas)" if mine else "")
        )
    dashboard = timings[DASHBOARD]["wall_median"]
    lines.append(
        f"    the {len(result['sql_alone'])} statements alone (execute + fetchall): {sql_total:.1f} ms; the rest of "
        f"the dashboard (ORM rows, Python statistics, garbage collection): {dashboard - sql_total:.1f} ms of "
        f"{dashboard:.1f}"
    )
    if alphas:
        rest = dashboard - alphas["median_ms"] - sql_outside
        lines.append(
            f"    selectors._alphas alone (its SQL, its rows through the ORM, Cronbach's alpha): "
            f"{alphas['median_ms']:.1f} ms; the rest = dashboard - _alphas - the other statements alone: {rest:.1f} "
            "ms (the aggregate's rows through the ORM, the per-round statistics, the breakdown)"
        )
    if PAGE in timings:
        page = timings[PAGE]["wall_median"]
        lines.append(
            f"    the page beyond the dashboard (middleware, session, display, template): {page - dashboard:.1f} ms "
            f"of {page:.1f}"
        )
    for name, found in result.get("profiles", {}).items():
        lines.append(
            f"  cProfile of {LABELS[name]}, per call (mean of {found['calls']}): {found['total_ms']:.0f} ms under the "
            "profiler; cumulative:"
        )
        for row in found["rows"]:
            share = 100 * row["ms"] / found["total_ms"] if found["total_ms"] else 0.0
            lines.append(f"    {row['ms']:>8.1f} ms {share:>4.0f} %  {row['calls']:>7,} calls  {row['what']}")
    lines.append("  targets (median wall time <= 3 x the raw SQL aggregate's):")
    for verdict in result["targets"]:
        lines.append(
            f"    {LABELS[verdict['name']]:<34}{verdict['ratio']:>6.2f} x raw SQL  "
            f"{'met' if verdict['met'] else 'NOT met'}"
        )
    return lines


def _total_cpu(timing: dict) -> float:
    return timing["cpu_mean"] + (timing["db_cpu_mean"] or 0.0)


# --- the run --------------------------------------------------------------------------------------------------


def environment(database: str, workdir: Path, name: str) -> dict[str, str]:
    """Production mode (as the benchmark's server runs), the test client's host allowed, the run's own database."""
    env = server_environment(workdir)
    env["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    if database == "postgresql":
        env["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    return env


def psql_admin(sql: str) -> None:
    """One statement on the server's ``postgres`` database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


@contextlib.contextmanager
def fresh_database(database: str, workdir: Path, name: str, script: str) -> Iterator[dict[str, str]]:
    """The environment of a fresh, migrated database for one benchmark run: a SQLite file in ``workdir``, or the
    PostgreSQL database ``name`` created here; dropped (or removed) afterwards, whatever happens."""
    env = environment(database, workdir, name)
    where = f"{PG_SERVER}/{name}" if database == "postgresql" else str(workdir / "samen.sqlite3")
    print(f"Preparing {database} ({where})", flush=True)
    created = False
    try:
        if database == "postgresql":
            psql_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            psql_admin(f'CREATE DATABASE "{name}"')
            created = True
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        yield env
    finally:
        if created:
            try:
                psql_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as error:  # noqa: BLE001 - say so, do not hide the run's own outcome
                print(f"{script}: could not drop {name}: {error!r}", file=sys.stderr)
        if database == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                (workdir / f"samen.sqlite3{suffix}").unlink(missing_ok=True)


def run_database(database: str, args: argparse.Namespace, workdir: Path, static_ready: bool) -> dict:
    with fresh_database(database, workdir, f"samen_bench_pulse_{os.getpid()}", "bench/pulse.py") as env:
        if args.page and not static_ready:
            manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        options = {
            "professionals": args.professionals,
            "rounds": args.rounds,
            "seed": args.seed,
            "repeats": args.repeats,
            "warmup": args.warmup,
            "page": args.page,
            "profile": args.profile,
        }
        facts = run_module(env, "bench.pulse", "--child", json.dumps({**options, "step": "generate"}), progress=True)
        large = facts["large"]
        options.update(step="measure", network_id=large["network_id"], facilitator_id=large["facilitator_id"])
        return {"facts": facts, **run_module(env, "bench.pulse", "--child", json.dumps(options), progress=True)}


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--databases",
        default="sqlite",
        help="comma-separated, each measured on its own fresh database in turn: sqlite, postgresql (sqlite)",
    )
    parser.add_argument("--professionals", type=int, default=1000, help="people in the large network (1000)")
    parser.add_argument("--rounds", type=int, default=26, help="closed rounds per network (26)")
    parser.add_argument("--repeats", type=int, default=20, help="timed calls per target (20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed calls per target first (2)")
    parser.add_argument("--seed", type=int, default=2026, help="the data's random seed (2026)")
    parser.add_argument("--no-page", dest="page", action="store_false", help="leave out the page (test client)")
    parser.add_argument("--profile", action="store_true", help="print the cProfile breakdown even when targets hold")
    parser.add_argument("--child", metavar="JSON", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.database_list = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = [name for name in args.database_list if name not in DATABASES]
    if unknown or not args.database_list:
        parser.error(f"--databases: unknown {unknown}; known: {', '.join(DATABASES)}")
    if args.professionals < 10 or args.rounds < 1 or args.repeats < 1 or args.warmup < 0:
        parser.error("--professionals >= 10, --rounds >= 1, --repeats >= 1 and --warmup >= 0")
    return args


def over_databases(
    script: str,
    databases: Sequence[str],
    run_one: Callable[[str, Path, int], dict],
    report_of: Callable[[dict, str], list[str]],
    labels: dict[str, str],
) -> int:
    """Run ``run_one(database, workdir, index)`` for each database in a temporary folder (removed afterwards), print
    each database's report and then the targets met, the load average and the cores: the main loop of a benchmark
    that measures per database (this one and ``bench/socialmap.py``). The exit status: 1 on a failed setup step, 130
    when stopped, else 0 (a missed target is printed, never an error)."""
    stop_on_signals()
    started = time.monotonic()
    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix=f"samen-bench-{Path(script).stem}-"))
    verdicts: list[tuple[str, dict]] = []
    try:
        for index, database in enumerate(databases):
            result = run_one(database, workdir, index)
            print()
            for line in report_of(result, database):
                print(line)
            print(flush=True)
            verdicts += [(database, verdict) for verdict in result["targets"]]
    except BenchError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    except Stop as error:
        print(f"Stopped ({error}).", file=sys.stderr)
        return 130
    except (subprocess.CalledProcessError, OSError) as error:
        print(f"{script}: {error!r}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    met = sum(1 for _, verdict in verdicts if verdict["met"])
    missed = [f"{labels[verdict['name']]} on {database}" for database, verdict in verdicts if not verdict["met"]]
    print(f"targets met: {met} of {len(verdicts)}" + (f"; NOT met: {'; '.join(missed)}" if missed else ""))
    print(
        "Machine: load average before {:.2f} {:.2f} {:.2f}, after {:.2f} {:.2f} {:.2f}; {} cores".format(
            *load_before, *os.getloadavg(), os.cpu_count()
        )
    )
    print(f"the run took {(time.monotonic() - started) / 60:.1f} min")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.child is not None:
        return child(json.loads(args.child))
    return over_databases(
        "bench/pulse.py",
        args.database_list,
        lambda database, workdir, index: run_database(database, args, workdir, static_ready=index > 0),
        report,
        LABELS,
    )


if __name__ == "__main__":
    sys.exit(main())
