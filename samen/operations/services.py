"""Writing about background work: the functional administrator starts a failed task again.

``task_retry`` puts a *new* task in the queue with the failed task's function and arguments (a fresh set of
attempts), and records that the failed one was retried, so the page no longer lists it (its record stays, with
its error, for support). When the failed task had died while sending (``DeliveryUncertain``), its claims are
released first, so that the new task sends again: the administrator decided that a possible duplicate is better
than a missing e-mail. Audited; the new task is queued once the transaction is committed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import audit
from samen.core.actor import Actor
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.core.transactions import atomic_service
from samen.operations import backends, selectors, sends
from samen.operations.models import TaskRetry


@dataclass(frozen=True)
class FailedTask:
    backend: str
    id: str
    name: str
    attempts: int
    exception_path: str
    task: Any  # the django-tasks Task to enqueue again
    args: list
    kwargs: dict
    rq_job: Any = None


def _failed_db_task(task_id: str) -> FailedTask:
    try:
        pk = uuid.UUID(task_id)
    except ValueError as exc:
        raise Http404 from exc
    db_task = selectors.unretried_failed_db_tasks().filter(pk=pk).first()
    if db_task is None:
        raise Http404
    return FailedTask(
        backend=backends.DATABASE,
        id=str(db_task.pk),
        name=db_task.task_path.rsplit(".", 1)[-1],
        attempts=len(db_task.worker_ids),
        exception_path=db_task.exception_class_path,
        task=db_task.task,
        args=db_task.args_kwargs["args"],
        kwargs=db_task.args_kwargs["kwargs"],
    )


def _failed_rq_task(task_id: str) -> FailedTask:
    from django_tasks_rq import Job
    from rq.exceptions import NoSuchJobError
    from rq.registry import FailedJobRegistry

    from samen.operations.rqworker import attempts_of

    for queue in selectors.rq_queues():
        if task_id not in FailedJobRegistry(queue=queue, job_class=Job):
            continue
        try:
            job = Job.fetch(task_id, connection=queue.connection)
        except NoSuchJobError as exc:
            raise Http404 from exc
        return FailedTask(
            backend=backends.RQ,
            id=job.id,
            name=(job.func_name or "").rsplit(".", 1)[-1],
            attempts=attempts_of(job),
            exception_path=selectors.rq_exception_path(job),
            task=job.func,
            args=list(job.args),
            kwargs=dict(job.kwargs),
            rq_job=job,
        )
    raise Http404


def failed_task(task_id: str) -> FailedTask:
    """The failed, not yet retried task ``task_id`` of the configured backend; 404 when there is none."""
    kind = backends.kind()
    if kind == backends.DATABASE:
        return _failed_db_task(task_id)
    if kind == backends.RQ:
        return _failed_rq_task(task_id)
    raise Http404


def _enqueue_again(failed: FailedTask) -> None:
    failed.task.enqueue(*failed.args, **failed.kwargs)
    if failed.rq_job is not None:
        from rq.registry import FailedJobRegistry

        FailedJobRegistry(name=failed.rq_job.origin, connection=failed.rq_job.connection).remove(failed.rq_job)


@atomic_service
def task_retry(*, actor: Actor, task_id: str) -> TaskRetry:
    """Start the failed task ``task_id`` again (see the module's docstring). Raises 404 for a task that is not
    failed (or was retried already), ``ValidationError`` when two administrators pressed at once."""
    require(actor, "operations.retry_task")
    failed = failed_task(task_id)
    released = sends.release_pending(failed.id)
    try:
        with transaction.atomic():
            retry = TaskRetry.objects.create(
                backend=failed.backend,
                task_id=failed.id,
                task_uuid=uuid.UUID(failed.id) if failed.backend == backends.DATABASE else None,
                task_name=failed.name[:200],
                attempts=failed.attempts,
                error=failed.exception_path.rsplit(".", 1)[-1][:200],
                released_sends=released,
                retried_by=actor.user,
                retried_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise ValidationError(_("This task was started again already."), code="retried") from exc
    transaction.on_commit(lambda: _enqueue_again(failed))
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=retry,
        purpose=AuditPurpose.OPERATIONS,
        description=f"background task {failed.name} started again after {failed.attempts} attempt(s)",
        changes={"task": failed.id, "attempts": failed.attempts, "released_sends": released},
    )
    return retry
