"""Tasks for the tests of the workers (module level, as django-tasks requires)."""

from __future__ import annotations

import smtplib

from django_tasks import task

from samen.operations.tests import probes


@task()
def hanging_mail_server() -> None:
    raise TimeoutError("timed out")


@task()
def refused_for_good() -> None:
    raise smtplib.SMTPRecipientsRefused({"someone@example.test": (550, b"No such user")})


@task()
def buggy() -> None:
    raise ValueError("a bug with personal data: someone@example.test")


@task()
def succeeds(value: int) -> int:
    probes.CALLS.append(value)
    return value
