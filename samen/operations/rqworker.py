"""The RQ worker, supervised the same way as the database worker (``samen.operations.dbworker``).

RQ keeps a running job in its queue's StartedJobRegistry with an expiry that the worker pushes forward (its
heartbeat, every ``job_monitoring_interval`` seconds). When the worker dies, the entry expires; the next
maintenance run of any worker ("clean registries") takes the job out with ``AbandonedJobError`` and fails it,
unless it has retries left. Out of the box that takes up to 10 minutes plus a minute, and a job is never retried
unless it was enqueued with ``Retry``. ``SupervisedWorker`` makes the same promises as the database worker:

- the registry entry expires ``SAMEN_TASK_STUCK_AFTER`` seconds after the last heartbeat, and maintenance runs
  at that interval too, so an abandoned job is found within about twice that time;
- an abandoned job runs again at once while it has attempts left (``SAMEN_TASK_MAX_ATTEMPTS``; the attempt count
  is kept in the job's meta), then ends FAILED (``AbandonedJobError``) in the FailedJobRegistry;
- a passing failure (``samen.operations.retrying.is_passing``) is retried after the same exponential backoff
  (scheduled: run the worker ``--with-scheduler``, as ``manage.py worker`` does); any other failure fails at once;
- failures are logged with the job's id and the kind of error, never its arguments or the exception's text.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from rq import Worker
from rq.exceptions import AbandonedJobError
from rq.job import Job

from samen.operations.retrying import WorkerLost, attempts_left, error_name, is_passing, retry_delay

logger = logging.getLogger("samen.operations")

ATTEMPTS = "samen_attempts"


def monitoring_interval() -> int:
    """How often the worker reports while a job runs (RQ's default is 30 s): within the stuck time."""
    return max(1, min(30, settings.SAMEN_TASK_STUCK_AFTER // 2))


def attempts_of(job: Job) -> int:
    return int(job.meta.get(ATTEMPTS, 0))


def plan_retry(job: Job, exc: BaseException) -> bool:
    """Decide, as the database worker does, whether a failed or abandoned job runs again, and when. Sets the
    job's retries for RQ's own retry step that follows; returns whether it will run again."""
    attempts = attempts_of(job) or 1
    if is_passing(exc) and attempts_left(attempts):
        delay = 0 if isinstance(exc, WorkerLost) else retry_delay(attempts)
        job.retries_left = 1
        job.retry_intervals = [delay]
        logger.warning(
            "Task %s (%s): attempt %d failed (%s); trying again in %d s.",
            job.id,
            job.func_name.rsplit(".", 1)[-1],
            attempts,
            error_name(exc),
            delay,
        )
        return True
    job.retries_left = 0
    logger.error(
        "Task %s (%s) failed after %d attempt(s): %s. It is listed on the background work page.",
        job.id,
        job.func_name.rsplit(".", 1)[-1],
        attempts,
        error_name(exc),
    )
    return False


def recover_abandoned_job(job: Job, exc_type, exc_value, traceback) -> bool:
    """RQ exception handler: a job whose worker died (found by registry maintenance) runs again at once while it has
    attempts left. Other exceptions pass on to the next handler."""
    if exc_type is AbandonedJobError or isinstance(exc_value, AbandonedJobError):
        plan_retry(job, WorkerLost())
    return True


class SupervisedWorker(Worker):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("job_monitoring_interval", monitoring_interval())
        kwargs.setdefault("maintenance_interval", max(1, settings.SAMEN_TASK_STUCK_AFTER))
        super().__init__(*args, **kwargs)
        self.push_exc_handler(recover_abandoned_job)

    @property
    def dequeue_timeout(self) -> int:
        # Wake up for maintenance in time, also when no job comes in (RQ waits up to the worker ttl otherwise).
        return max(1, min(self.worker_ttl - 15, self.maintenance_interval))

    def get_heartbeat_ttl(self, job: Job) -> int:
        """The registry entry outlives the next heartbeat by the stuck time (RQ adds a fixed minute)."""
        grace = max(1, settings.SAMEN_TASK_STUCK_AFTER)
        if job.timeout and job.timeout > 0:
            remaining = job.timeout - self.current_job_working_time
            return int(max(0, min(remaining, self.job_monitoring_interval))) + grace
        return self.job_monitoring_interval + grace

    def execute_job(self, job: Job, queue) -> None:
        job.meta[ATTEMPTS] = attempts_of(job) + 1
        job.save_meta()
        super().execute_job(job, queue)

    def handle_job_failure(self, job: Job, queue, started_job_registry=None, exc_string: str = "") -> None:
        # Called inside the except block of the job (the exception is at hand), or by the worker after its work
        # horse died (no exception: the horse was killed, e.g. SIGKILL or out of memory).
        exc = sys.exc_info()[1] or WorkerLost()
        if self._stopped_job_id != job.id:
            plan_retry(job, exc)
        super().handle_job_failure(job, queue, started_job_registry=started_job_registry, exc_string=exc_string)
