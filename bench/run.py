"""Benchmark: Samen's pages for a logged-in professional against a bare Django view of the same size.

    make bench                    (= .venv/bin/python bench/run.py): the coordinator's home page
    make bench BENCH=households   (= .venv/bin/python bench/run.py --suite households): "Mijn huishoudens"
                                  and the household overview at 1,000 and at 100,000 households

The ``households`` suite is described at ``households_suite`` below; what follows is the ``home`` suite.

What it does, all in a temporary directory that is removed afterwards:
1. Production mode (DEBUG=false, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, no HTTPS redirect, the
   second factor waived for the demo), a fresh SQLite database with ``demo_municipality --households 200``,
   ``collectstatic``, and the bench views on (``SAMEN_BENCH_VIEWS=true``, ``/__bench__/bare/``).
2. One gunicorn server (sync, 2 workers) serves both pages.
3. It logs in once as the demo coordinator through the login form and checks that ``/`` shows the
   coordinator's home page; it sizes the bare page to within 10 % of the home page's HTML.
4. Load: separate client processes, each with one ``http.client`` connection (kept alive where the
   server allows; gunicorn's sync workers close it after each response), warm-up, then the targets
   in alternating order. Every response must be 200 and carry its page's marker.

It prints requests/s for the three, the ratio home/bare (target: >= 0.5) and the page sizes. The
third target, ``login``, is the bare page served to the logged-in coordinator (session, user and
Actor loaded): it shows how much of the gap any logged-in page pays before doing its own work. It exits
non-zero only on errors (a failed setup, a non-200 or wrong response), never on a missed target.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import queue
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html import escape as escape_html
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.processes import Stop, free_port, stop_on_signals, stop_process_group  # noqa: E402
from samen.core.actor import Role  # noqa: E402
from samen.demo.logins import DEMO_LOGINS, DEMO_PASSWORD  # noqa: E402

HOST = "127.0.0.1"
LOGIN_PATH = "/account/inloggen/"
HOME_PATH = "/"
BARE_PATH = "/__bench__/bare/"
BARE_MARKER = b"<h1>Bare benchmark page</h1>"
SIGNED_IN_PATH = "/__bench__/bare-signed-in/"
TARGET_RATIO = 0.5
SIZE_TOLERANCE = 0.10


class BenchError(Exception):
    """A setup step or a response went wrong: the benchmark's figures would mean nothing."""


# --- the server ------------------------------------------------------------------------------------


def server_environment(var_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "false",
            "SAMEN_REQUIRE_SECOND_FACTOR": "false",
            "SAMEN_BENCH_VIEWS": "true",
            "SAMEN_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": str(REPO),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "manage.py", *args]
    started = time.monotonic()
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        output = result.stdout[-3000:] + result.stderr[-3000:]
        raise BenchError(f"`manage.py {' '.join(args)}` failed ({result.returncode}):\n{output}")
    print(f"  manage.py {' '.join(args)}  ({time.monotonic() - started:.1f} s)", flush=True)


def start_gunicorn(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--workers", "2", "--worker-class", "sync", "--bind", f"{HOST}:{port}",
        "--error-logfile", str(log_path), "--log-level", "warning",
    ]  # fmt: skip
    # A session of its own, so the master and both workers are stopped together.
    return subprocess.Popen(command, cwd=REPO, env=env, start_new_session=True)  # noqa: S603


def stop_gunicorn(process: subprocess.Popen) -> None:
    stop_process_group(process, timeout=15)


def wait_until_serving(process: subprocess.Popen, port: int, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn stopped ({process.returncode}):\n{read_tail(log_path)}")
        try:
            status, _, _ = fetch(port, "GET", LOGIN_PATH)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer {LOGIN_PATH} with 200 within {timeout:.0f} s:\n{read_tail(log_path)}")


def read_tail(path: Path, size: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-size:]
    except OSError:
        return "(no log)"


def coordinator_markers(env: dict[str, str], email: str) -> list[bytes]:
    """What only the demo coordinator's home page shows, in Dutch (the default language).

    The heading of the work page (samen/home/templates/home/work.html), the role on its
    "Your role" card and the coordinator's name in the navigation, read from the catalogue and the
    benchmark's database, so a changed translation or generated name does not break the benchmark.
    """
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections
    from django.utils import translation
    from django.utils.html import escape
    from django.utils.text import capfirst

    from samen.accounts.models import User

    try:
        name = User.objects.get(email=email).get_full_name()
    finally:
        connections.close_all()  # before the load clients fork
    with translation.override("nl"):
        texts = [translation.gettext("My work"), capfirst(str(Role.COORDINATOR.label)), name]
    return [escape(text).encode() for text in texts]


# --- one request, the login -------------------------------------------------------------------


def fetch(port: int, method: str, path: str, *, headers: dict | None = None, body: str | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def cookies_from(headers: list[tuple[str, str]]) -> dict[str, str]:
    jar = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def log_in(port: int, email: str, password: str) -> str:
    """Log in through the real login form; return the Cookie header of the logged-in session."""
    status, headers, body = fetch(port, "GET", LOGIN_PATH)
    if status != 200:
        raise BenchError(f"GET {LOGIN_PATH} answered {status}")
    cookies = cookies_from(headers)
    html = body.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not token or "csrftoken" not in cookies:
        raise BenchError("the login page has no CSRF token (form field and cookie)")
    form = {"csrfmiddlewaretoken": token.group(1), "email": email, "password": password}
    status, headers, body = fetch(
        port,
        "POST",
        LOGIN_PATH,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(cookies)},
        body=urlencode(form),
    )
    location = {name.lower(): value for name, value in headers}.get("location", "")
    if status != 302:
        raise BenchError(f"logging in as {email} answered {status}, not a redirect:\n{body.decode()[:2000]}")
    cookies.update(cookies_from(headers))
    if "sessionid" not in cookies:
        raise BenchError(f"logging in as {email} set no session cookie (redirect to {location!r})")
    return cookie_header(cookies)


# --- the load ----------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    path: str
    markers: list[bytes]
    cookie: str = ""
    size: int = 0


@dataclass
class Sample:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    first_error: str = ""


def client(port: int, target: Target, start_at: float, seconds: float, results) -> None:
    """One load client (its own process): one connection, requests until the time is up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    headers = {"Cookie": target.cookie} if target.cookie else {}
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    sample = Sample()
    while time.monotonic() < start_at:
        time.sleep(0.001)
    end = start_at + seconds
    now = time.monotonic()
    while now < end:
        try:
            conn.request("GET", target.path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            ok = response.status == 200 and all(marker in body for marker in target.markers)
            if not ok and not sample.first_error:
                sample.first_error = f"{target.path} answered {response.status} ({len(body)} bytes)"
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            ok = False
            if not sample.first_error:
                sample.first_error = f"{target.path}: {exc!r}"
        done = time.monotonic()
        sample.latencies.append(done - now)
        sample.requests += 1
        sample.errors += 0 if ok else 1
        now = done
    sample.seconds = now - start_at
    conn.close()
    results.put(sample)


def run_load(port: int, target: Target, seconds: float, clients: int) -> Sample:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.monotonic() + 0.3
    processes = [
        context.Process(target=client, args=(port, target, start_at, seconds, results)) for _ in range(clients)
    ]
    for process in processes:
        process.start()
    try:
        samples = [results.get(timeout=seconds + 60) for _ in processes]
    except queue.Empty as exc:
        raise BenchError(f"a load client of {target.name} stopped without a result") from exc
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
    total = Sample(seconds=max(sample.seconds for sample in samples))
    for sample in samples:
        total.requests += sample.requests
        total.errors += sample.errors
        total.latencies.extend(sample.latencies)
        total.first_error = total.first_error or sample.first_error
    return total


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


# --- sizing the bare page ------------------------------------------------------------------------


def page_size(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    status, _, body = fetch(port, "GET", path, headers={"Cookie": cookie} if cookie else {})
    if status != 200:
        raise BenchError(f"GET {path} answered {status}")
    return len(body), body


def sized_bare_path(port: int, home_size: int) -> tuple[str, int]:
    empty, _ = page_size(port, f"{BARE_PATH}?items=0")
    hundred, _ = page_size(port, f"{BARE_PATH}?items=100")
    per_item = (hundred - empty) / 100
    items = max(0, round((home_size - empty) / per_item))
    path = f"{BARE_PATH}?items={items}"
    size, body = page_size(port, path)
    if BARE_MARKER not in body:
        raise BenchError(f"{path} is not the bare benchmark page")
    if abs(size - home_size) > SIZE_TOLERANCE * home_size:
        raise BenchError(f"the bare page ({size} bytes) is not within 10 % of the home page ({home_size} bytes)")
    return path, size


# --- main --------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=200, help="demo households in the database (200)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent load clients (4)")
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per target (8)")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per target (2)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds the seconds are split over (2)")
    parser.add_argument(
        "--suite",
        choices=("home", "households"),
        default="home",
        help="home: the coordinator's home page (default); households: the caseload and the household overview "
        "at each of --sizes",
    )
    parser.add_argument(
        "--sizes",
        default="1000,100000",
        help="households suite: the numbers of demo households to compare, comma-separated (1000,100000)",
    )
    parser.add_argument(
        "--no-analyze",
        dest="analyze",
        action="store_false",
        help="households suite: leave out ANALYZE after generating the demo (planner statistics)",
    )
    return parser.parse_args(argv)


def measure(args: argparse.Namespace, workdir: Path) -> int:
    env = server_environment(workdir)
    print(f"Preparing a production-mode Samen in {workdir}", flush=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "demo_municipality", "--households", str(args.households), "--seed", "2026", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")

    port = free_port()
    log_path = workdir / "gunicorn.log"
    server = start_gunicorn(env, port, log_path)
    try:
        wait_until_serving(server, port, log_path)
        print(f"  gunicorn (sync, 2 workers) serves http://{HOST}:{port}", flush=True)

        coordinator = next(login for login in DEMO_LOGINS if login.role == Role.COORDINATOR)
        markers = coordinator_markers(env, coordinator.email)
        cookie = log_in(port, coordinator.email, DEMO_PASSWORD)
        home_size, home_body = page_size(port, HOME_PATH, cookie)
        missing = [marker.decode() for marker in markers if marker not in home_body]
        if missing:
            raise BenchError(
                f"{HOME_PATH} after logging in as {coordinator.email} is not the coordinator's home page "
                f"(it lacks {missing}):\n{home_body.decode()[:3000]}"
            )
        bare_path, bare_size = sized_bare_path(port, home_size)
        home = Target("home", HOME_PATH, markers, cookie, home_size)
        bare = Target("bare", bare_path, [BARE_MARKER], "", bare_size)
        signed_in = Target("login", bare_path.replace(BARE_PATH, SIGNED_IN_PATH), [BARE_MARKER], cookie, bare_size)
        targets = (bare, signed_in, home)
        print(
            f"  logged in as {coordinator.email}; home page {home_size} bytes, bare page {bare_size} bytes "
            f"({bare_path})",
            flush=True,
        )

        print(f"Warming up ({args.warmup:g} s per target) ...", flush=True)
        for target in targets:
            warm = run_load(port, target, args.warmup, args.clients)
            if warm.errors:
                raise BenchError(f"{warm.errors} bad responses while warming up {target.name}: {warm.first_error}")

        per_round = args.seconds / args.rounds
        print(
            f"Measuring {args.seconds:g} s per target with {args.clients} clients "
            f"({args.rounds} rounds of {per_round:g} s, alternating order) ...",
            flush=True,
        )
        totals = {target.name: Sample() for target in targets}
        for round_number in range(args.rounds):
            order = targets if round_number % 2 == 0 else tuple(reversed(targets))
            for target in order:
                sample = run_load(port, target, per_round, args.clients)
                total = totals[target.name]
                total.requests += sample.requests
                total.errors += sample.errors
                total.seconds += sample.seconds
                total.latencies.extend(sample.latencies)
                total.first_error = total.first_error or sample.first_error
                print(f"  round {round_number + 1}: {target.name:<4} {sample.requests / sample.seconds:8.1f} req/s")
    finally:
        stop_gunicorn(server)

    report(totals, {target.name: target for target in targets}, args)
    errors = sum(total.errors for total in totals.values())
    if errors:
        for name, total in totals.items():
            if total.errors:
                print(f"ERROR: {total.errors} bad responses from {name}; the first: {total.first_error}")
        return 1
    return 0


def report(totals: dict[str, Sample], targets: dict[str, Target], args: argparse.Namespace) -> None:
    print()
    print(f"{'page':<6}{'bytes':>9}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
    rates = {}
    for name in ("bare", "login", "home"):
        total, target = totals[name], targets[name]
        rates[name] = total.requests / total.seconds if total.seconds else 0.0
        print(
            f"{name:<6}{target.size:>9}{total.requests:>10}{total.errors:>8}{rates[name]:>9.1f}"
            f"{1000 * statistics.median(total.latencies):>9.2f}{1000 * percentile(total.latencies, 0.95):>9.2f}"
        )
    ratio = rates["home"] / rates["bare"] if rates["bare"] else 0.0
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print()
    print(f"ratio home/bare: {ratio:.2f}  (target >= {TARGET_RATIO}: {verdict})")
    floor = rates["login"] / rates["bare"] if rates["bare"] else 0.0
    print(
        f"ratio login/bare: {floor:.2f}  (the same bare page for a logged-in user: session, user and Actor "
        "loaded; what any logged-in page costs before its own work)"
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average after the run: {load} on {os.cpu_count()} cores (other work on the machine skews the figures)")
    print(
        f"home = / of the logged-in demo coordinator; bare = {targets['bare'].path} (no database work); "
        f"gunicorn sync x 2 workers, {args.clients} clients, {args.households} households, production mode."
    )


# --- the households suite: "Mijn huishoudens" and the household overview, small and large ------------------

CASELOAD_PATH = "/mijn-huishoudens/"
TARGET_SCALE_RATIO = 1.2


def database_facts(env: dict[str, str]) -> dict:
    """The showcase household (the demo citizen's, in the demo coordinator's caseload) and the Dutch caseload
    heading, read by ``bench/facts.py`` in a subprocess (each size has its own database)."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.facts"], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BenchError(f"reading the benchmark database failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def measure_targets(port: int, targets: tuple[Target, ...], args: argparse.Namespace, label: str) -> dict:
    print(f"Warming up ({args.warmup:g} s per target) ...", flush=True)
    for target in targets:
        warm = run_load(port, target, args.warmup, args.clients)
        if warm.errors:
            raise BenchError(f"{warm.errors} bad responses while warming up {target.name}: {warm.first_error}")
    per_round = args.seconds / args.rounds
    print(
        f"Measuring {args.seconds:g} s per target with {args.clients} clients "
        f"({args.rounds} rounds of {per_round:g} s, alternating order) ...",
        flush=True,
    )
    totals = {target.name: Sample() for target in targets}
    for round_number in range(args.rounds):
        order = targets if round_number % 2 == 0 else tuple(reversed(targets))
        for target in order:
            sample = run_load(port, target, per_round, args.clients)
            total = totals[target.name]
            total.requests += sample.requests
            total.errors += sample.errors
            total.seconds += sample.seconds
            total.latencies.extend(sample.latencies)
            total.first_error = total.first_error or sample.first_error
            rate = sample.requests / sample.seconds if sample.seconds else 0.0
            print(f"  {label} round {round_number + 1}: {target.name:<13} {rate:8.1f} req/s", flush=True)
    return totals


def bare_like(port: int, name: str, size: int) -> Target:
    path, bare_size = sized_bare_path(port, size)
    return Target(name, path, [BARE_MARKER], "", bare_size)


def measure_size(args: argparse.Namespace, workdir: Path, households: int) -> tuple[dict, dict]:
    var_dir = workdir / f"households-{households}"
    var_dir.mkdir()
    env = server_environment(var_dir)
    print(f"Preparing a production-mode Samen with {households} households in {var_dir}", flush=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "demo_municipality", "--households", str(households), "--seed", "2026", "--verbosity", "0")
    if args.analyze:
        # Table statistics for the query planner, as PostgreSQL's autovacuum keeps them. Without them SQLite
        # plans households_visible_to's grant lookup through the organisation index: quadratic in the
        # organisation's grants (see the README's bench section).
        manage(env, "shell", "--command", "from django.db import connection; connection.cursor().execute('ANALYZE')")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    facts = database_facts(env)

    port = free_port()
    log_path = var_dir / "gunicorn.log"
    server = start_gunicorn(env, port, log_path)
    try:
        wait_until_serving(server, port, log_path)
        coordinator = next(login for login in DEMO_LOGINS if login.role == Role.COORDINATOR)
        cookie = log_in(port, coordinator.email, DEMO_PASSWORD)
        name = escape_html(facts["household_name"]).encode()
        overview_path = f"/huishoudens/{facts['household_id']}/"
        caseload_markers = [f"<h1>{escape_html(facts['caseload_heading'])}</h1>".encode()]
        caseload_size, caseload_body = page_size(port, CASELOAD_PATH, cookie)
        if caseload_markers[0] not in caseload_body:
            raise BenchError(f"{CASELOAD_PATH} is not the caseload page:\n{caseload_body.decode()[:3000]}")
        # The showcase household on the caseload (searched by name: it need not be on the first page).
        search_path = f"{CASELOAD_PATH}?{urlencode({'q': facts['household_name']})}"
        _, search_body = page_size(port, search_path, cookie)
        if f'href="{overview_path}"'.encode() not in search_body:
            raise BenchError(f"the showcase household {overview_path} is not in the coordinator's caseload")
        overview_size, overview_body = page_size(port, overview_path, cookie)
        if name not in overview_body:
            raise BenchError(f"{overview_path} does not show the household's name:\n{overview_body.decode()[:3000]}")
        targets = (
            bare_like(port, "bare-caseload", caseload_size),
            Target("caseload", CASELOAD_PATH, caseload_markers, cookie, caseload_size),
            bare_like(port, "bare-overview", overview_size),
            Target("overview", overview_path, [name], cookie, overview_size),
        )
        print(
            f"  gunicorn (sync, 2 workers) on http://{HOST}:{port}; logged in as {coordinator.email}; caseload "
            f"{caseload_size} bytes, overview of household {facts['household_id']} {overview_size} bytes",
            flush=True,
        )
        totals = measure_targets(port, targets, args, f"{households:>7} households")
    finally:
        stop_gunicorn(server)
    return totals, {target.name: target for target in targets}


def households_suite(args: argparse.Namespace, workdir: Path) -> int:
    """The caseload ("Mijn huishoudens", ``/mijn-huishoudens/``) and the household overview
    (``/huishoudens/<id>/``, the showcase household in the demo coordinator's caseload), for the logged-in
    demo coordinator, at each size of ``--sizes`` (1,000 and 100,000 demo households by default).

    Per size: a fresh production-mode database (``demo_municipality --households N``), one gunicorn (sync,
    2 workers), and per page a bare page of the same size measured in the same run, alternating. It prints
    req/s per page, the ratio page/bare (target >= 0.5) and, between the smallest and the largest size, the
    ratio of the time per request (median latency; target <= 1.2). Misses are printed, never hidden; it exits
    non-zero only on errors.
    """
    try:
        sizes = sorted({int(value) for value in args.sizes.split(",") if value.strip()})
    except ValueError as exc:
        raise BenchError(f"--sizes takes whole numbers separated by commas, not {args.sizes!r}") from exc
    if not sizes or sizes[0] < 1:
        raise BenchError("--sizes needs at least one number of households of 1 or more")
    results = {size: measure_size(args, workdir, size) for size in sizes}

    print()
    print(f"{'households':>10}  {'page':<14}{'bytes':>8}{'requests':>10}{'errors':>8}{'req/s':>9}"
          f"{'p50 ms':>9}{'p95 ms':>9}{'/bare':>7}")  # fmt: skip
    rates: dict[tuple[int, str], float] = {}
    medians: dict[tuple[int, str], float] = {}
    errors = 0
    for size, (totals, targets) in results.items():
        for name in ("bare-caseload", "caseload", "bare-overview", "overview"):
            total, target = totals[name], targets[name]
            rate = total.requests / total.seconds if total.seconds else 0.0
            rates[size, name] = rate
            medians[size, name] = statistics.median(total.latencies) if total.latencies else 0.0
            errors += total.errors
            bare = rates.get((size, f"bare-{name}"))
            ratio = f"{rate / bare:7.2f}" if bare else ""
            print(
                f"{size:>10}  {name:<14}{target.size:>8}{total.requests:>10}{total.errors:>8}{rate:>9.1f}"
                f"{1000 * medians[size, name]:>9.2f}{1000 * percentile(total.latencies, 0.95):>9.2f}{ratio}"
            )
    print()
    for size in sizes:
        for name in ("caseload", "overview"):
            bare = rates[size, f"bare-{name}"]
            ratio = rates[size, name] / bare if bare else 0.0
            verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
            print(f"{size:>7} households: ratio {name}/bare {ratio:.2f}  (target >= {TARGET_RATIO}: {verdict})")
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        for name in ("caseload", "overview"):
            # Time per request: the median latency, and the inverse of the throughput, both large/small.
            latency = medians[large, name] / medians[small, name] if medians[small, name] else 0.0
            throughput = rates[small, name] / rates[large, name] if rates[large, name] else 0.0
            verdict = "met" if latency <= TARGET_SCALE_RATIO else "NOT met"
            print(
                f"time per request {name} {large}/{small}: {latency:.2f} by median latency, {throughput:.2f} by "
                f"throughput  (target <= {TARGET_SCALE_RATIO}: {verdict})"
            )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average after the run: {load} on {os.cpu_count()} cores (other work on the machine skews the figures)")
    print(
        f"logged in as the demo coordinator; gunicorn sync x 2 workers, {args.clients} clients, production mode, "
        "SQLite (WAL)."
    )
    if errors:
        for size, (totals, _) in results.items():
            for name, total in totals.items():
                if total.errors:
                    print(f"ERROR: {total.errors} bad responses from {name} at {size}; the first: {total.first_error}")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)

    stop_on_signals()
    workdir = Path(tempfile.mkdtemp(prefix="samen-bench-"))
    try:
        if args.suite == "households":
            return households_suite(args, workdir)
        return measure(args, workdir)
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
