"""The database worker, supervised: heartbeats, recovery of abandoned tasks, and retries with backoff.

django-tasks-db's worker marks a task RUNNING when it takes it and SUCCESSFUL or FAILED when the task returns
or raises. A worker that dies in between (SIGKILL, out of memory, the machine gone) leaves its task RUNNING
forever: nothing else looks at it. ``SupervisedWorker`` adds what is missing:

- **Heartbeat.** A thread of the worker writes ``WorkerHeartbeat.seen_at`` every few seconds, also while a long
  task runs. A killed worker stops writing.
- **Recovery.** The same thread (and every worker when it starts) looks for RUNNING tasks whose worker has not
  been heard of for ``SAMEN_TASK_STUCK_AFTER`` seconds: such a task is put back to READY to run again, or
  marked FAILED (``WorkerLost``) once it had ``SAMEN_TASK_MAX_ATTEMPTS`` attempts. Each attempt is one entry of
  the task's ``worker_ids``. The update is conditional (still RUNNING, same start), so two workers recovering
  at once change a task only once.
- **Retries.** A passing failure (``samen.operations.retrying.is_passing``) puts the task back to READY with
  ``run_after`` set by an exponential backoff, until the attempts are used up; any other failure, or the last
  attempt, ends FAILED and is logged with the task's id (never its arguments or the exception's text).
- A worker stopped in the middle of a task (a second Ctrl+C) puts that task back to READY.

A task may therefore run more than once; Samen's tasks are idempotent through their "sent once" marks
(``samen.operations.sends``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks.base import TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

from samen.operations import runtime
from samen.operations.models import WorkerHeartbeat
from samen.operations.retrying import WorkerLost, attempts_left, error_name, is_passing, retry_delay

logger = logging.getLogger("samen.operations")

WORKER_LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


def heartbeat_interval() -> float:
    """How often a worker reports: a few times within the stuck time, at most every 10 seconds."""
    return max(0.5, min(10.0, settings.SAMEN_TASK_STUCK_AFTER / 4))


def live_worker_ids(now=None) -> set[str]:
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.SAMEN_TASK_STUCK_AFTER)
    return set(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))


def abandoned(task: DBTaskResult, alive: set[str], cutoff) -> bool:
    """A RUNNING task whose (last) worker is not alive, started longer ago than the stuck time."""
    if task.started_at is None or task.started_at >= cutoff:
        return False
    return not task.worker_ids or task.worker_ids[-1] not in alive


def recover_abandoned(*, now=None) -> int:
    """Put the RUNNING tasks of dead workers back (or fail them after the last attempt). Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.SAMEN_TASK_STUCK_AFTER)
    alive = live_worker_ids(now)
    recovered = 0
    running = DBTaskResult.objects.running().filter(started_at__lt=cutoff).only("id", "started_at", "worker_ids")
    for task in running:
        if not abandoned(task, alive, cutoff):
            continue
        attempts = len(task.worker_ids)
        same_attempt = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        lost = f"{WorkerLost.__qualname__}: the worker stopped during attempt {attempts} of this task.\n"
        if attempts_left(attempts):
            changed = same_attempt.update(
                status=TaskResultStatus.READY, run_after=now, exception_class_path=WORKER_LOST, traceback=lost
            )
            if changed:
                logger.warning("Task %s: its worker stopped during attempt %d; it runs again.", task.pk, attempts)
        else:
            changed = same_attempt.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=WORKER_LOST,
                traceback=lost,
            )
            if changed:
                logger.error("Task %s failed: its worker stopped during attempt %d, the last one.", task.pk, attempts)
        recovered += changed
    # Workers not heard of for a day are gone for good.
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return recovered


class SupervisedWorker(Worker):
    """django-tasks-db's worker with a heartbeat, recovery of abandoned tasks and retries (module docstring)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._stopped = threading.Event()
        self._supervisor: threading.Thread | None = None

    # --- heartbeat and recovery ------------------------------------------------------------------------------

    def beat(self) -> None:
        now = timezone.now()
        updated = WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(seen_at=now)
        if not updated:
            WorkerHeartbeat.objects.create(
                worker_id=self.worker_id,
                hostname=socket.gethostname()[:255],
                pid=os.getpid(),
                started_at=now,
                seen_at=now,
            )

    def _supervise(self) -> None:
        interval = heartbeat_interval()
        try:
            while not self._stopped.wait(interval):
                try:
                    close_old_connections()
                    self.beat()
                    recover_abandoned()
                except Exception:  # a busy or briefly unreachable database: try again at the next beat
                    logger.warning("Worker %s: heartbeat failed; trying again.", self.worker_id, exc_info=True)
        finally:
            connection.close()

    def run(self) -> None:
        self.beat()
        recover_abandoned()
        self._supervisor = threading.Thread(target=self._supervise, name="samen-worker-heartbeat", daemon=True)
        self._supervisor.start()
        try:
            super().run()
        finally:
            self._stopped.set()
            self._supervisor.join(timeout=5)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    # --- running one task ------------------------------------------------------------------------------------

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.running_task = True
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=task_result)
            with runtime.running(str(db_task_result.pk)):
                if task.takes_context:
                    value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except (KeyboardInterrupt, SystemExit):
            # The worker was told to stop now: the task runs again later (its claims were released by the task).
            self.put_back(db_task_result, run_after=timezone.now(), error=None)
            raise
        except BaseException as exc:  # noqa: B036 - a task's failure of any kind is recorded, never lost
            self.failed(db_task_result, exc)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def put_back(self, db_task_result: DBTaskResult, *, run_after, error: BaseException | None) -> None:
        db_task_result.status = TaskResultStatus.READY
        db_task_result.run_after = run_after or get_date_max()
        fields = ["status", "run_after"]
        if error is not None:
            db_task_result.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
            db_task_result.traceback = f"{error_name(error)} (attempt {len(db_task_result.worker_ids)})\n"
            fields += ["exception_class_path", "traceback"]
        db_task_result.save(update_fields=fields)

    def failed(self, db_task_result: DBTaskResult, exc: BaseException) -> None:
        attempts = len(db_task_result.worker_ids)
        name = db_task_result.task_path.rsplit(".", 1)[-1]
        if is_passing(exc) and attempts_left(attempts):
            delay = retry_delay(attempts)
            self.put_back(db_task_result, run_after=timezone.now() + timedelta(seconds=delay), error=exc)
            logger.warning(
                "Task %s (%s): attempt %d failed (%s); trying again in %d s.",
                db_task_result.pk,
                name,
                attempts,
                error_name(exc),
                delay,
            )
            return
        db_task_result.set_failed(exc)
        logger.error(
            "Task %s (%s) failed after %d attempt(s): %s. It is listed on the background work page.",
            db_task_result.pk,
            name,
            attempts,
            error_name(exc),
        )
