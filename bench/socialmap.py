"""Benchmark: the social map's search at 50,000 services against the engine's own full-text query, in one run on
one database, per engine (issue 13: "a benchmark at 50,000 services: search latency (median, p95) against the raw
full-text query on the same engine in the same run, on SQLite and PostgreSQL; print both and the ratio (target:
p95 <= 2x)").

    make bench BENCH=socialmap   (= .venv/bin/python bench/socialmap.py [--databases sqlite,postgresql]
                                    [--services 50000] [--repeats 30] [--warmup 3] [--profile])

Per database (``--databases``; both SQLite and PostgreSQL by default, one after the other), all in a temporary
folder removed afterwards:

1. A fresh database in production mode (DEBUG=false, a random SECRET_KEY: ``bench/pulse.py``'s environment): a
   SQLite file in the folder, or a PostgreSQL database ``samen_bench_socialmap_<pid>`` on 127.0.0.1:5432 (user
   ``postgres``, or ``BENCH_PG_URL``) created here and dropped afterwards; ``migrate``.
2. The data (``bench/socialmap_data.py``, its progress on stderr): ``--services`` (50,000) services in about 170
   synthetic towns, built from the demo's social map (its offers and words, varied by town, neighbourhood,
   variant and number, with extra sentences per category), with organisations, places, categories, cost
   options, languages, schedules and capacity on some; indexed with ``indexing.reindex`` in batches; then ANALYZE.
3. Measured in a fresh process (its heap as a server worker's, not what generating left), for each query of
   ``QUERIES`` (common words, two words, a stop word, a rare word, a prefix as someone types it), after
   ``--warmup`` calls each, ``--repeats`` (30) times in turns that rotate the order over all queries and targets,
   with a garbage collection before each call (outside its time; ``bench/pulse.py``'s ``time_calls``):

   - **raw**: ``search.raw_search(q)``, the engine's own full-text query (every word, prefix, ranked, LIMIT 20)
     through a plain cursor: no ORM, no filters (the baseline);
   - **search**: ``search.search(q, Filters())``, the full search the page runs;
   - **free**: ``search.search(q, Filters(free=True))``, with the filter "free of charge".

   Per query and target, and for all queries' calls together: the wall time's median and p95, the CPU time of this
   process (``time.process_time``: Django, the ORM and, on SQLite, the engine itself) and on PostgreSQL the database
   backend's CPU (from ``/proc``, when the server runs on this machine), the statements of one call, and the ratios
   of the p95s and the medians to raw's. Judged: search and free, p95 wall time of all queries' calls together <= 2
   x raw's (the latency a searcher sees at the tail, over the mix of queries); the queries over 2 x on their own
   are listed too (a rare word's raw query takes well under a millisecond: what the ORM adds weighs most there).
4. Checks (else the run stops with an error): raw and search find services for every query, and
   ``search("schulden")`` finds debt help (a "Schuldhulpverlening" service) on its first page.
5. Where search's time goes beyond the raw query (unprofiled), per query: raw's and search's statements run alone
   through a cursor (execute + fetchall), and the rest of search (Python: the query built and compiled, rows to
   objects). With ``--profile``, or when a target is missed, a cProfile of search for the query with the largest
   p95 ratio.

Then per database the number of targets met, the load average before and after, and the cores. A missed target
is printed, never an error: the exit status is non-zero only when a setup step failed or a check did not hold.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.load import percentile  # noqa: E402
from bench.pulse import (  # noqa: E402
    Timing,
    _server_version,
    analyze,
    backend_pid,
    captured,
    fresh_database,
    over_databases,
    profile,
    sql_alone,
    time_calls,
)
from bench.server import BenchError, run_module  # noqa: E402

DATABASES = ("sqlite", "postgresql")
RATIO_TARGET = 2.0
RAW, SEARCH, FREE = "raw", "search", "free"
ALL = "all queries"  # every call of a target, over all queries: what the target judges
LABELS = {
    RAW: "search.raw_search(q): the engine's full-text query",
    SEARCH: "search.search(q, Filters()): the page's search",
    FREE: "search.search(q, Filters(free=True)): with a filter",
}
# What is searched, and why this one (every query must find services at 50,000).
QUERIES: tuple[tuple[str, str], ...] = (
    ("schulden", "common word"),
    ("eenzaam", "common word"),
    ("huur achterstand", "two words (or the compound)"),
    ("opvoeding", "stemmed (opvoed)"),
    ("taalles", "a compound (taal + les)"),
    ("vrijwilliger", "the most common"),
    ("hulp bij schulden", "a stop word, two words"),
    ("kringloopwinkel", "a rare word"),
    ("schuldh", "a prefix, as typed"),
)
DEBT_HELP = "schuldhulpverlening"  # search("schulden") must find a service of this name on its first page
# Functions whose cumulative time the profile reports besides the social map's own (file suffix, function, label).
EXTERNAL = (
    ("django/db/backends/utils.py", "_execute", "SQL: cursor.execute (database work)"),
    ("django/db/models/sql/compiler.py", "as_sql", "ORM: compiling the query to SQL"),
    ("django/db/models/sql/compiler.py", "execute_sql", "ORM: execute and fetch"),
    ("django/db/models/query.py", "__iter__", "ORM: rows to objects (execute and fetch included)"),
    ("django/db/models/base.py", "from_db", "ORM: a model instance from a row"),
    ("snowballstemmer/basestemmer.py", "stemWords", "Snowball stemmer"),
)


# --- the measuring process (Django set up, its own database) ---------------------------------------------------


def targets_for(queries: Sequence[str]) -> dict[tuple[str, str], Callable[[], object]]:
    """(target, query) -> the call to time."""
    from samen.socialmap import search
    from samen.socialmap.search import Filters

    targets: dict[tuple[str, str], Callable[[], object]] = {}
    for query in queries:
        targets[(RAW, query)] = lambda query=query: search.raw_search(query)
        targets[(SEARCH, query)] = lambda query=query: search.search(query, Filters())
        targets[(FREE, query)] = lambda query=query: search.search(query, Filters(free=True))
    return targets


def check(queries: Sequence[str]) -> dict[str, dict]:
    """What each query finds (raw: every matching service, any status; search and free: the first page); stops
    with an error when raw or search finds nothing, or search("schulden") no debt help."""
    from samen.socialmap import search
    from samen.socialmap.search import Filters

    found = {}
    problems = []
    for query in queries:
        raw = search.raw_search(query, limit=10**9)
        results = search.search(query, Filters())
        free = search.search(query, Filters(free=True))
        found[query] = {
            "matches": len(raw),
            "page": len(results.services),
            "all_words": results.all_words,
            "free_page": len(free.services),
            "first": results.services[0].name if results.services else "",
        }
        if not raw or not results.services:
            problems.append(f"{query!r}: raw found {len(raw)}, search {len(results.services)} services")
    if "schulden" in queries:
        names = [service.name.lower() for service in search.search("schulden", Filters()).services]
        if not any(name.startswith(DEBT_HELP) for name in names):
            problems.append(f"search('schulden') has no {DEBT_HELP} on its first page: {names[:5]}")
    if problems:
        raise BenchError("the search does not find what it should:\n  " + "\n  ".join(problems))
    return found


def summary(timing: Timing) -> dict:
    calls = len(timing.wall_ms)
    return {
        "calls": calls,
        "wall_median": statistics.median(timing.wall_ms) if calls else 0.0,
        "wall_p95": percentile(timing.wall_ms, 0.95),
        "cpu_median": statistics.median(timing.cpu_ms) if calls else 0.0,
        "cpu_p95": percentile(timing.cpu_ms, 0.95),
        "db_cpu_mean": timing.db_cpu_ms / calls if calls and timing.db_cpu_ms is not None else None,
    }


def pooled(timings: dict[tuple[str, str], Timing], target: str) -> dict:
    """One target's calls over every query together."""
    merged = Timing(db_cpu_ms=0.0)
    for (name, _query), timing in timings.items():
        if name != target:
            continue
        merged.wall_ms += timing.wall_ms
        merged.cpu_ms += timing.cpu_ms
        if merged.db_cpu_ms is not None:
            merged.db_cpu_ms = None if timing.db_cpu_ms is None else merged.db_cpu_ms + timing.db_cpu_ms
    return summary(merged)


def judge(rows: dict[str, dict[str, dict]]) -> list[dict]:
    """Per row (all queries together, or each query), for search and free: p95 wall time <= 2 x raw's p95."""
    verdicts = []
    for query, by_target in rows.items():
        base = by_target[RAW]["wall_p95"]
        for name in (SEARCH, FREE):
            if name not in by_target:
                continue
            ratio = by_target[name]["wall_p95"] / base if base else float("inf")
            verdicts.append({"query": query, "name": name, "ratio": ratio, "met": ratio <= RATIO_TARGET})
    return verdicts


def describe(sql: str) -> str:
    """A short name for a statement: its tables."""
    tables = re.findall(r'(?:FROM|JOIN|,)\s+"?(socialmap_\w+)"?', sql)
    short = []
    for table in tables:
        name = table.removeprefix("socialmap_")
        if name not in short:
            short.append(name)
    return " + ".join(short) + (" LIMIT" if "LIMIT" in sql else "")


def breakdown(targets: dict[tuple[str, str], Callable[[], object]], queries: Sequence[str], repeats: int) -> dict:
    """Per query, the statements of raw and of search, each run alone (medians)."""
    return {
        query: {
            "raw": sql_alone(captured(targets[(RAW, query)]), repeats, describe),
            "search": sql_alone(captured(targets[(SEARCH, query)]), repeats, describe),
        }
        for query in queries
    }


def measure(
    queries: Sequence[str] = tuple(query for query, _why in QUERIES),
    *,
    repeats: int = 30,
    warmup: int = 3,
    profiling: bool = False,
) -> dict:
    """Check, then time raw, search and free for every query; say where search's time goes."""
    from django.db import connection

    found = check(queries)
    targets = targets_for(queries)
    statements = {key: len(captured(call)) for key, call in targets.items()}
    pid = backend_pid()
    timings = time_calls(targets, repeats=repeats, warmup=warmup, pid=pid)
    rows: dict[str, dict[str, dict]] = {query: {} for query in queries}
    for (name, query), timing in timings.items():
        rows[query][name] = {**summary(timing), "statements": statements[(name, query)]}
    overall = {name: pooled(timings, name) for name in (RAW, SEARCH, FREE)}
    verdicts = judge({ALL: overall})
    worst = max(queries, key=lambda query: rows[query][SEARCH]["wall_p95"] / (rows[query][RAW]["wall_p95"] or 1e-9))
    result = {
        "vendor": connection.vendor,
        "server_version": _server_version(),
        "repeats": repeats,
        "warmup": warmup,
        "found": found,
        "rows": rows,
        "overall": overall,
        "per_query": judge(rows),
        "targets": verdicts,
        "db_cpu_readable": pid is not None,
        "breakdown": breakdown(targets, queries, max(5, repeats // 3)),
    }
    if profiling or not all(verdict["met"] for verdict in verdicts):
        result["profile"] = {
            "query": worst,
            **profile(targets[(SEARCH, worst)], calls=5, top=16, package="/samen/socialmap/", external=EXTERNAL),
        }
    return result


def child(options: dict) -> int:
    """A process of the run, on the run's database (JSON on stdout, progress on stderr): ``generate`` writes the
    data and runs ANALYZE; ``measure`` measures, in a fresh process of its own."""
    import django

    django.setup()
    if options["step"] == "generate":
        from bench.socialmap_data import generate, stderr_progress

        facts = generate(services=options["services"], seed=options["seed"], progress=stderr_progress)
        started = time.monotonic()
        analyze()
        facts["analyze_seconds"] = round(time.monotonic() - started, 1)
        json.dump(facts, sys.stdout)
        return 0
    print(
        f"    measuring: {len(QUERIES)} queries x 3 targets, {options['warmup']} warm-up call(s) and "
        f"{options['repeats']} timed call(s) each ...",
        file=sys.stderr,
        flush=True,
    )
    result = measure(repeats=options["repeats"], warmup=options["warmup"], profiling=options["profile"])
    json.dump(result, sys.stdout)
    return 0


# --- the report -----------------------------------------------------------------------------------------------


def _ms(value: float | None, width: int = 8) -> str:
    return f"{value:>{width}.2f}" if value is not None else f"{'-':>{width}}"


def _ratio(value: float, base: float, width: int = 7) -> str:
    return f"{value / base:>{width}.2f}" if base else f"{'-':>{width}}"


def report(result: dict, database: str) -> list[str]:
    """The printed lines for one database's run."""
    facts = result["facts"]
    why = dict(QUERIES)
    lines = [
        f"The social map's search on {database} ({result['vendor']} {result['server_version']}):",
        f"  data: {facts['services']:,} services ({facts['shown']:,} shown by the search: active or temporarily "
        f"closed; {facts['free']:,} free of charge) of {facts['organizations']:,} organisations in "
        f"{facts['towns']} towns, {facts['locations']:,} places, {facts['categories']} categories "
        f"({facts['attributes']:,} links), {facts['languages']:,} languages, {facts['cost_options']:,} cost "
        f"options, {facts['capacities']:,} capacities;",
        f"        written in {facts['write_seconds']:.0f} s, indexed in "
        f"{facts['seconds'] - facts['write_seconds']:.0f} s, ANALYZE {facts['analyze_seconds']} s",
        f"  {result['repeats']} timed calls per query and target after {result['warmup']} warm-up call(s), the "
        "order rotating over all of them; wall time in ms per call:",
        f"  {'query':<20}{'matches':>8} {'raw':>8}{'raw':>8} {'search':>8}{'search':>8}{'p95':>7}{'median':>7}"
        f"  {'free':>8}{'free':>8}{'p95':>7}{'median':>7}",
        f"  {'':<20}{'':>8} {'median':>8}{'p95':>8} {'median':>8}{'p95':>8}{'x raw':>7}{'x raw':>7}"
        f"  {'median':>8}{'p95':>8}{'x raw':>7}{'x raw':>7}",
    ]

    def row(label: str, matches: str, by_target: dict) -> str:
        raw, found, free = by_target[RAW], by_target[SEARCH], by_target[FREE]
        return (
            f"  {label:<20}{matches:>8} {_ms(raw['wall_median'])}{_ms(raw['wall_p95'])} "
            f"{_ms(found['wall_median'])}{_ms(found['wall_p95'])}{_ratio(found['wall_p95'], raw['wall_p95'])}"
            f"{_ratio(found['wall_median'], raw['wall_median'])}  {_ms(free['wall_median'])}{_ms(free['wall_p95'])}"
            f"{_ratio(free['wall_p95'], raw['wall_p95'])}{_ratio(free['wall_median'], raw['wall_median'])}"
        )

    for query, by_target in result["rows"].items():
        lines.append(row(query, f"{result['found'][query]['matches']:,}", by_target))
    lines.append(row(ALL, "", result["overall"]))
    lines.append(
        "  matches: the services the raw query finds (any status; the search shows the active and temporarily "
        "closed, 20 a page); the queries: " + "; ".join(f"{query!r} {why.get(query, '')}" for query in result["rows"])
    )
    db = result["db_cpu_readable"]
    lines.append(
        "  CPU ms per call, median (this process: time.process_time"
        + (", SQLite's own work included" if result["vendor"] == "sqlite" else "")
        + ")"
        + ("; db CPU: the PostgreSQL backend's, mean (from /proc, 10 ms ticks)" if db else "")
        + "; statements per call:"
    )
    lines.append(
        f"  {'query':<20}{'raw':>8}{'search':>8}{'free':>8}"
        + (f"{'raw db':>8}{'search db':>10}{'free db':>8}" if db else "")
        + f"{'stmts':>8}"
    )
    for query, by_target in [*result["rows"].items(), (ALL, result["overall"])]:
        raw, found, free = by_target[RAW], by_target[SEARCH], by_target[FREE]
        statements = f"{raw['statements']}/{found['statements']}/{free['statements']}" if "statements" in raw else ""
        lines.append(
            f"  {query:<20}{_ms(raw['cpu_median'])}{_ms(found['cpu_median'])}{_ms(free['cpu_median'])}"
            + (f"{_ms(raw['db_cpu_mean'])}{_ms(found['db_cpu_mean'], 10)}{_ms(free['db_cpu_mean'])}" if db else "")
            + f"{statements:>8}"
        )
    lines.append(
        "  where search's time goes beyond the raw query (medians, ms; each statement run alone: execute + fetchall):"
    )
    lines.append(
        f"  {'query':<20}{'raw':>8}{'raw SQL':>9}{'search':>8}{'its SQL':>9}{'stmts':>6}{'rest':>8}  "
        "rest = search - its SQL (Python: the query built and compiled, rows to objects)"
    )
    for query, parts in result["breakdown"].items():
        raw_sql = sum(statement["median_ms"] for statement in parts["raw"])
        search_sql = sum(statement["median_ms"] for statement in parts["search"])
        search_wall = result["rows"][query][SEARCH]["wall_median"]
        lines.append(
            f"  {query:<20}{_ms(result['rows'][query][RAW]['wall_median'])}{_ms(raw_sql, 9)}{_ms(search_wall)}"
            f"{_ms(search_sql, 9)}{len(parts['search']):>6}{_ms(search_wall - search_sql)}"
        )
    worst = max(
        result["breakdown"], key=lambda query: sum(s["median_ms"] for s in result["breakdown"][query]["search"])
    )
    lines.append(f"  search's statements for {worst!r}:")
    for number, statement in enumerate(result["breakdown"][worst]["search"], 1):
        lines.append(
            f"    {number}: {statement['median_ms']:>7.2f} ms {statement['rows']:>6,} rows  {statement['what']}"
        )
    found = result.get("profile")
    if found:
        lines.append(
            f"  cProfile of search({found['query']!r}) (the largest p95 ratio), per call (mean of {found['calls']}): "
            f"{found['total_ms']:.1f} ms under the profiler; cumulative:"
        )
        for entry in found["rows"]:
            share = 100 * entry["ms"] / found["total_ms"] if found["total_ms"] else 0.0
            lines.append(f"    {entry['ms']:>8.2f} ms {share:>4.0f} %  {entry['calls']:>6,} calls  {entry['what']}")
    over = [
        f"{verdict['name']} {verdict['query']!r} {verdict['ratio']:.2f}"
        for verdict in result["per_query"]
        if not verdict["met"]
    ]
    lines.append(
        f"  per query, p95 over 2 x raw's: {'; '.join(over) if over else 'none'} (of {len(result['per_query'])}; "
        "shown, not judged: the target is on all queries' calls together)"
    )
    lines.append("  targets (p95 wall time over all queries' calls <= 2 x the raw query's):")
    for verdict in result["targets"]:
        lines.append(
            f"    {LABELS[verdict['name']]:<54}{verdict['ratio']:>6.2f} x raw  {'met' if verdict['met'] else 'NOT met'}"
        )
    return lines


# --- the run --------------------------------------------------------------------------------------------------


def run_database(database: str, args: argparse.Namespace, workdir: Path) -> dict:
    with fresh_database(database, workdir, f"samen_bench_socialmap_{os.getpid()}", "bench/socialmap.py") as env:
        options = {
            "services": args.services,
            "seed": args.seed,
            "repeats": args.repeats,
            "warmup": args.warmup,
            "profile": args.profile,
        }
        facts = run_module(
            env, "bench.socialmap", "--child", json.dumps({**options, "step": "generate"}), progress=True
        )
        measured = run_module(
            env, "bench.socialmap", "--child", json.dumps({**options, "step": "measure"}), progress=True
        )
        return {"facts": facts, **measured}


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--databases",
        default="sqlite,postgresql",
        help="comma-separated, each measured on its own fresh database in turn: sqlite, postgresql (both)",
    )
    parser.add_argument("--services", type=int, default=50_000, help="services in the directory (50000)")
    parser.add_argument("--repeats", type=int, default=30, help="timed calls per query and target (30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed calls per query and target first (3)")
    parser.add_argument("--seed", type=int, default=2026, help="the data's random seed (2026)")
    parser.add_argument("--profile", action="store_true", help="print the cProfile of search even when targets hold")
    parser.add_argument("--child", metavar="JSON", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.database_list = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = [name for name in args.database_list if name not in DATABASES]
    if unknown or not args.database_list:
        parser.error(f"--databases: unknown {unknown}; known: {', '.join(DATABASES)}")
    if args.services < 100 or args.repeats < 1 or args.warmup < 0:
        parser.error("--services >= 100, --repeats >= 1 and --warmup >= 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.child is not None:
        return child(json.loads(args.child))
    return over_databases(
        "bench/socialmap.py",
        args.database_list,
        lambda database, workdir, _index: run_database(database, args, workdir),
        report,
        LABELS,
    )


if __name__ == "__main__":
    sys.exit(main())
