"""A worker killed with SIGKILL in the middle of sending (issue 10): nothing stays RUNNING, nothing is sent twice.

Five invitation e-mails are queued; a real worker process (``manage.py worker``) sends them to files (Django's
file backend) and hangs while sending the third; the test kills it with SIGKILL (its work horse too, on RQ), starts
a new worker and waits. The new worker finds the abandoned task after ``SAMEN_TASK_STUCK_AFTER`` seconds and runs
it again; that attempt finds the claim of the attempt that died while sending and fails as "may not have arrived"
instead of sending a second time. The other four are sent exactly once. The functional administrator then starts
the failed task again (the retry service), and the fifth e-mail goes out, once.

On a file database: SQLite in a temporary folder, or a new PostgreSQL database when the tests run on PostgreSQL.
Then the same on Redis (RQ, database 11, emptied before and after): it needs the Redis server of the machine and CI
(127.0.0.1:6379) and fails, rather than skipping, when it cannot reach it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = "redis://127.0.0.1:6379/11"
STUCK_AFTER = 2
BLOCKED = 2  # the third invitation hangs while sending


def _postgres_url(name: str) -> str | None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return None
    user = database.get("USER") or "postgres"
    host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{name}"


def _postgres_admin(statement: str) -> None:
    import psycopg

    database = settings.DATABASES["default"]
    with psycopg.connect(
        host=database.get("HOST") or "127.0.0.1",
        port=database.get("PORT") or 5432,
        user=database.get("USER") or "postgres",
        password=database.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(statement)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """A migrated database of its own for the worker processes (a file, or a PostgreSQL database)."""
    var_dir = tmp_path_factory.mktemp("crash")
    env = {
        **os.environ,
        "DEBUG": "true",
        "SAMEN_VAR_DIR": str(var_dir),
        "SAMEN_TASK_STUCK_AFTER": str(STUCK_AFTER),
        "SAMEN_TASK_MAX_ATTEMPTS": "3",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    name = f"samen_crash_{os.getpid()}"
    url = _postgres_url(name)
    if url is not None:
        _postgres_admin(f'DROP DATABASE IF EXISTS "{name}"')
        _postgres_admin(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = url
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    yield env, var_dir
    if url is not None:
        _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_db():
    """Redis database 11, empty; fails loudly when Redis cannot be reached (CI has it running)."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} ({exc}); start it: redis-server --daemonize yes")
    connection.flushdb()
    yield
    connection.flushdb()


class Run:
    def __init__(self, env: dict, folder: Path) -> None:
        self.folder = folder
        self.mail = folder / "mail"
        self.control = folder / "control"
        self.mail.mkdir()
        self.control.mkdir()
        self.env = {
            **env,
            "EMAIL_BACKEND": "samen.operations.tests.blocking_email.BlockingEmailBackend",
            "EMAIL_FILE_PATH": str(self.mail),
            "SAMEN_TEST_BLOCK_DIR": str(self.control),
        }
        self.workers: list[subprocess.Popen] = []

    def helper(self, *args: str) -> object:
        done = subprocess.run(  # noqa: S603 - our own helper, our own arguments
            [sys.executable, "-m", "samen.operations.tests.crash_scenario", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.fail(f"crash_scenario {' '.join(args)} failed:\n{done.stderr[-4000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start_worker(self) -> subprocess.Popen:
        log = open(self.folder / f"worker-{len(self.workers)}.log", "w")  # noqa: SIM115 - closed with the process
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.2"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches the scheduler it forks, too
        )
        self.workers.append(worker)
        return worker

    def stop_all(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
                    worker.wait()

    def wait_for(self, what, seconds: float, message: str):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = what()
            if value:
                return value
            time.sleep(0.3)
        logs = "\n".join(path.read_text()[-3000:] for path in sorted(self.folder.glob("worker-*.log")))
        pytest.fail(f"{message} within {seconds} s. Worker logs:\n{logs}")

    def sent_to(self) -> list[str]:
        """Every recipient of every e-mail written, once per e-mail."""
        recipients = []
        for path in self.mail.glob("*.log"):
            recipients += [line[4:].strip() for line in path.read_text().splitlines() if line.startswith("To: ")]
        return sorted(recipients)


def crash_and_recover(env: dict, folder: Path) -> None:
    run = Run(env, folder)
    try:
        seeded = run.helper("seed", "5")
        emails = [item["email"] for item in seeded]
        ids = [item["task"] for item in seeded]
        blocked_email, blocked_id = emails[BLOCKED], ids[BLOCKED]
        run.env["SAMEN_TEST_BLOCK_ADDRESS"] = blocked_email
        (run.control / "block").touch()

        first = run.start_worker()
        sending = run.control / "sending"
        run.wait_for(sending.exists, 60, "The first worker did not start sending the third invitation")
        state = run.helper("state", *ids)["tasks"]
        assert state[blocked_id]["status"] == "RUNNING"

        # The crash: SIGKILL to the worker's process group, and to the process sending (RQ's work horse).
        os.killpg(first.pid, signal.SIGKILL)
        horse = int(sending.read_text())
        if horse != first.pid:
            os.kill(horse, signal.SIGKILL)
        first.wait(timeout=10)
        (run.control / "block").unlink()

        run.start_worker()

        def settled():
            state = run.helper("state", *ids)
            statuses = [task["status"] for task in state["tasks"].values()]
            return state if all(status in {"SUCCESSFUL", "FAILED"} for status in statuses) else None

        state = run.wait_for(settled, 90, "The tasks did not all finish")
        # Nothing stays RUNNING; the four others were sent exactly once; the one that died while sending was not
        # sent a second time: it failed as "may not have arrived" and is on the administrator's page.
        others = [task_id for task_id in ids if task_id != blocked_id]
        assert [state["tasks"][task_id]["status"] for task_id in others] == ["SUCCESSFUL"] * 4
        assert state["tasks"][blocked_id]["status"] == "FAILED"
        assert state["tasks"][blocked_id]["error"].endswith("DeliveryUncertain")
        assert state["failed"] == [blocked_id]
        assert run.sent_to() == sorted(email for email in emails if email != blocked_email)

        # The administrator starts it again: the claim is released and the e-mail goes out, once.
        retried = run.helper("retry", blocked_id)
        assert retried["released_sends"] == 1 and len(retried["queued"]) == 1
        new_id = retried["queued"][0]

        def sent():
            state = run.helper("state", new_id)
            return state if state["tasks"][new_id]["status"] in {"SUCCESSFUL", "FAILED"} else None

        state = run.wait_for(sent, 60, "The retried task did not finish")
        assert state["tasks"][new_id]["status"] == "SUCCESSFUL"
        assert state["failed"] == []
        assert run.sent_to() == sorted(emails)  # every invitation exactly once
    finally:
        run.stop_all()


def test_a_database_worker_killed_while_sending(scenario, tmp_path):
    env, _var_dir = scenario
    crash_and_recover(env, tmp_path)


def test_an_rq_worker_killed_while_sending(scenario, tmp_path, redis_db):
    env, _var_dir = scenario
    crash_and_recover({**env, "SAMEN_TASK_BACKEND": "rq", "REDIS_URL": REDIS_URL}, tmp_path)
