"""The load: separate client processes, each with one ``http.client`` connection (kept alive where the server
allows; gunicorn's sync workers close it after each response), requesting one target until the time is up.
Every response must give its target's status (200, or 204 for "nothing new") and carry its page's markers. The
server's CPU time is read before and after each window (``bench/server.py``)."""

from __future__ import annotations

import http.client
import multiprocessing
import queue
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.processes import HOST
from bench.server import BenchError, ServerCPU


@dataclass
class Target:
    name: str
    path: str
    markers: list[bytes]
    cookie: str = ""
    size: int = 0
    who: str = "anonymous"
    queries: int | None = None  # SQL statements per request, counted once outside the timed windows
    status: int = 200  # the answer it must give (the polling endpoint's "nothing new" is 204, without a body)
    headers: dict[str, str] = field(default_factory=dict)  # sent with every request (HX-Request for htmx calls)


@dataclass
class Sample:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    cpu_ms: float = 0.0  # the server's CPU time (master and workers) during the windows
    latencies: list[float] = field(default_factory=list)
    first_error: str = ""

    def add(self, other: Sample) -> None:
        self.requests += other.requests
        self.errors += other.errors
        self.seconds += other.seconds
        self.cpu_ms += other.cpu_ms
        self.latencies.extend(other.latencies)
        self.first_error = self.first_error or other.first_error

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_per_request(self) -> float:
        return self.cpu_ms / self.requests if self.requests else 0.0


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank; 0.0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def client(port: int, target: Target, start_at: float, seconds: float, results) -> None:
    """One load client (its own process): one connection, requests until the time is up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    headers = {**target.headers, **({"Cookie": target.cookie} if target.cookie else {})}
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
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
            ok = response.status == target.status and all(marker in body for marker in target.markers)
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


def run_load(port: int, target: Target, seconds: float, clients: int, cpu: ServerCPU | None = None) -> Sample:
    """``clients`` processes request ``target`` for ``seconds``; with ``cpu``, the server's CPU time is read
    just before they start and after the last one finished (every request they sent was served by then)."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.monotonic() + 0.3
    processes = [
        context.Process(target=client, args=(port, target, start_at, seconds, results)) for _ in range(clients)
    ]
    for process in processes:
        process.start()
    before = cpu.snapshot() if cpu is not None else {}
    try:
        samples = [results.get(timeout=seconds + 90) for _ in processes]
    except queue.Empty as exc:
        raise BenchError(f"a load client of {target.name} stopped without a result") from exc
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
    total = Sample(seconds=max(sample.seconds for sample in samples))
    if cpu is not None:
        total.cpu_ms = cpu.used_ms(before)
    for sample in samples:
        total.requests += sample.requests
        total.errors += sample.errors
        total.latencies.extend(sample.latencies)
        total.first_error = total.first_error or sample.first_error
    return total


def measure_rounds(
    port: int, targets: Sequence[Target], *, seconds: float, rounds: int, clients: int, cpu: ServerCPU, label: str = ""
) -> dict[str, Sample]:
    """Measure ``seconds`` per target split over ``rounds`` rounds, the order reversed every other round, so drift
    on the machine hits all targets alike (warm the targets up first)."""
    per_round = seconds / rounds
    print(
        f"Measuring {seconds:g} s per target with {clients} clients ({rounds} rounds of {per_round:.3g} s, "
        "alternating order) ...",
        flush=True,
    )
    totals = {target.name: Sample() for target in targets}
    for number in range(rounds):
        order = list(targets) if number % 2 == 0 else list(reversed(targets))
        started = time.monotonic()
        for target in order:
            totals[target.name].add(run_load(port, target, per_round, clients, cpu))
        print(f"  {label}round {number + 1}/{rounds} done ({time.monotonic() - started:.0f} s)", flush=True)
    return totals
