"""E-mail has a time-out, and passing failures are retried with a growing delay, a bounded number of times.

The mail servers here are real sockets on 127.0.0.1: one that accepts a connection and never answers (the hanging
mail server of issue 10), and a port where nothing listens (connection refused).
"""

from __future__ import annotations

import logging
import smtplib
import socket
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from samen.households import tasks as household_tasks
from samen.households.models import Invitation
from samen.households.tests.factories import InvitationFactory
from samen.operations.dbworker import SupervisedWorker
from samen.operations.models import PendingSend
from samen.operations.retrying import WorkerLost, is_passing, retry_delay
from samen.operations.tests import tasks as test_tasks

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def hanging_mail_server():
    """A TCP server on 127.0.0.1 that accepts connections and never says a word. Yields its port."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(conn)  # keep it open, say nothing

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    for conn in accepted:
        conn.close()
    server.close()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connecting is refused)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def worker() -> SupervisedWorker:
    return SupervisedWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def claim_and_run(task_result_id) -> DBTaskResult:
    """Take the task as the worker does (claim) and run it."""
    row = DBTaskResult.objects.get(pk=task_result_id)
    row.claim("test-worker")
    worker().run_task(row)
    return DBTaskResult.objects.get(pk=task_result_id)


def test_a_hanging_mail_server_times_out_after_email_timeout(settings, hanging_mail_server):
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", hanging_mail_server, 1
    started = time.monotonic()
    with pytest.raises((TimeoutError, smtplib.SMTPServerDisconnected)) as caught:
        mail.EmailMessage("Onderwerp", "Tekst", to=["iemand@example.test"]).send()
    assert time.monotonic() - started < 5  # not forever: one time-out (connecting succeeded, the greeting never came)
    assert is_passing(caught.value)


@pytest.mark.django_db
def test_an_invitation_to_a_hanging_mail_server_is_retried_later_and_its_claim_released(
    settings, hanging_mail_server, caplog
):
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", hanging_mail_server, 1
    settings.SAMEN_TASK_RETRY_DELAY, settings.SAMEN_TASK_MAX_ATTEMPTS = 30, 3
    invitation = InvitationFactory()
    result = household_tasks.send_invitation.enqueue(invitation.pk)

    before = timezone.now()
    with caplog.at_level(logging.WARNING, logger="samen.operations"):
        row = claim_and_run(result.id)

    assert row.status == "READY"  # tried again later, not failed, not stuck RUNNING
    assert before + timedelta(seconds=29) <= row.run_after <= timezone.now() + timedelta(seconds=31)
    assert row.exception_class_path.rsplit(".", 1)[-1] in {"TimeoutError", "SMTPServerDisconnected"}
    invitation.refresh_from_db()
    assert invitation.sent_at is None  # the claim was released: the next attempt sends
    assert not PendingSend.objects.exists()
    assert str(result.id) in caplog.text and "trying again in 30 s" in caplog.text
    assert invitation.email not in caplog.text


@pytest.mark.django_db
def test_connection_refused_is_retried_with_a_doubling_delay_then_fails_and_is_logged(settings, closed_port, caplog):
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 1
    settings.SAMEN_TASK_RETRY_DELAY, settings.SAMEN_TASK_MAX_ATTEMPTS = 10, 3
    invitation = InvitationFactory()
    result = household_tasks.send_invitation.enqueue(invitation.pk)

    delays = []
    with caplog.at_level(logging.WARNING, logger="samen.operations"):
        for _attempt in range(3):
            before = timezone.now()
            row = claim_and_run(result.id)
            if row.status == "READY":
                delays.append(round((row.run_after - before).total_seconds()))
    assert delays == [10, 20]  # after attempt 1 and 2; attempt 3 is the last
    assert row.status == "FAILED" and row.exception_class_path == "builtins.ConnectionRefusedError"
    assert len(row.worker_ids) == 3
    failure = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(failure) == 1 and str(result.id) in failure[0].getMessage()
    assert invitation.email not in caplog.text and "token" not in caplog.text.lower()


@pytest.mark.django_db
def test_a_permanent_refusal_or_a_bug_fails_at_once_without_its_text_in_the_log(caplog):
    with caplog.at_level(logging.WARNING, logger="samen.operations"):
        refused = claim_and_run(test_tasks.refused_for_good.enqueue().id)
        bug = claim_and_run(test_tasks.buggy.enqueue().id)
    assert (refused.status, bug.status) == ("FAILED", "FAILED")
    assert len(refused.worker_ids) == len(bug.worker_ids) == 1
    assert "SMTPRecipientsRefused 550" in caplog.text and "ValueError" in caplog.text
    assert "someone@example.test" not in caplog.text


@pytest.mark.django_db
def test_a_successful_task_is_marked_successful():
    row = claim_and_run(test_tasks.succeeds.enqueue(7).id)
    assert row.status == "SUCCESSFUL" and row.return_value == 7


@pytest.mark.parametrize(
    ("error", "passing"),
    [
        (TimeoutError(), True),
        (ConnectionRefusedError(), True),
        (smtplib.SMTPServerDisconnected(), True),
        (smtplib.SMTPResponseException(421, b"Try again later"), True),
        (smtplib.SMTPDataError(451, b"Temporary failure"), True),
        (smtplib.SMTPRecipientsRefused({"a@example.test": (450, b"Mailbox busy")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.test": (550, b"No such user")}), False),
        (smtplib.SMTPAuthenticationError(535, b"Bad credentials"), False),
        (WorkerLost(), True),
        (ValueError("bug"), False),
        (KeyError("bug"), False),
    ],
)
def test_which_failures_are_passing(error, passing):
    assert is_passing(error) is passing


def test_the_delay_doubles_and_is_bounded(settings):
    settings.SAMEN_TASK_RETRY_DELAY = 30
    assert [retry_delay(attempt) for attempt in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(20) == 3600


@pytest.mark.django_db
def test_invitation_with_a_lost_link_releases_its_claim(settings, mailoutbox):
    invitation = InvitationFactory()
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert household_tasks.send_invitation.call(invitation.pk) is False
    assert mailoutbox == []
    assert Invitation.objects.get(pk=invitation.pk).sent_at is None
