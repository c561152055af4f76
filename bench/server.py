"""The benchmark's server: a production-mode Samen in a temporary folder, served by gunicorn (sync, 2 workers),
and the CPU time its processes use, read from ``/proc``."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

from bench.processes import HOST, stop_process_group

REPO = Path(__file__).resolve().parent.parent
LOGIN_PATH = "/account/inloggen/"
WORKERS = 2


class BenchError(Exception):
    """A setup step or a response went wrong: the benchmark's figures would mean nothing."""


def server_environment(var_dir: Path) -> dict[str, str]:
    """Production mode (DEBUG=false, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, no HTTPS redirect, the
    second factor waived for the demo), a SQLite database in ``var_dir``, and the bench views on."""
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


def manage(env: dict[str, str], *args: str) -> float:
    """Run ``manage.py`` with the server's environment; return the seconds it took."""
    command = [sys.executable, "manage.py", *args]
    started = time.monotonic()
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        output = result.stdout[-3000:] + result.stderr[-3000:]
        raise BenchError(f"`manage.py {' '.join(args)}` failed ({result.returncode}):\n{output}")
    took = time.monotonic() - started
    print(f"  manage.py {' '.join(args)}  ({took:.1f} s)", flush=True)
    return took


def run_module(env: dict[str, str], module: str, *args: str, progress: bool = False) -> dict:
    """Run ``python -m <module>`` (a bench helper that sets Django up itself) and read the JSON it prints. With
    ``progress``, what it writes to stderr goes to the terminal as it comes (and is not in the error)."""
    command = [sys.executable, "-m", module, *args]
    result = subprocess.run(  # noqa: S603
        command,
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=None if progress else subprocess.PIPE,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"`python -m {module} {' '.join(args)}` failed:\n{(result.stderr or '')[-3000:]}")
    return json.loads(result.stdout)


def prepare_database(env: dict[str, str], households: int, *, analyze: bool) -> dict[str, float]:
    """Migrate, generate the demo with ``households`` households, ANALYZE, collect the static files. Returns the
    seconds each step took."""
    took = {"migrate": manage(env, "migrate", "--noinput", "--verbosity", "0")}
    took["demo"] = manage(
        env, "demo_municipality", "--households", str(households), "--seed", "2026", "--verbosity", "0"
    )
    if analyze:
        # Table statistics for the query planner, as PostgreSQL's autovacuum keeps them. Without them SQLite
        # plans households_visible_to's grant lookup through the organisation index: quadratic in the
        # organisation's grants.
        took["analyze"] = manage(
            env, "shell", "--command", "from django.db import connection; connection.cursor().execute('ANALYZE')"
        )
    took["collectstatic"] = manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return took


def start_gunicorn(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--workers", str(WORKERS), "--worker-class", "sync", "--bind", f"{HOST}:{port}",
        "--error-logfile", str(log_path), "--log-level", "warning",
    ]  # fmt: skip
    # A session of its own, so the master and both workers are stopped together.
    return subprocess.Popen(command, cwd=REPO, env=env, start_new_session=True)  # noqa: S603


def stop_gunicorn(process: subprocess.Popen) -> None:
    stop_process_group(process, timeout=15)


def read_tail(path: Path, size: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-size:]
    except OSError:
        return "(no log)"


def wait_until_serving(process: subprocess.Popen, port: int, log_path: Path, timeout: float = 60) -> None:
    from bench.web import fetch

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn stopped ({process.returncode}):\n{read_tail(log_path)}")
        try:
            status, _, _ = fetch(port, "GET", LOGIN_PATH)
            if status == 200 and len(children(process.pid)) >= WORKERS:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer {LOGIN_PATH} with 200 within {timeout:.0f} s:\n{read_tail(log_path)}")


# --- CPU time from /proc -------------------------------------------------------------------------------

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def parse_stat(text: str) -> tuple[int, int]:
    """(parent pid, utime + stime in clock ticks) from the text of ``/proc/<pid>/stat``.

    The second field, the command in parentheses, may hold spaces and parentheses itself: the fields are
    counted from the last ")". utime and stime are fields 14 and 15 (proc(5)); they cover all threads of the
    process.
    """
    after = text[text.rindex(")") + 2 :].split()
    # after[0] is field 3 (state), so field n is after[n - 3].
    return int(after[1]), int(after[11]) + int(after[12])


def _stat(pid: int) -> tuple[int, int] | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return parse_stat(stat.read())
    except (OSError, ValueError, IndexError):
        return None  # gone, or not a process


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (gunicorn's workers): from ``/proc/<pid>/task/*/children`` where the
    kernel has it, else by scanning ``/proc``."""
    found: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                found.update(int(child) for child in listing.read().split())
        return sorted(found)
    except OSError:
        pass
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat is not None and stat[0] == pid:
                found.add(int(entry))
    return sorted(found)


class ServerCPU:
    """The CPU time (user + system) of a gunicorn master and its workers, in milliseconds between two reads.

    ``snapshot()`` before a measured window, ``used_ms(snapshot)`` after it. A worker that appeared in between
    (gunicorn replaced one) counts from zero; one that vanished loses the time since the snapshot (rare; gunicorn
    does not recycle workers unless told to).
    """

    def __init__(self, master_pid: int) -> None:
        self.master_pid = master_pid

    def snapshot(self) -> dict[int, int]:
        ticks = {}
        for pid in (self.master_pid, *children(self.master_pid)):
            stat = _stat(pid)
            if stat is not None:
                ticks[pid] = stat[1]
        return ticks

    def used_ms(self, before: dict[int, int]) -> float:
        after = self.snapshot()
        used = sum(ticks - before.get(pid, 0) for pid, ticks in after.items())
        return 1000.0 * used / TICKS_PER_SECOND
