"""When a failed task is tried again, and how long it waits first: one policy for every task backend.

A *passing* failure is one that may well not happen on the next try: the mail server could not be reached,
did not answer in time (``EMAIL_TIMEOUT``), closed the connection, or answered with a 4xx code ("try again
later"); the database was busy. Those are tried again after ``SAMEN_TASK_RETRY_DELAY`` seconds, doubled each
attempt and at most an hour, until ``SAMEN_TASK_MAX_ATTEMPTS`` attempts were made. Anything else (a 5xx answer,
a bug) fails at once: trying again would give the same answer. A task that fails ends FAILED and shows on the
functional administrator's page (``operations:tasks``).

Log lines about tasks carry the task's id, name, attempt and the kind of error (its class and SMTP code), never
the exception's text: an SMTP error can quote addresses, and a task's arguments or message never go to a log.
"""

from __future__ import annotations

import smtplib
import socket
import ssl

from django.conf import settings
from django.db import OperationalError

MAX_DELAY = 60 * 60


class WorkerLost(Exception):  # noqa: N818 - the name says what happened, as the page shows it
    """The worker running this task stopped without finishing it (killed, crashed, machine gone)."""


def smtp_code(exc: BaseException) -> int | None:
    """The SMTP reply code of an error, if it carries one (for refused recipients: the highest of them)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values() if isinstance(code, int)]
        return max(codes) if codes else None
    code = getattr(exc, "smtp_code", None)
    return code if isinstance(code, int) else None


def is_passing(exc: BaseException) -> bool:
    """True for a failure that may not happen on the next try (see the module's docstring)."""
    if isinstance(exc, WorkerLost):
        return True
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    code = smtp_code(exc)
    if code is not None:
        return 400 <= code < 500
    if isinstance(exc, ssl.SSLError):
        return False  # a certificate or protocol that does not match stays so
    if isinstance(exc, TimeoutError | socket.timeout | ConnectionError | socket.gaierror):
        return True
    if isinstance(exc, OperationalError):
        return "locked" in str(exc).lower() or "deadlock" in str(exc).lower()
    return isinstance(exc, OSError) and exc.errno is not None  # network unreachable, host down, …


def retry_delay(attempt: int) -> int:
    """Seconds to wait after failed attempt number ``attempt`` (1 for the first): the delay doubles each time."""
    base = max(0, settings.SAMEN_TASK_RETRY_DELAY)
    return min(MAX_DELAY, base * 2 ** max(0, attempt - 1))


def attempts_left(attempts: int) -> bool:
    return attempts < max(1, settings.SAMEN_TASK_MAX_ATTEMPTS)


def error_name(exc: BaseException) -> str:
    """The kind of error for a log line: its class, and the SMTP code when there is one. Never its text."""
    code = smtp_code(exc)
    name = type(exc).__qualname__
    return f"{name} {code}" if code is not None else name
