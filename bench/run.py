"""Benchmark: every household page of Samen, the login floor and a reference page, against a bare Django view
of the same size, side by side in one run on one production-mode server (issue 9's targets).

    make bench                    (= .venv/bin/python bench/run.py): the home suite
    make bench BENCH=households   (= .venv/bin/python bench/run.py --suite households): the coordinator's pages at
                                  1,000 and at 100,000 households, and "Wie keek" with 10 and 100,000 log entries
    make bench BENCH=audit        (= .venv/bin/python bench/audit.py): the access log's write path

The home suite, all in a temporary directory that is removed afterwards:

1. Production mode (DEBUG=false, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, no HTTPS redirect, the second
   factor waived for the demo), a fresh SQLite database with ``demo_municipality --households 1000``, ANALYZE,
   ``collectstatic``, and the bench views and query counter on (``SAMEN_BENCH_VIEWS=true``).
2. One gunicorn server (sync, 2 workers) serves every page.
3. It logs in through the login form as the demo coordinator and as the demo citizen, and fetches every page of
   ``bench/pages.py`` once for the showcase household (the citizen's, in the coordinator's caseload), the social
   map's search for it (``q=schulden``) and the page of the first service that search finds included: each must
   answer 200 and carry its Dutch heading from the catalogue (``bench/facts.py``).
4. Baselines by size group (``bench/baselines.py``): pages whose sizes lie within about 35 % of each other share
   one bare page (``/__bench__/bare/``, no database work) and one reference page (``/__bench__/reference/``:
   logged in, five simple ORM queries, one access-log entry), both within 15 % of every page in the group. The
   login floor is the bare page of the coordinator's home page's group, served to the logged-in coordinator
   (``/__bench__/bare-signed-in/``).
5. Load (``bench/load.py``): 4 client processes per target; a warm-up per target, then the queries of one
   request per target (``bench/middleware.py``, outside the timed windows), then the measured seconds split into
   rounds that alternate the order, so drift on the machine hits every target alike. The server's CPU time is
   read from ``/proc`` before and after each window.

It prints per target: bytes, req/s, p50/p99 latency, server CPU ms per request, queries per request, req/s
÷ the bare page and ÷ the reference page of its size group, and met / not met for the targets: the login floor
>= 0.6 × bare; every household page (and the social map's two) >= 0.15 × bare and >= 0.5 × reference. Then the
load average and the cores. It exits non-zero on errors only (a failed setup, a non-200 or wrong response),
never on a missed target. The households suite is described at ``households_suite``.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.baselines import Baselines, size_groups, sized_baselines  # noqa: E402
from bench.load import Sample, Target, measure_rounds, run_load  # noqa: E402
from bench.pages import (  # noqa: E402
    BARE_MARKER,
    BARE_PATH,
    CITIZEN,
    COORDINATOR,
    HOUSEHOLD,
    PAGE_BY_KEY,
    PAGES,
    POLL_NAME,
    REFERENCE_MARKER,
    SCALE_PAGES,
    SIGNED_IN_PATH,
    Page,
)
from bench.processes import HOST, Stop, free_port, stop_on_signals  # noqa: E402
from bench.report import (  # noqa: E402
    BARE,
    FLOOR,
    PAGE,
    POLL,
    REFERENCE,
    Row,
    print_legend,
    print_machine,
    print_table,
    scale_header,
    scale_line,
    summarise,
)
from bench.server import (  # noqa: E402
    BenchError,
    ServerCPU,
    prepare_database,
    run_module,
    server_environment,
    start_gunicorn,
    stop_gunicorn,
    wait_until_serving,
)
from bench.web import get_page, log_in, query_count  # noqa: E402
from samen.core.actor import Role  # noqa: E402
from samen.demo.logins import DEMO_LOGINS, DEMO_PASSWORD  # noqa: E402

LOGIN_ROLES = {COORDINATOR: Role.COORDINATOR, CITIZEN: Role.CITIZEN}
LOG_SMALL = 10  # "Wie keek" for a household with this many access-log entries ...


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--suite",
        choices=("home", "households"),
        default="home",
        help="home: every page, the login floor and the reference page at --households (default); households: the "
        "coordinator's pages at each of --sizes, and Wie keek with a short and a long log",
    )
    parser.add_argument("--households", type=int, default=1000, help="home suite: demo households (1000)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent load clients (4)")
    parser.add_argument("--seconds", type=float, default=9.0, help="measured seconds per target (9)")
    parser.add_argument("--warmup", type=float, default=1.5, help="warm-up seconds per target (1.5)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds the seconds are split over (3)")
    parser.add_argument(
        "--pages",
        default="",
        help="only these pages, comma-separated keys of bench/pages.py (default: all in the home suite, the "
        "coordinator's in the households suite)",
    )
    parser.add_argument(
        "--sizes",
        default="1000,100000",
        help="households suite: the numbers of demo households to compare, comma-separated (1000,100000)",
    )
    parser.add_argument(
        "--log-entries",
        type=int,
        default=100_000,
        help=f"households suite: Wie keek for a household with {LOG_SMALL} and with this many access-log entries, "
        "at the smallest size (100000; 0 leaves it out)",
    )
    parser.add_argument(
        "--no-analyze",
        dest="analyze",
        action="store_false",
        help="leave out ANALYZE after generating the demo (planner statistics)",
    )
    return parser.parse_args(argv)


def chosen_pages(args: argparse.Namespace, default: Sequence[str]) -> list[Page]:
    keys = [key.strip() for key in args.pages.split(",") if key.strip()] or list(default)
    unknown = [key for key in keys if key not in PAGE_BY_KEY]
    if unknown:
        raise BenchError(f"--pages: unknown {unknown}; known: {', '.join(PAGE_BY_KEY)}")
    return [PAGE_BY_KEY[key] for key in keys]


@contextlib.contextmanager
def serving(env: dict[str, str], var_dir: Path) -> Iterator[tuple[int, ServerCPU]]:
    """gunicorn (sync, 2 workers) on a free port, stopped with its workers afterwards."""
    port = free_port()
    log_path = var_dir / "gunicorn.log"
    server = start_gunicorn(env, port, log_path)
    try:
        wait_until_serving(server, port, log_path)
        print(f"  gunicorn (sync, 2 workers) serves http://{HOST}:{port}", flush=True)
        yield port, ServerCPU(server.pid)
    finally:
        stop_gunicorn(server)


def log_in_as(port: int, whom: set[str]) -> dict[str, str]:
    cookies = {}
    for who in sorted(whom):
        login = next(login for login in DEMO_LOGINS if login.role == LOGIN_ROLES[who])
        cookies[who] = log_in(port, login.email, DEMO_PASSWORD)
    return cookies


def page_target(port: int, page: Page, facts: dict, cookies: dict[str, str], name: str = "", household=None) -> Target:
    """The page for the showcase household (or ``household``), fetched once: 200 and its markers, its size."""
    markers = [marker.encode() for marker in facts["markers"][page.key]]
    path = page.url(household or facts["household_id"], facts["service_id"])
    body = get_page(port, path, cookies[page.who], markers)
    return Target(name or page.key, path, markers, cookies[page.who], len(body), page.who)


def poll_target(port: int, facts: dict, cookie: str) -> Target:
    """The conversation's polling endpoint as the coordinator's open page calls it (its URL, with the signed
    token, read from the page; the HX-Request header htmx sends): nothing is new, so it must answer 204."""
    path = HOUSEHOLD.format(household=facts["household_id"]) + "gesprek/"
    body = get_page(port, path, cookie, [marker.encode() for marker in facts["markers"]["conversation"]])
    found = re.search(rb'hx-get="([^"]+/nieuw/[^"]+)"', body)
    if found is None:
        raise BenchError(f"{path} has no polling endpoint (hx-get .../nieuw/...)")
    poll_path = html.unescape(found.group(1).decode())
    return Target(POLL_NAME, poll_path, [], cookie, 0, COORDINATOR, status=204, headers={"HX-Request": "true"})


def baselines_for(
    port: int, pages: Sequence[Target], facts: dict, cookie: str
) -> tuple[dict[str, int], list[Baselines], list[Target]]:
    """Size groups over ``pages`` and their bare and reference pages: the group of each page and baseline (by
    name), the baselines and their targets ("bare #1", "reference #1", ...)."""
    sizes = {target.name: target.size for target in pages}
    groups = size_groups(sizes)
    baselines, targets = [], []
    for group in groups:
        sized = sized_baselines(port, group, sizes, cookie=cookie, household_id=facts["household_id"])
        baselines.append(sized)
        targets.append(Target(f"bare #{group.number}", sized.bare_path, [BARE_MARKER], "", sized.bare_size))
        targets.append(
            Target(
                f"reference #{group.number}",
                sized.reference_path,
                [REFERENCE_MARKER],
                cookie,
                sized.reference_size,
                COORDINATOR,
            )
        )
    group_of = {name: group.number for group in groups for name in group.members}
    group_of.update({target.name: int(target.name.rsplit("#", 1)[1]) for target in targets})
    return group_of, baselines, targets


def warm_count_measure(
    port: int, cpu: ServerCPU, targets: Sequence[Target], args: argparse.Namespace, label: str = ""
) -> dict[str, Sample]:
    """Warm every target up, count each one's queries, then measure them in alternating rounds."""
    print(f"Warming up ({args.warmup:g} s per target, {len(targets)} targets) ...", flush=True)
    for target in targets:
        warm = run_load(port, target, args.warmup, args.clients)
        if warm.errors:
            raise BenchError(f"{warm.errors} bad responses while warming up {target.name}: {warm.first_error}")
    for target in targets:
        target.queries = query_count(port, target.path, target.cookie, status=target.status, headers=target.headers)
    return measure_rounds(
        port, targets, seconds=args.seconds, rounds=args.rounds, clients=args.clients, cpu=cpu, label=label
    )


def errors_in(totals: dict[str, Sample], label: str = "") -> int:
    errors = 0
    for name, total in totals.items():
        if total.errors:
            errors += total.errors
            print(f"ERROR: {total.errors} bad responses from {label}{name}; the first: {total.first_error}")
    return errors


# --- the home suite ------------------------------------------------------------------------------------


def home_suite(args: argparse.Namespace, workdir: Path) -> int:
    started = time.monotonic()
    pages = chosen_pages(args, [page.key for page in PAGES])
    env = server_environment(workdir)
    print(f"Preparing a production-mode Samen with {args.households} households in {workdir}", flush=True)
    prepare_database(env, args.households, analyze=args.analyze)
    facts = run_module(env, "bench.facts")

    with serving(env, workdir) as (port, cpu):
        cookies = log_in_as(port, {COORDINATOR, CITIZEN} | {page.who for page in pages})
        page_targets = [page_target(port, page, facts, cookies) for page in pages]
        group_of, baselines, baseline_targets = baselines_for(port, page_targets, facts, cookies[COORDINATOR])
        poll = poll_target(port, facts, cookies[COORDINATOR]) if "conversation" in {p.key for p in pages} else None
        # The login floor: the bare page of the coordinator's home page's group (else the first group's).
        floor_group = group_of.get("home", 1)
        floor_bare = next(target for target in baseline_targets if target.name == f"bare #{floor_group}")
        floor = Target(
            "login floor",
            floor_bare.path.replace(BARE_PATH, SIGNED_IN_PATH),
            [BARE_MARKER],
            cookies[COORDINATOR],
            floor_bare.size,
            COORDINATOR,
        )
        get_page(port, floor.path, floor.cookie, floor.markers)
        group_of[floor.name] = floor_group
        targets = [*baseline_targets, floor, *page_targets]
        if poll is not None:
            group_of[poll.name] = floor_group
            targets.append(poll)
        print(
            f"  {len(page_targets)} pages of the showcase household {facts['household_id']} in {len(baselines)} size "
            f"groups: "
            + "; ".join(
                f"#{sized.group.number} {sized.bare_size} bytes ({len(sized.group.members)})" for sized in baselines
            ),
            flush=True,
        )
        totals = warm_count_measure(port, cpu, targets, args)

    kinds = {target.name: BARE if target.name.startswith("bare #") else REFERENCE for target in baseline_targets}
    kinds[floor.name] = FLOOR
    kinds[POLL_NAME] = POLL
    rows = [Row(target, totals[target.name], kinds.get(target.name, PAGE), group_of[target.name]) for target in targets]
    print()
    verdicts = print_table(rows)
    print()
    summarise(verdicts)
    print_legend(args.clients)
    print(
        f"gunicorn sync x 2 workers, production mode, SQLite (WAL), {args.households} households; household pages "
        f"for the showcase household {facts['household_id']}; the reference page is read as the coordinator; the "
        f"login floor is the bare page of group {floor_group} for the logged-in coordinator."
    )
    print_machine()
    print(f"the run took {(time.monotonic() - started) / 60:.1f} min")
    return 1 if errors_in(totals) else 0


# --- the households suite -------------------------------------------------------------------------------


def measure_size(args: argparse.Namespace, workdir: Path, households: int, with_log: bool) -> dict:
    var_dir = workdir / f"households-{households}"
    var_dir.mkdir()
    env = server_environment(var_dir)
    print(f"Preparing a production-mode Samen with {households} households in {var_dir}", flush=True)
    took = prepare_database(env, households, analyze=args.analyze)
    facts = run_module(env, "bench.facts")
    print(f"  the demo coordinator's caseload: {facts['caseload_size']} households", flush=True)
    log = {}
    if with_log:
        if len(facts["log_households"]) < 2:
            raise BenchError("the coordinator's caseload has fewer than three households: no Wie keek pair")
        small, large = facts["log_households"]
        for household, entries in ((small, LOG_SMALL), (large, args.log_entries)):
            seeded = run_module(
                env, "bench.seed_log", "--household", str(household), "--entries", str(entries), progress=True
            )
            log[household] = {"entries": entries, **seeded}
            days = f"over {seeded['spread_days']} days" if seeded["spread_days"] else "all today (record sets the time)"
            print(
                f"  household {household}: {seeded['written']} access-log entries written through audit.record "
                f"({seeded['existing']} were there) in {seeded['seconds']} s, {days}",
                flush=True,
            )

    pages = chosen_pages(args, SCALE_PAGES)
    with serving(env, var_dir) as (port, cpu):
        cookies = log_in_as(port, {COORDINATOR} | {page.who for page in pages})
        page_targets = [page_target(port, page, facts, cookies) for page in pages]
        for household, seeded in log.items():
            page_targets.append(
                page_target(
                    port,
                    PAGE_BY_KEY["wie-keek"],
                    facts,
                    cookies,
                    name=f"wie-keek {seeded['entries']} entries",
                    household=household,
                )
            )
        group_of, baselines, baseline_targets = baselines_for(port, page_targets, facts, cookies[COORDINATOR])
        targets = [*baseline_targets, *page_targets]
        print(f"  {len(page_targets)} pages in {len(baselines)} size groups", flush=True)
        totals = warm_count_measure(port, cpu, targets, args, label=f"{households} households: ")
    kinds = {target.name: BARE if target.name.startswith("bare #") else REFERENCE for target in baseline_targets}
    rows = [Row(target, totals[target.name], kinds.get(target.name, PAGE), group_of[target.name]) for target in targets]
    return {"facts": facts, "took": took, "rows": rows, "totals": totals, "log": log}


def short_size(households: int) -> str:
    return f"{households // 1000}k" if households >= 1000 and households % 1000 == 0 else str(households)


def households_suite(args: argparse.Namespace, workdir: Path) -> int:
    """The coordinator's pages (``SCALE_PAGES`` of ``bench/pages.py``: home, caseload and every page of the
    showcase household) at each size of ``--sizes`` (1,000 and 100,000 demo households by default).

    Per size: a fresh production-mode database (``demo_municipality --households N``; 100,000 takes about two
    minutes here), one gunicorn (sync, 2 workers), baselines by size group as in the home suite, and the same
    table. The demo gives every block of 250 households staff of its own, so the demo coordinator's caseload is
    the same at every size of 250 or more (33 households at 1,000 and at 100,000); the run prints it per size and
    warns when it differs. At the smallest size, "Wie keek" also for two more households of the coordinator's
    caseload: one with 10 access-log entries and one with ``--log-entries`` (100,000), written through
    ``samen.core.audit.record`` (``bench/seed_log.py``; every measured request adds one more). Then per page the
    time per request at the largest size ÷ at the smallest, and for the long log ÷ the short one, by median
    latency (judged: <= 1.2) and by server CPU per request. Misses are printed, never hidden; it exits non-zero
    only on errors.
    """
    started = time.monotonic()
    try:
        sizes = sorted({int(value) for value in args.sizes.split(",") if value.strip()})
    except ValueError as exc:
        raise BenchError(f"--sizes takes whole numbers separated by commas, not {args.sizes!r}") from exc
    if not sizes or sizes[0] < 1:
        raise BenchError("--sizes needs at least one number of households of 1 or more")
    results = {
        size: measure_size(args, workdir, size, with_log=index == 0 and args.log_entries > 0)
        for index, size in enumerate(sizes)
    }

    errors = 0
    verdicts = {}
    for size, result in results.items():
        print()
        print(f"{size} households (the demo coordinator's caseload: {result['facts']['caseload_size']} households)")
        verdicts.update({f"{name} at {size}": text for name, text in print_table(result["rows"], "  ").items()})
        errors += errors_in(result["totals"], f"{size} households: ")

    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print()
        print(f"time per request at {large} households / at {small}:")
        print(scale_header(short_size(small), short_size(large)))
        small_rows = {row.target.name: row for row in results[small]["rows"] if row.kind == PAGE}
        large_rows = {row.target.name: row for row in results[large]["rows"] if row.kind == PAGE}
        for name, row in small_rows.items():
            if name in large_rows:
                line = scale_line(name, row, large_rows[name])
                verdicts[f"{name} {large}/{small}"] = line.rsplit("  ", 1)[1]
                print(line)
        caseloads = {size: result["facts"]["caseload_size"] for size, result in results.items()}
        if len(set(caseloads.values())) > 1:
            print(
                f"WARNING: the demo coordinator's caseload differs between the sizes ({caseloads}): the demo gives "
                "every 250 households staff of their own, so sizes under 250 have a smaller caseload; compare sizes "
                "of 250 or more."
            )
    log = results[sizes[0]]["log"]
    if len(log) == 2:
        rows = {row.target.name: row for row in results[sizes[0]]["rows"]}
        (short_household, short), (long_household, long) = log.items()
        short_row, long_row = rows[f"wie-keek {short['entries']} entries"], rows[f"wie-keek {long['entries']} entries"]
        print()
        print(
            f"Wie keek, household {long_household} with {long['entries']} access-log entries / household "
            f"{short_household} with {short['entries']} (at {sizes[0]} households):"
        )
        print(scale_header("short", "long"))
        line = scale_line("wie-keek", short_row, long_row)
        verdicts[f"wie-keek log {long['entries']}/{short['entries']}"] = line.rsplit("  ", 1)[1]
        print(line)
    print()
    summarise(verdicts)
    print_legend(args.clients)
    took = ", ".join(f"{size}: demo {result['took']['demo']:.0f} s" for size, result in results.items())
    print(f"generating the databases took {took}; logged in as the demo coordinator; gunicorn sync x 2, SQLite (WAL).")
    print_machine()
    print(f"the run took {(time.monotonic() - started) / 60:.1f} min")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.seconds <= 0 or args.rounds < 1 or args.clients < 1:
        print("ERROR: --seconds, --rounds and --clients must be positive", file=sys.stderr)
        return 2

    stop_on_signals()
    workdir = Path(tempfile.mkdtemp(prefix="samen-bench-"))
    try:
        if args.suite == "households":
            return households_suite(args, workdir)
        return home_suite(args, workdir)
    except BenchError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    except Stop as exc:
        print(f"Stopped ({exc}).", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
