"""What the benchmark and ``make screenshots`` share: a free port, stopping a server with all its workers, and
turning SIGTERM/SIGINT into an exception so that their ``finally`` cleans up."""

from __future__ import annotations

import os
import signal
import socket
import subprocess

HOST = "127.0.0.1"


class Stop(BaseException):
    """SIGTERM/SIGINT: stop, clean up, exit."""


def stop_on_signals() -> None:
    """From now on SIGTERM and SIGINT raise ``Stop`` in the main thread."""

    def stop(signum, frame):
        raise Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def stop_process_group(process: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a server started in a session of its own (``start_new_session=True``): the master and its workers
    together, SIGTERM first and SIGKILL when they do not stop in time."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass
