"""The database worker finds the tasks of workers that died and runs them again, at most N attempts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from samen.operations.dbworker import SupervisedWorker, recover_abandoned
from samen.operations.models import WorkerHeartbeat
from samen.operations.tests import probes
from samen.operations.tests import tasks as test_tasks

pytestmark = pytest.mark.django_db


def running(*, worker_ids: list[str], started_ago: int) -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=test_tasks.succeeds.enqueue(1).id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        status="RUNNING", worker_ids=worker_ids, started_at=timezone.now() - timedelta(seconds=started_ago)
    )
    return row


def heartbeat(worker_id: str, seconds_ago: int) -> None:
    seen = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(worker_id=worker_id, hostname="h", pid=1, started_at=seen, seen_at=seen)


def status(row: DBTaskResult) -> str:
    return DBTaskResult.objects.get(pk=row.pk).status


def test_a_task_of_a_dead_worker_is_put_back_and_one_of_a_live_worker_is_left_alone(settings):
    settings.SAMEN_TASK_STUCK_AFTER, settings.SAMEN_TASK_MAX_ATTEMPTS = 60, 3
    heartbeat("alive", seconds_ago=5)
    heartbeat("dead", seconds_ago=120)
    of_dead = running(worker_ids=["dead"], started_ago=300)
    of_unknown = running(worker_ids=["never-reported"], started_ago=300)
    of_live = running(worker_ids=["alive"], started_ago=300)
    just_started = running(worker_ids=["dead"], started_ago=10)  # not yet past the stuck time

    assert recover_abandoned() == 2
    assert (status(of_dead), status(of_unknown)) == ("READY", "READY")
    assert (status(of_live), status(just_started)) == ("RUNNING", "RUNNING")
    recovered = DBTaskResult.objects.get(pk=of_dead.pk)
    assert recovered.run_after <= timezone.now()  # runs again at once
    assert recovered.exception_class_path.endswith("WorkerLost")
    assert recover_abandoned() == 0  # nothing twice


def test_after_the_last_attempt_an_abandoned_task_fails(settings):
    settings.SAMEN_TASK_STUCK_AFTER, settings.SAMEN_TASK_MAX_ATTEMPTS = 60, 3
    row = running(worker_ids=["a", "b", "c"], started_ago=300)
    assert recover_abandoned() == 1
    failed = DBTaskResult.objects.get(pk=row.pk)
    assert failed.status == "FAILED" and failed.finished_at is not None
    assert failed.exception_class_path == "samen.operations.retrying.WorkerLost"


def test_the_worker_reports_recovers_and_runs_the_recovered_task_then_leaves(settings, transactional_db):
    # A transactional test: the worker closes and reopens its connections, and its heartbeat thread has its own.
    settings.SAMEN_TASK_STUCK_AFTER = 60
    probes.CALLS.clear()
    row = running(worker_ids=["dead"], started_ago=300)
    worker = SupervisedWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="batch-worker",
        excluded_queue_names=[],
    )
    worker.run()
    done = DBTaskResult.objects.get(pk=row.pk)
    assert done.status == "SUCCESSFUL" and done.worker_ids == ["dead", "batch-worker"]
    assert probes.CALLS == [1]
    assert not WorkerHeartbeat.objects.filter(worker_id="batch-worker").exists()  # it said goodbye
