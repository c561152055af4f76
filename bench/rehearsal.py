"""``make rehearsal``: Samen on more than one machine, rehearsed on this one.

Two app nodes (production-mode gunicorn, sync, on two ports) and two background workers (RQ, through
django-tasks-rq) share one PostgreSQL database and one Redis. Clients log in on node A and half of them then work
on node B with that session (a session made on one node is valid on the other). Every client adds notes and edits
its own goal; the residents also allow and withdraw consent and invite someone (an invitation e-mail: a
background task). Halfway, one worker and node B are killed with SIGKILL. Afterwards the run waits for the
remaining worker to finish what was queued (the dead worker's task included: it is picked up again after
``SAMEN_TASK_STUCK_AFTER`` seconds), then prints:

- requests, and the errors seen by clients of node A, which stayed up (must be 0);
- what the clients of node B saw when it went down (connection errors; the write in flight has an unknown outcome
  and is checked as "either", everything confirmed before must be there);
- writes lost (must be 0), as ``bench/loadtest_data.py check`` finds them;
- tasks lost (must be 0): a confirmed invitation whose e-mail was never sent; and e-mails sent twice;
- the access log's chain check.

    python bench/rehearsal.py [--seconds 40] [--clients 8]

Needs PostgreSQL (``--pg-url``, default ``postgres://postgres@127.0.0.1:5432``; the run creates and drops its own
database) and Redis (``--redis-url``, default ``redis://127.0.0.1:6379/10``; the run empties that one database).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadtest import Client, _check, _psql, start_server
from bench.processes import free_port
from bench.server import REPO, BenchError, manage, run_module, server_environment, wait_until_serving
from bench.web import log_in, submit_login

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"
DEFAULT_REDIS = "redis://127.0.0.1:6379/10"
INVITEE_DOMAIN = "@invitee.samen.test"
# Failed logins per address before it waits (the rehearsal sets it low and spreads the failures over both nodes: the
# count lives in Redis, the cache every node shares, so the limit holds for the two nodes together).
THROTTLE_LIMIT = 10
# The throttle counts in fixed windows of this many seconds (``SAMEN_THROTTLE_WINDOW`` in config/settings.py): failed
# logins that straddle the start of a window are counted in two windows, so the rehearsal starts them in a fresh one.
THROTTLE_WINDOW = 15 * 60


class RehearsalClient(Client):
    """A loadtest client that also invites someone, and that stops (its node is gone) on a connection error."""

    def __init__(self, port: int, spec: dict, cookie: str) -> None:
        super().__init__(port, spec, cookie)
        self.invitations: list[str] = []
        self.node_down_at: float | None = None
        self.uncertain: dict = {"notes": [], "goal": False, "consent": False, "invitations": []}

    def invite(self, number: int) -> None:
        email = f"rehearsal-c{self.spec['index']}-n{number}{INVITEE_DOMAIN}"
        status, body = self.post(
            f"/huishoudens/{self.household}/wie-helpt-mee/uitnodigen/",
            {"name": f"Genodigde {self.spec['index']}-{number}", "email": email, "description": ""},
        )
        if status == 302:
            self.invitations.append(email)
        else:
            self._error("invitation", status, body)

    def result(self) -> dict:
        return {
            **super().result(),
            "invitations": self.invitations,
            "node_down_at": self.node_down_at,
            "uncertain": self.uncertain,
        }


def rehearsal_client(port: int, spec: dict, cookie: str, start_at: float, stop_at: float, results) -> None:
    client = RehearsalClient(port, spec, cookie)
    operation = ""
    number = 0
    try:
        status, body = client.get(f"/huishoudens/{spec['household']}/")
        if status != 200 or not client.token:
            client._error("overview with the other node's session", status, body)
            results.put(client.result())
            return
        time.sleep(max(0.0, start_at - time.time()))
        while time.time() < stop_at:
            number += 1
            operation = "note"
            client.note(number)
            operation = "goal"
            client.edit_goal(number)
            if client.consent is not None:
                operation = "consent"
                client.toggle_consent()
                operation = "invitation"
                client.invite(number)
    except OSError:
        # The node went away: what was in flight may or may not have been written.
        client.node_down_at = time.time()
        if operation == "note":
            client.uncertain["notes"].append(f"Load test note c{spec['index']} n{number}")
        elif operation == "goal":
            client.uncertain["goal"] = True
        elif operation == "consent":
            client.uncertain["consent"] = True
        elif operation == "invitation":
            client.uncertain["invitations"].append(f"rehearsal-c{spec['index']}-n{number}{INVITEE_DOMAIN}")
    except Exception as error:  # noqa: BLE001 - a client that dies must still report what it saw
        client.errors += 1
        client.first_errors.append(f"client crashed: {error!r}")
    results.put(client.result())


def _redis_flush(url: str) -> None:
    import redis

    connection = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        raise BenchError(f"Redis does not answer at {url}: {error}") from error
    connection.flushdb()


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    with open(log_path, "ab") as log:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", *WORKER_COMMAND],
            cwd=REPO,
            env=env,
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


# Samen's worker command; with SAMEN_TASK_BACKEND=rq it runs RQ's worker with Samen's supervision.
WORKER_COMMAND = ("worker",)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the process and everything it started (gunicorn's workers, an RQ work horse)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def stop_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        kill_group(process)


def rehearse(*, seconds: float, clients: int, households: int, pg_url: str, redis_url: str, stuck_after: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="samen-rehearsal-") as folder:
        var_dir = Path(folder)
        db_name = f"samen_rehearsal_{os.getpid()}_{int(time.time())}"
        _redis_flush(redis_url)
        _psql(pg_url, f'CREATE DATABASE "{db_name}"')
        env = server_environment(var_dir)
        env.pop("SAMEN_BENCH_VIEWS", None)
        env.update(
            {
                "DATABASE_URL": f"{pg_url}/{db_name}",
                "REDIS_URL": redis_url,
                "SAMEN_TASK_BACKEND": "rq",
                "SAMEN_TASK_STUCK_AFTER": str(stuck_after),
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(var_dir / "mail"),
                "SAMEN_BASE_URL": "https://samen.example.nl",
                "SAMEN_LOGIN_ADDRESS_FAILURE_LIMIT": str(THROTTLE_LIMIT),
            }
        )
        try:
            return _rehearse(env, var_dir, seconds=seconds, clients=clients, households=households,
                             stuck_after=stuck_after)  # fmt: skip
        finally:
            _psql(pg_url, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
            _redis_flush(redis_url)


def _rehearse(env, var_dir: Path, *, seconds, clients, households, stuck_after) -> dict:
    print(f"== preparing PostgreSQL with a demo municipality of {households} households", flush=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "demo_municipality", "--households", str(households), "--seed", "2026", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    plan = run_module(env, "bench.loadtest_data", "plan", "--clients", str(clients))
    for spec in plan["clients"]:
        if spec["consent"]:
            spec["consent"]["column"] = plan["categories"].index(spec["consent"]["category"])
    ports = {"A": free_port(), "B": free_port()}
    nodes = {name: start_server(env, port, 2, var_dir / f"node-{name}.log") for name, port in ports.items()}
    workers = [start_worker(env, var_dir / f"worker-{number}.log") for number in (1, 2)]
    killed_at = None
    try:
        for name, node in nodes.items():
            wait_until_serving(node, ports[name], var_dir / f"node-{name}.log")
        # Every session is made on node A; the clients of node B use it there.
        emails = {spec["email"] for spec in plan["clients"]}
        cookies = {email: log_in(ports["A"], email, plan["password"]) for email in emails}
        throttled_at = _failed_logins_until_refused(ports)
        started = datetime.datetime.now(tz=datetime.UTC)
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        start_at = time.time() + 2
        stop_at = start_at + seconds
        node_of = {spec["index"]: "A" if spec["index"] % 2 == 0 else "B" for spec in plan["clients"]}
        print(f"== {clients} clients on two nodes for {seconds:.0f} s; halfway one worker and node B are killed",
              flush=True)  # fmt: skip
        processes = [
            context.Process(
                target=rehearsal_client,
                args=(ports[node_of[spec["index"]]], spec, cookies[spec["email"]], start_at, stop_at, results),
            )
            for spec in plan["clients"]
        ]
        for process in processes:
            process.start()
        time.sleep(max(0.0, start_at + seconds / 2 - time.time()))
        kill_group(workers[0])
        kill_group(nodes["B"])
        killed_at = time.time()
        print(f"== killed worker 1 and node B (SIGKILL) at {killed_at - start_at:.1f} s", flush=True)
        finished = [results.get(timeout=seconds + 180) for _ in processes]
        for process in processes:
            process.join(timeout=10)
        invitations = [email for client in finished for email in client["invitations"]]
        state, waited = _wait_for_mail(env, invitations, timeout=stuck_after + 90)
    finally:
        for process in (*nodes.values(), *workers):
            stop_group(process)
    confirmed = {"clients": [_for_check(client) for client in finished], "started": started.isoformat()}
    check = _check(env, confirmed)
    mail = _mail_counts(var_dir / "mail")
    unsent = [email for email in invitations if mail.get(email, 0) == 0]
    # Lost: neither sent nor failed where the administrator sees it (and can start it again).
    tasks_lost = unsent[state["failed_visibly"] :] if len(unsent) > state["failed_visibly"] else []
    sent_twice = [email for email, count in mail.items() if count > 1 and email.endswith(INVITEE_DOMAIN)]
    on_a = [client for client in finished if node_of[client["index"]] == "A"]
    on_b = [client for client in finished if node_of[client["index"]] == "B"]
    logs = "".join((var_dir / f"node-{name}.log").read_text(errors="replace") for name in ports)
    return {
        "seconds": seconds,
        "clients": clients,
        "requests": sum(client["requests"] for client in finished),
        "requests_on_b": sum(client["requests"] for client in on_b),
        "errors_on_a": sum(client["errors"] for client in on_a),
        "first_errors": [error for client in on_a for error in client["first_errors"]][:6],
        "errors_on_b_before_the_kill": sum(client["errors"] for client in on_b),
        "b_clients_cut_off": sum(1 for client in on_b if client["node_down_at"]),
        "killed_after": (killed_at - start_at) if killed_at else None,
        "throttled_at": throttled_at,
        "notes_saved": sum(len(client["notes_saved"]) for client in finished),
        "goal_edits": sum(client["goal"]["version"] - 1 for client in finished),
        "consent_changes": sum(
            client["consent"]["grants"] + client["consent"]["revokes"] for client in finished if client["consent"]
        ),
        "invitations": len(invitations),
        "mail_sent": sum(count for email, count in mail.items() if email.endswith(INVITEE_DOMAIN)),
        "drained_in": waited if state["unsent"] == state["failed_visibly"] and not state["stuck"] else None,
        "failed_visibly": state["failed_visibly"],
        "lost": check["lost"] + check["phantom"],
        "tasks_lost": tasks_lost,
        "sent_twice": sent_twice,
        "chain_ok": check["chain_ok"],
        "chain_entries": check["chain_entries"],
        "chain_problems": check["chain_problems"],
        "server_errors_logged": logs.count("Traceback"),
    }


def _failed_logins_until_refused(ports: dict[str, int]) -> int | None:
    """Failed logins with made-up e-mail addresses, alternately on node A and node B, until one answers 429; the
    number of that attempt (None if none did within three times the limit)."""
    left = THROTTLE_WINDOW - time.time() % THROTTLE_WINDOW
    if left < 60:
        time.sleep(left + 1)  # a window ends within the minute: wait for the next one
    for attempt in range(1, 3 * THROTTLE_LIMIT + 1):
        port = ports["A" if attempt % 2 else "B"]
        status, _headers, _body, _cookies = submit_login(port, f"nobody-{attempt}@example.nl", "wrong")
        if status == 429:
            return attempt
    return None


def _for_check(client: dict) -> dict:
    """What ``loadtest_data check`` compares, with the write in flight when node B died taken as "either way"."""
    uncertain = client["uncertain"]
    goal = dict(client["goal"])
    if uncertain["goal"]:
        goal["maybe_one_more"] = True
    consent = dict(client["consent"]) if client["consent"] else None
    if consent and uncertain["consent"]:
        consent["maybe_one_more"] = True
    return {**client, "goal": goal, "consent": consent, "notes_failed": client["notes_failed"]}


def _wait_for_mail(env, invitations: list[str], *, timeout: float) -> tuple[dict, float]:
    """Wait until every confirmed invitation's e-mail was sent (``sent_at`` set) or its task failed visibly, at most
    ``timeout`` seconds; return the last state and the seconds waited."""
    started = time.monotonic()
    print(f"== waiting for the remaining worker to send {len(invitations)} invitation(s)", flush=True)
    while True:
        state = _invitations_state(env, invitations)
        # Done when every invitation was sent or failed where the administrator sees it; nothing left running.
        if state["unsent"] == state["failed_visibly"] and state["stuck"] == 0:
            return state, time.monotonic() - started
        if time.monotonic() - started > timeout:
            return state, time.monotonic() - started
        time.sleep(2)


def _invitations_state(env, invitations: list[str]) -> dict:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.loadtest_data", "invitations"],
        cwd=REPO, env=env, input=json.dumps(invitations), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise BenchError(f"reading the invitations failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def _mail_counts(folder: Path) -> dict[str, int]:
    """How many e-mails each address got (Django's file-based backend: one file per connection, messages in it)."""
    from email import message_from_string

    counts: dict[str, int] = {}
    if not folder.exists():
        return counts
    for path in folder.iterdir():
        separator = "-" * 79
        for part in path.read_text(errors="replace").split(separator):
            if not part.strip():
                continue
            message = message_from_string(part.strip())
            for address in (message.get("To") or "").split(","):
                address = address.strip()
                if address:
                    counts[address] = counts.get(address, 0) + 1
    return counts


def report(result: dict) -> str:
    lines = [
        f"== rehearsal: 2 app nodes, 2 workers, PostgreSQL + Redis; {result['clients']} clients, "
        f"{result['seconds']:.0f} s",
        f"  requests                       {result['requests']} ({result['requests_on_b']} on node B)",
        f"  errors on node A (stayed up)   {result['errors_on_a']}",
        f"  node B killed after            {result['killed_after']:.1f} s; "
        f"clients cut off {result['b_clients_cut_off']}",
        f"  errors on node B before that   {result['errors_on_b_before_the_kill']}",
        f"  failed logins over both nodes  refused (429) at attempt {result['throttled_at']} "
        f"(limit {THROTTLE_LIMIT} per address: counted in the shared cache)",
        f"  writes confirmed               notes {result['notes_saved']}, goal edits {result['goal_edits']}, "
        f"consent changes {result['consent_changes']}, invitations {result['invitations']}",
        f"  writes lost                    {len(result['lost'])}",
        f"  invitation e-mails             {result['mail_sent']} sent; "
        + (f"all done {result['drained_in']:.0f} s after the load" if result["drained_in"] is not None else "NOT ALL"),
        f"  failed visibly (retry button)  {result['failed_visibly']}  (a worker killed while sending: not resent)",
        f"  tasks lost                     {len(result['tasks_lost'])}",
        f"  e-mails sent twice             {len(result['sent_twice'])}",
        f"  access log                     {'verified' if result['chain_ok'] else 'BROKEN'} "
        f"({result['chain_entries']} entries)",
        f"  500s in the nodes' logs        {result['server_errors_logged']}",
    ]
    lines += [f"    error: {error}" for error in result["first_errors"]]
    lines += [f"    lost: {item}" for item in result["lost"][:10]]
    lines += [f"    task lost: {item}" for item in result["tasks_lost"][:10]]
    lines += [f"    sent twice: {item}" for item in result["sent_twice"][:10]]
    lines += [f"    chain: {item}" for item in result["chain_problems"]]
    return "\n".join(lines)


def passed(result: dict) -> bool:
    return (
        result["throttled_at"] is not None
        and result["throttled_at"] <= THROTTLE_LIMIT + 1
        and result["errors_on_a"] == 0
        and not result["lost"]
        and not result["tasks_lost"]
        and not result["sent_twice"]
        and result["chain_ok"]
        and result["server_errors_logged"] == 0
        and result["invitations"] > 0
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--households", type=int, default=12)
    parser.add_argument("--pg-url", default=os.environ.get("SAMEN_REHEARSAL_PG", DEFAULT_PG))
    parser.add_argument("--redis-url", default=os.environ.get("SAMEN_REHEARSAL_REDIS", DEFAULT_REDIS))
    parser.add_argument("--stuck-after", type=int, default=10, help="seconds before a dead worker's task is rerun")
    args = parser.parse_args(argv)
    result = rehearse(
        seconds=args.seconds, clients=args.clients, households=args.households, pg_url=args.pg_url,
        redis_url=args.redis_url, stuck_after=args.stuck_after,
    )  # fmt: skip
    print(report(result), flush=True)
    ok = passed(result)
    print("== rehearsal " + ("passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
