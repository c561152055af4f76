"""``make loadtest``: concurrent writes against a production-mode server, on SQLite and on PostgreSQL.

Per database: a fresh database with a small demo municipality, gunicorn (sync, ``--workers`` processes), and
``--clients`` client processes writing for ``--seconds``: half of them in one household, half across others
(``bench/loadtest_data.py`` hands each client its own goal, its own (organisation, category) consent pair when it
is a resident, and its note texts). Each client repeats: add a note, edit its goal, and as a resident allow or
withdraw its consent pair - the mix that deadlocked on PostgreSQL (the consent and plan services lock the
household first; a note's foreign keys are checked at commit, after the access log locked its stream).

Printed per database: requests, errors (any answer that is not the expected redirect: a 500, a conflict, a
timeout), writes lost (confirmed to the client but not in the database, or refused but there) and the access
log's chain check. The exit code is 1 when any error, lost write or chain problem was seen.

    python bench/loadtest.py [--seconds 60] [--clients 16] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.processes import HOST, free_port
from bench.server import (
    REPO,
    BenchError,
    manage,
    run_module,
    server_environment,
    stop_gunicorn,
    wait_until_serving,
)
from bench.web import fetch, log_in

PG_URL = os.environ.get("SAMEN_LOADTEST_PG", "postgres://postgres@127.0.0.1:5432")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def start_server(env: dict[str, str], port: int, workers: int, log_path: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--workers", str(workers), "--worker-class", "sync", "--bind", f"{HOST}:{port}",
        "--timeout", "60", "--error-logfile", str(log_path), "--log-level", "warning",
    ]  # fmt: skip
    # The server's own output (Django logs a 500's traceback to stderr) goes to the log too: it is counted.
    with open(log_path, "ab") as log:
        return subprocess.Popen(  # noqa: S603
            command, cwd=REPO, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT
        )


# --- one client -----------------------------------------------------------------------------------------------


class Client:
    """One person's browser: a session cookie, the CSRF token, and what the server confirmed."""

    def __init__(self, port: int, spec: dict, cookie: str) -> None:
        self.port, self.spec, self.cookie = port, spec, cookie
        self.token = ""
        self.requests = self.errors = 0
        self.first_errors: list[str] = []
        self.notes_saved: list[str] = []
        self.notes_failed: list[str] = []
        self.goal = {**spec["goal"], "text": None}
        self.consent = {**spec["consent"], "grants": 0, "revokes": 0, "last": ""} if spec["consent"] else None
        self.household = spec["household"]

    def _error(self, what: str, status: int, body: bytes) -> None:
        self.errors += 1
        if len(self.first_errors) < 3:
            page = body.decode(errors="replace")
            title = re.search(r"<title>(.*?)</title>", page, re.S)
            self.first_errors.append(f"{what}: {status} {title.group(1).strip() if title else page[:200]!r}")

    def get(self, path: str) -> tuple[int, bytes]:
        self.requests += 1
        status, _headers, body = fetch(self.port, "GET", path, headers={"Cookie": self.cookie})
        if status == 200 and not self.token:
            found = TOKEN.search(body.decode(errors="replace"))
            self.token = found.group(1) if found else ""
        return status, body

    def post(self, path: str, form: dict) -> tuple[int, bytes]:
        self.requests += 1
        body = urlencode({"csrfmiddlewaretoken": self.token, **form})
        headers = {"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded", "Referer": ""}
        status, _headers, response = fetch(self.port, "POST", path, headers=headers, body=body)
        return status, response

    def note(self, number: int) -> None:
        text = f"Load test note c{self.spec['index']} n{number}"
        status, body = self.post(
            f"/huishoudens/{self.household}/notitie/", {"category": self.spec["note_category"], "text": text}
        )
        if status == 302:
            self.notes_saved.append(text)
        else:
            self.notes_failed.append(text)
            self._error("note", status, body)

    def edit_goal(self, number: int) -> None:
        goal = self.goal
        text = f"Load test goal of client {self.spec['index']}, edit {number}"
        form = {
            "text": text, "domain": goal["domain"], "status": goal["status"], "member": "",
            "category": goal["category"], "version": goal["version"],
        }  # fmt: skip
        status, body = self.post(f"/huishoudens/{self.household}/plan/doelen/{goal['id']}/", form)
        if status == 302:
            goal["version"] += 1
            goal["text"] = text
        else:
            self._error("goal edit", status, body)

    def toggle_consent(self) -> None:
        consent = self.consent
        matrix = f"/huishoudens/{self.household}/wie-mag-wat-zien/"
        status, body = self.get(matrix)
        if status != 200:
            self._error("consent page", status, body)
            return
        fields = self._cell_fields(body.decode(errors="replace"))
        if fields is None:
            self._error("consent page (no form for the pair)", status, body[:200])
            return
        if "grant" in fields:
            status, body = self.post(f"{matrix}intrekken/", {"grant": fields["grant"]})
            kind = "revoke"
        else:
            if fields.get("category") != consent["category"]:
                self._error("consent page (the cell is another category)", status, b"")
                return
            status, body = self.post(
                f"{matrix}toestaan/", {"category": consent["category"], "organisation": consent["organisation"]}
            )
            kind = "grant"
        if status == 302:
            consent["grants" if kind == "grant" else "revokes"] += 1
            consent["last"] = kind
        else:
            self._error(f"consent {kind}", status, body)

    def _cell_fields(self, page: str) -> dict | None:
        """The hidden fields of the form in this client's cell of the consent matrix: the row of its organisation,
        the column of its category (the columns follow the order of ``DataCategory``)."""
        row = re.search(rf'id="organisation-{self.consent["organisation"]}".*?</tr>', page, re.S)
        if row is None:
            return None
        cells = row.group(0).split("<td")[1:]
        index = self.consent["column"]
        if index >= len(cells):
            return None
        found = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', cells[index]))
        found.pop("csrfmiddlewaretoken", None)
        return found or None

    def result(self) -> dict:
        return {
            "index": self.spec["index"],
            "household": self.household,
            "requests": self.requests,
            "errors": self.errors,
            "first_errors": self.first_errors,
            "notes_saved": self.notes_saved,
            "notes_failed": self.notes_failed,
            "goal": self.goal,
            "consent": self.consent,
        }


def client_process(port: int, spec: dict, cookie: str, start_at: float, stop_at: float, results) -> None:
    client = Client(port, spec, cookie)
    try:
        status, body = client.get(f"/huishoudens/{spec['household']}/")
        if status != 200 or not client.token:
            client._error("overview (for the CSRF token)", status, body)
            results.put(client.result())
            return
        time.sleep(max(0.0, start_at - time.time()))
        number = 0
        while time.time() < stop_at:
            number += 1
            client.note(number)
            if time.time() >= stop_at:
                break
            client.edit_goal(number)
            if client.consent is not None and time.time() < stop_at:
                client.toggle_consent()
    except Exception as error:  # noqa: BLE001 - a client that dies must still report what it saw
        client.errors += 1
        client.first_errors.append(f"client crashed: {error!r}")
    results.put(client.result())


# --- one database ---------------------------------------------------------------------------------------------


def run_against(
    database: str, *, seconds: float, clients: int, workers: int, households: int, pg_url: str = PG_URL
) -> dict:
    """The load test against a fresh database of kind ``database`` ("sqlite" or "postgresql": a database of its own
    on the server at ``pg_url``, dropped afterwards)."""
    with tempfile.TemporaryDirectory(prefix=f"samen-loadtest-{database}-") as folder:
        var_dir = Path(folder)
        env = server_environment(var_dir)
        env.pop("SAMEN_BENCH_VIEWS", None)
        db_name = ""
        if database == "postgresql":
            db_name = f"samen_loadtest_{os.getpid()}_{int(time.time())}"
            _psql(pg_url, f'DROP DATABASE IF EXISTS "{db_name}"')
            _psql(pg_url, f'CREATE DATABASE "{db_name}"')
            env["DATABASE_URL"] = f"{pg_url}/{db_name}"
        try:
            return _run(env, var_dir, database, seconds=seconds, clients=clients, workers=workers,
                        households=households)  # fmt: skip
        finally:
            if db_name:
                _psql(pg_url, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def _psql(pg_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def _run(env, var_dir: Path, database: str, *, seconds, clients, workers, households) -> dict:
    print(f"== {database}: preparing a demo municipality of {households} households", flush=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "demo_municipality", "--households", str(households), "--seed", "2026", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    plan = run_module(env, "bench.loadtest_data", "plan", "--clients", str(clients))
    categories = plan["categories"]
    for spec in plan["clients"]:
        if spec["consent"]:
            spec["consent"]["column"] = categories.index(spec["consent"]["category"])
    port = free_port()
    log_path = var_dir / "gunicorn.log"
    server = start_server(env, port, workers, log_path)
    try:
        wait_until_serving(server, port, log_path)
        cookies = {email: log_in(port, email, plan["password"]) for email in {s["email"] for s in plan["clients"]}}
        started = datetime.datetime.now(tz=datetime.UTC)
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        start_at = time.time() + 2
        stop_at = start_at + seconds
        print(f"== {database}: {clients} clients writing for {seconds:.0f} s ({workers} server workers)", flush=True)
        processes = [
            context.Process(
                target=client_process, args=(port, spec, cookies[spec["email"]], start_at, stop_at, results)
            )
            for spec in plan["clients"]
        ]
        for process in processes:
            process.start()
        finished = [results.get(timeout=seconds + 180) for _ in processes]
        for process in processes:
            process.join(timeout=10)
    finally:
        stop_gunicorn(server)
    server_log = log_path.read_text(errors="replace") if log_path.exists() else ""
    confirmed = {"clients": finished, "started": started.isoformat()}
    check = _check(env, confirmed)
    requests = sum(client["requests"] for client in finished)
    errors = sum(client["errors"] for client in finished)
    one = [client for client in finished if client["household"] == plan["clients"][0]["household"]]
    return {
        "database": database,
        "seconds": seconds,
        "clients": clients,
        "requests": requests,
        "errors": errors,
        "errors_in_one_household": sum(client["errors"] for client in one),
        "first_errors": [error for client in finished for error in client["first_errors"]][:6],
        "notes_saved": sum(len(client["notes_saved"]) for client in finished),
        "goal_edits": sum(client["goal"]["version"] - 1 for client in finished),
        "consent_changes": sum(
            client["consent"]["grants"] + client["consent"]["revokes"] for client in finished if client["consent"]
        ),
        "lost": check["lost"] + check["phantom"],
        "chain_ok": check["chain_ok"],
        "chain_entries": check["chain_entries"],
        "chain_problems": check["chain_problems"],
        "server_errors_logged": server_log.count("Traceback"),
        # Transactions the database gave up on (a deadlock) and that the service ran again (samen.core.transactions).
        "retries": server_log.count("the database gave up on the transaction"),
        "server_log_tail": server_log[server_log.find("Traceback") :][:2500] if "Traceback" in server_log else "",
    }


def _check(env: dict[str, str], confirmed: dict) -> dict:
    command = [sys.executable, "-m", "bench.loadtest_data", "check"]
    result = subprocess.run(  # noqa: S603
        command, cwd=REPO, env=env, input=json.dumps(confirmed), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BenchError(f"checking the writes failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def report(result: dict) -> str:
    lines = [
        f"== {result['database']}: {result['clients']} clients, {result['seconds']:.0f} s",
        f"  requests            {result['requests']}  ({result['requests'] / result['seconds']:.1f}/s)",
        f"  errors              {result['errors']}  (in the one household: {result['errors_in_one_household']})",
        f"  writes confirmed    notes {result['notes_saved']}, goal edits {result['goal_edits']}, "
        f"consent changes {result['consent_changes']}",
        f"  writes lost         {len(result['lost'])}",
        f"  access log          {'verified' if result['chain_ok'] else 'BROKEN'} ({result['chain_entries']} entries)",
        f"  500s in server log  {result['server_errors_logged']}",
        f"  retried (deadlock)  {result['retries']} transaction(s), run again by the service",
    ]
    lines += [f"    error: {error}" for error in result["first_errors"]]
    lines += [f"    lost: {item}" for item in result["lost"][:10]]
    lines += [f"    chain: {item}" for item in result["chain_problems"]]
    if result["server_log_tail"]:
        lines.append("  server log (tail):\n" + result["server_log_tail"])
    return "\n".join(lines)


def passed(result: dict) -> bool:
    return (
        result["errors"] == 0
        and not result["lost"]
        and result["chain_ok"]
        and result["server_errors_logged"] == 0
        and result["requests"] > 0
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--households", type=int, default=40)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    ok = True
    for database in args.databases.split(","):
        result = run_against(
            database.strip(), seconds=args.seconds, clients=args.clients, workers=args.workers,
            households=args.households,
        )  # fmt: skip
        print(report(result), flush=True)
        ok = ok and passed(result)
    print("== load test " + ("passed: 0 errors, 0 writes lost, access log verified" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
