"""Benchmark: the access log's write path (issue 9, target 4), on a fresh database of its own.

    make bench BENCH=audit   (= .venv/bin/python bench/audit.py [--database postgres|sqlite] [--seconds N])

1. A fresh database: PostgreSQL (default) ``samen_bench_audit_<pid>`` on 127.0.0.1:5432 (user ``postgres``, or
   ``BENCH_PG_URL`` for another server), created here, migrated, and dropped afterwards; or with ``--database
   sqlite`` a SQLite file (WAL, IMMEDIATE transactions, as in production) in a temporary directory.
2. Writer processes (``multiprocessing``, spawn) each write audited entries through ``samen.core.audit.record``,
   one entry per ``transaction.atomic()`` as a service does, as fast as they can for ``--seconds`` seconds after a
   common start; each write's latency (entering the transaction to its commit) is timed.
3. Scenarios, one after the other: 1 writer; 8 writers on 8 different households (their own streams); 8 writers
   on one household (one stream: the per-stream lock serialises them, which is also what the old design did for
   every writer in the installation, since it had one chain head for all: labelled as the old design's
   equivalent; the old code itself is not run).
4. ``verify_chain`` walks the whole log at the end.

It prints per scenario: entries, entries/s, p50/p99 latency per write, errors and the writer processes' own CPU
time (per entry, and in cores: when 8 writers use most of the machine's cores, the rate is bound by CPU, not by
a lock; the database server's CPU comes on top); then the targets with met / not met: 8 writers on 8 households
>= 3 x the rate of 1 writer, p99 < 50 ms (1 writer and 8 writers on 8 households), 0 errors, 0 chain problems;
then the load average and the cores. It exits non-zero on errors (a failed setup, a
failed write, a chain problem), never on a missed throughput or latency target.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.processes import Stop, stop_on_signals  # noqa: E402

PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
WRITERS = 8
RATIO_TARGET = 3.0
P99_TARGET_MS = 50.0


@dataclass
class Result:
    label: str
    writers: int
    households: int
    seconds: float
    latencies_ms: list[float]
    errors: list[str]
    cpu_seconds: float  # the writer processes' own CPU time in the window (not the database server's)

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def environment(database: str, workdir: Path, name: str) -> dict[str, str]:
    """Production mode (the settings the servers run with), pointed at the benchmark's own database."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "DEBUG": "false",  # no query recording: what production pays
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SAMEN_VAR_DIR": str(workdir),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    if database == "postgres":
        env["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    return env


def psql_admin(sql: str) -> None:
    """Run one statement on the server's ``postgres`` database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def writer(env: dict[str, str], household_id: int, ready, start, stop_at, results) -> None:
    """One writer process: set up Django, write one warm-up entry (its stream's head exists from then on), then
    after the common start write entries until the deadline, one per transaction."""
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection, transaction

    from samen.core import audit
    from samen.core.actor import SYSTEM
    from samen.core.models import AuditAction

    def write() -> None:
        with transaction.atomic():
            audit.record(
                actor=SYSTEM,
                action=AuditAction.READ,
                household_id=household_id,
                data_category="general",
                description="bench",
            )

    latencies: list[float] = []
    errors: list[str] = []
    try:
        write()
    except Exception as error:  # noqa: BLE001 - reported by the parent
        errors.append(f"warm-up: {error!r}")
    ready.release()
    start.wait()
    deadline = stop_at.value
    cpu_start = time.process_time()
    while time.monotonic() < deadline:
        began = time.perf_counter()
        try:
            write()
        except Exception as error:  # noqa: BLE001 - counted and reported by the parent
            errors.append(repr(error))
            continue
        latencies.append((time.perf_counter() - began) * 1000)
    cpu = time.process_time() - cpu_start
    connection.close()
    results.put((latencies, errors[:5], len(errors), cpu))


def run_scenario(env: dict[str, str], label: str, households: list[int], seconds: float) -> Result:
    context = multiprocessing.get_context("spawn")
    ready, start = context.Semaphore(0), context.Event()
    stop_at = context.Value("d", 0.0)
    results = context.Queue()
    processes = [
        context.Process(target=writer, args=(env, household, ready, start, stop_at, results))
        for household in households
    ]
    for process in processes:
        process.start()
    try:
        for _ in processes:
            if not ready.acquire(timeout=120):
                raise RuntimeError(f"{label}: a writer did not get ready within 120 s")
        stop_at.value = time.monotonic() + seconds
        started = time.monotonic()
        start.set()
        latencies: list[float] = []
        errors: list[str] = []
        cpu_seconds = 0.0
        for _ in processes:
            got, samples, count, cpu = results.get(timeout=seconds + 120)
            cpu_seconds += cpu
            latencies.extend(got)
            errors.extend(samples)
            errors.extend([""] * (count - len(samples)))
        elapsed = max(seconds, time.monotonic() - started) if latencies else seconds
        # The window is the deadline's: writes still in flight at the deadline finish after it and are counted.
        return Result(
            label, len(households), len(set(households)), min(elapsed, seconds), latencies, errors, cpu_seconds
        )
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()


def verify(env: dict[str, str]) -> tuple[int, int, list[str]]:
    """Walk the log in a process of its own: (entries, streams, problems)."""
    code = (
        "import django, json; django.setup()\n"
        "from samen.core.audit import verify_chain\n"
        "from samen.core.models import AuditChainHead, AuditEntry\n"
        "problems = [f'{p.stream} {p.sequence}: {p.message}' for p in verify_chain()]\n"
        "print(json.dumps([AuditEntry.objects.count(), AuditChainHead.objects.count(), problems]))\n"
    )

    output = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=REPO, env=env, check=True, capture_output=True, text=True
    ).stdout
    entries, streams, problems = json.loads(output.strip().splitlines()[-1])
    return entries, streams, problems


def met(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per scenario (10)")
    args = parser.parse_args(argv)
    stop_on_signals()

    workdir = Path(tempfile.mkdtemp(prefix="samen-bench-audit-"))
    name = f"samen_bench_audit_{os.getpid()}"
    created = False
    env = environment(args.database, workdir, name)
    load_before = os.getloadavg()
    try:
        if args.database == "postgres":
            psql_admin(f'CREATE DATABASE "{name}"')
            created = True
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=REPO,
            env=env,
            check=True,
        )
        print(f"Access-log write path on {args.database} ({name if created else workdir}), {args.seconds:g} s each:")
        scenarios = [
            ("1 writer", [1]),
            (f"{WRITERS} writers, {WRITERS} households", list(range(101, 101 + WRITERS))),
            (f"{WRITERS} writers, 1 household (one stream; = the old global lock)", [201] * WRITERS),
        ]
        results = []
        for label, households in scenarios:
            results.append(run_scenario(env, label, households, args.seconds))
            result = results[-1]
            print(
                f"  {result.label:<62} {len(result.latencies_ms):>7} entries {result.rate:>8.1f}/s"
                f"  p50 {result.percentile(0.5):6.1f} ms  p99 {result.percentile(0.99):6.1f} ms"
                f"  errors {len(result.errors)}"
                f"  writers' CPU {1000 * result.cpu_seconds / max(1, len(result.latencies_ms)):.2f} ms/entry"
                f" ({result.cpu_seconds / args.seconds:.2f} cores)"
            )
        entries, streams, problems = verify(env)
        one, many, same = results
        ratio = many.rate / one.rate if one.rate else 0.0
        errors = sum(len(result.errors) for result in results)
        print(
            f"  8 writers ÷ 1 writer (different households): {ratio:.2f}   (one household: {same.rate / one.rate:.2f})"
        )
        print(f"  verify_chain: {entries} entries in {streams} streams, {len(problems)} problem(s)")
        for problem in problems[:10]:
            print(f"    {problem}")
        for result in results:
            for sample in [error for error in result.errors if error][:3]:
                print(f"    error ({result.label}): {sample}")
        print("Targets:")
        print(f"  8 writers >= {RATIO_TARGET:g} x 1 writer: {ratio:.2f}  {met(ratio >= RATIO_TARGET)}")
        for result in (one, many):
            p99 = result.percentile(0.99)
            print(f"  p99 < {P99_TARGET_MS:g} ms ({result.label}): {p99:.1f} ms  {met(p99 < P99_TARGET_MS)}")
        print(f"  0 errors: {errors}  {met(errors == 0)}")
        print(f"  chain verified: {len(problems)} problem(s)  {met(not problems)}")
        load_after = os.getloadavg()
        print(
            "Machine: load average before {:.2f} {:.2f} {:.2f}, after {:.2f} {:.2f} {:.2f}; {} cores".format(
                *load_before, *load_after, os.cpu_count()
            )
        )
        return 1 if errors or problems else 0
    except (Stop, subprocess.CalledProcessError, RuntimeError, OSError) as error:
        print(f"bench/audit.py: {error!r}", file=sys.stderr)
        return 1
    finally:
        if created:
            try:
                psql_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as error:  # noqa: BLE001 - say so, do not hide the run's own outcome
                print(f"bench/audit.py: could not drop {name}: {error!r}", file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
