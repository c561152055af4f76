"""The functional administrator's page of failed and stuck background tasks, and its retry button."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from samen.core.actor import ANONYMOUS
from samen.core.models import AuditEntry
from samen.core.testing import assert_max_queries, table_rows
from samen.households import tasks as household_tasks
from samen.households.models import Invitation
from samen.households.tests.factories import InvitationFactory
from samen.operations import services
from samen.operations.models import PendingSend, TaskRetry, WorkerHeartbeat
from samen.operations.tests import tasks as test_tasks
from samen.organisations.actors import actor_for_user

pytestmark = pytest.mark.django_db

PAGE = reverse("operations:tasks")


def failed(task, *args, attempts: int = 5, error: str = "builtins.TimeoutError") -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=task.enqueue(*args).id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        status="FAILED",
        worker_ids=[f"w{n}" for n in range(attempts)],
        started_at=timezone.now() - timedelta(minutes=10),
        finished_at=timezone.now() - timedelta(minutes=9),
        exception_class_path=error,
        traceback=f"{error}: secret text with someone@example.test\n",
    )
    return DBTaskResult.objects.get(pk=row.pk)


def retry_url(row) -> str:
    return reverse("operations:retry", args=[str(row.pk)])


def test_the_administrator_sees_failed_and_stuck_tasks_without_personal_data(login, people):
    invitation = InvitationFactory(email="geheim@example.test")
    failed(household_tasks.send_invitation, invitation.pk)
    failed(test_tasks.buggy, error="builtins.ValueError", attempts=1)
    stuck = DBTaskResult.objects.get(pk=test_tasks.succeeds.enqueue(3).id)
    DBTaskResult.objects.filter(pk=stuck.pk).update(
        status="RUNNING", worker_ids=["gone"], started_at=timezone.now() - timedelta(hours=1)
    )

    response = login(people["functional_admin"]).get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Invitation e-mail" in html and "The mail server did not answer in time." in html
    assert "An error in the task (ValueError)." in html
    assert html.count(">Start again") == 2
    rows, _footer = table_rows(html, "Stuck tasks")
    assert rows[1][:2] == ["succeeds", "Worker stopped"] and rows[1][3] == "1"
    assert "No worker is running" in html
    for secret in ("geheim@example.test", "someone@example.test", "secret text", invitation.name):
        assert secret not in html


def test_a_running_worker_is_shown(login, people):
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w", hostname="h", pid=1, started_at=now, seen_at=now)
    html = login(people["functional_admin"]).get(PAGE).content.decode()
    assert "1 worker is running" in html and "No failed tasks." in html and "No stuck tasks." in html


@pytest.mark.parametrize("role", ["professional", "coordinator", "policy_advisor", "facilitator", "citizen"])
def test_nobody_else_sees_the_page_or_can_retry(login, people, role):
    row = failed(test_tasks.buggy)
    client = login(people[role])
    assert client.get(PAGE).status_code == 404
    assert client.post(retry_url(row)).status_code == 404
    assert not TaskRetry.objects.exists()
    with pytest.raises((Http404, PermissionDenied)):
        services.task_retry(actor=actor_for_user(people[role]), task_id=str(row.pk))


def test_anonymous_visitors_are_sent_to_the_login_page():
    row = failed(test_tasks.buggy)
    for response in (Client().get(PAGE), Client().post(retry_url(row))):
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    with pytest.raises(PermissionDenied):
        services.task_retry(actor=ANONYMOUS, task_id=str(row.pk))


def test_retry_needs_post_and_the_csrf_token(people):
    row = failed(test_tasks.buggy)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["functional_admin"])
    assert client.get(retry_url(row)).status_code == 405
    assert client.post(retry_url(row)).status_code == 403
    assert not TaskRetry.objects.exists()


def test_retry_queues_the_task_again_once_audited_and_the_page_no_longer_lists_it(
    login, people, django_capture_on_commit_callbacks
):
    admin = people["functional_admin"]
    row = failed(test_tasks.succeeds, 42, attempts=5)
    client = login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url(row), follow=True)
    assert "The task was started again." in response.content.decode()

    again = DBTaskResult.objects.exclude(pk=row.pk).get(task_path=row.task_path)
    assert again.status == "READY" and again.args_kwargs == {"args": [42], "kwargs": {}} and again.worker_ids == []
    retry = TaskRetry.objects.get()
    assert (retry.task_id, retry.attempts, retry.retried_by) == (str(row.pk), 5, admin)
    entry = AuditEntry.objects.filter(object_type="operations.taskretry").get()
    assert entry.user_id == admin.pk and entry.purpose == "HOPERAT"
    assert ">Start again" not in client.get(PAGE).content.decode()
    assert DBTaskResult.objects.get(pk=row.pk).status == "FAILED"  # kept for support

    second = client.post(retry_url(row))  # pressed twice, or by two administrators
    assert second.status_code == 404
    assert DBTaskResult.objects.filter(task_path=row.task_path).count() == 2


def test_retrying_a_send_that_died_midway_releases_its_claim_so_it_is_sent(
    login, people, django_capture_on_commit_callbacks, settings, mailoutbox
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    invitation = InvitationFactory()
    row = failed(household_tasks.send_invitation, invitation.pk, error="samen.operations.sends.DeliveryUncertain")
    claimed_at = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=claimed_at)
    PendingSend.objects.create(
        kind="households.invitation", key=str(invitation.pk), task_id=str(row.pk), claimed_at=claimed_at
    )

    html = login(people["functional_admin"]).get(PAGE).content.decode()
    assert "the e-mail may not have arrived" in html
    with django_capture_on_commit_callbacks(execute=True):
        services.task_retry(actor=actor_for_user(people["functional_admin"]), task_id=str(row.pk))
    assert Invitation.objects.get(pk=invitation.pk).sent_at is None
    assert TaskRetry.objects.get().released_sends == 1
    again = DBTaskResult.objects.exclude(pk=row.pk).get()
    assert household_tasks.send_invitation.call(*again.args_kwargs["args"]) is True
    assert len(mailoutbox) == 1


def test_two_administrators_at_once_get_a_clear_answer(people):
    row = failed(test_tasks.buggy)
    actor = actor_for_user(people["functional_admin"])
    TaskRetry.objects.create(
        backend="database",
        task_id=str(row.pk),
        task_name="buggy",
        attempts=1,
        retried_by=people["functional_admin"],
        retried_at=timezone.now(),
    )  # the other one's retry, committed, without task_uuid: the page still lists it
    with pytest.raises(ValidationError):
        services.task_retry(actor=actor, task_id=str(row.pk))


def test_a_task_that_is_not_failed_or_unknown_answers_404(login, people):
    client = login(people["functional_admin"])
    ready = DBTaskResult.objects.get(pk=test_tasks.succeeds.enqueue(1).id)
    for task_id in (str(ready.pk), "not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        assert client.post(reverse("operations:retry", args=[task_id])).status_code == 404


def test_the_page_queries_do_not_grow_with_the_tasks(login, people):
    client = login(people["functional_admin"])
    failed(test_tasks.buggy)
    client.get(PAGE)
    with assert_max_queries(99) as few:
        client.get(PAGE)
    for n in range(15):
        failed(test_tasks.succeeds, n)
        stuck = DBTaskResult.objects.get(pk=test_tasks.succeeds.enqueue(n).id)
        DBTaskResult.objects.filter(pk=stuck.pk).update(
            status="RUNNING", worker_ids=["gone"], started_at=timezone.now() - timedelta(hours=1)
        )
    with assert_max_queries(len(few.captured_queries)):
        html = client.get(PAGE).content.decode()
    assert html.count(">Start again") == 16
