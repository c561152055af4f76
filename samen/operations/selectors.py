"""Reading the background tasks that need the functional administrator: failed, stuck, and whether a worker runs.

One shape for both backends (``TaskRow``), read from the database backend's table or from RQ's registries in
Redis. Only the kind of task, its times, attempts and the kind of error are read out: never its arguments or the
exception's text (an SMTP error can quote addresses).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samen.operations import backends
from samen.operations.models import TaskRetry

LIST_LIMIT = 50

# What each task does, in words for the administrator (by the task function's name).
TASK_LABELS = {
    "send_invitation": gettext_lazy("Invitation e-mail"),
    "send_team_welcome": gettext_lazy("E-mail to a professional added to a team"),
    "send_handover_notifications": gettext_lazy("E-mails about a new coordinator"),
    "send_break_the_glass_notifications": gettext_lazy("E-mails about an emergency access"),
    "send_reminder_digest": gettext_lazy("Reminder e-mail"),
    "run_daily_reminders": gettext_lazy("Daily reminders"),
    "escalate_signals": gettext_lazy("Escalating signals nobody answered in time"),
    "send_notification_email": gettext_lazy("E-mail that something is waiting"),
    "run_daily_referral_check": gettext_lazy("Daily check of referrals that stalled"),
    "send_meeting_invitation": gettext_lazy("Meeting invitation e-mail"),
    "run_daily_pulse": gettext_lazy("Daily opening, reminding and closing of the network pulse"),
}


@dataclass(frozen=True)
class TaskRow:
    id: str
    name: str
    label: str
    state: str  # "failed" | "abandoned" (running, worker gone) | "waiting" (due, not started)
    when: datetime.datetime | None
    attempts: int
    error: str
    can_retry: bool


@dataclass
class TaskOverview:
    backend: str
    workers: int
    failed: list[TaskRow] = field(default_factory=list)
    failed_total: int = 0
    stuck: list[TaskRow] = field(default_factory=list)


def task_label(name: str) -> str:
    label = TASK_LABELS.get(name)
    return str(label) if label is not None else name


def error_summary(exception_path: str) -> str:
    """What went wrong, in general words, from the exception's class (never its text)."""
    name = exception_path.rsplit(".", 1)[-1] if exception_path else ""
    if name in {"WorkerLost", "AbandonedJobError"}:
        return _("The worker stopped during the task (a crash or restart). It was tried again as often as allowed.")
    if name == "DeliveryUncertain":
        return _(
            "The worker stopped while sending: the e-mail may not have arrived. "
            "Start it again to send it again; the person may then get it twice."
        )
    if name in {"TimeoutError", "timeout", "SMTPServerDisconnected"}:
        return _("The mail server did not answer in time.")
    if name in {"ConnectionRefusedError", "SMTPConnectError", "ConnectionResetError", "gaierror", "ConnectionError"}:
        return _("The mail server could not be reached.")
    if name.startswith("SMTP"):
        return _("The mail server refused the e-mail.")
    if name == "JobTimeoutException":
        return _("The task took too long and was stopped.")
    if not name:
        return _("Unknown error.")
    return _("An error in the task (%(kind)s).") % {"kind": name}


def stuck_cutoff(now: datetime.datetime) -> datetime.datetime:
    return now - timedelta(seconds=settings.SAMEN_TASK_STUCK_AFTER)


def task_overview(*, now: datetime.datetime | None = None) -> TaskOverview:
    now = now or timezone.now()
    kind = backends.kind()
    if kind == backends.DATABASE:
        return _database_overview(now)
    if kind == backends.RQ:
        return _rq_overview(now)
    return TaskOverview(backend=kind, workers=0)


# --- database backend ------------------------------------------------------------------------------------------


def _task_name(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _db_row(task, state: str, when, can_retry: bool) -> TaskRow:
    name = _task_name(task.task_path)
    return TaskRow(
        id=str(task.pk),
        name=name,
        label=task_label(name),
        state=state,
        when=when,
        attempts=len(task.worker_ids),
        error=error_summary(task.exception_class_path) if task.exception_class_path else "",
        can_retry=can_retry,
    )


def unretried_failed_db_tasks():
    from django_tasks_db.models import DBTaskResult

    retried = TaskRetry.objects.filter(backend=backends.DATABASE, task_uuid=OuterRef("pk"))
    return DBTaskResult.objects.failed().filter(~Exists(retried))


def _database_overview(now: datetime.datetime) -> TaskOverview:
    from django_tasks_db.models import DBTaskResult, get_date_max

    from samen.operations.dbworker import abandoned, live_worker_ids

    fields = ("id", "task_path", "worker_ids", "exception_class_path", "started_at", "finished_at", "enqueued_at")
    alive = live_worker_ids(now)
    cutoff = stuck_cutoff(now)
    failed_qs = unretried_failed_db_tasks().only(*fields).order_by("-finished_at")
    failed = [_db_row(task, "failed", task.finished_at, True) for task in failed_qs[:LIST_LIMIT]]
    failed_total = len(failed) if len(failed) < LIST_LIMIT else failed_qs.count()
    running = DBTaskResult.objects.running().filter(started_at__lt=cutoff).only(*fields).order_by("started_at")
    stuck = [
        _db_row(task, "abandoned", task.started_at, False)
        for task in running[:LIST_LIMIT]
        if abandoned(task, alive, cutoff)
    ]
    # Due for longer than the stuck time and not started: no worker takes them.
    waiting = (
        DBTaskResult.objects.ready()
        .exclude(run_after__gte=cutoff, run_after__lt=get_date_max())
        .filter(enqueued_at__lt=cutoff)
        .only(*fields, "run_after")
        .order_by("enqueued_at")
    )
    stuck += [
        _db_row(task, "waiting", task.enqueued_at, False) for task in waiting[: max(0, LIST_LIMIT - len(stuck))]
    ]
    return TaskOverview(
        backend=backends.DATABASE, workers=len(alive), failed=failed, failed_total=failed_total, stuck=stuck
    )


# --- RQ --------------------------------------------------------------------------------------------------------


def rq_queues() -> list[Any]:
    import django_rq
    from django_tasks import task_backends

    names = sorted(task_backends["default"].queues)
    return [django_rq.get_queue(name, job_class="django_tasks_rq.Job") for name in names]


def rq_exception_path(job) -> str:
    """The class of the job's last exception (django-tasks-rq keeps them in the job's meta)."""
    paths = job.meta.get("_django_tasks_rq_exceptions") or []
    return paths[-1] if paths else ""


def _rq_row(job, state: str, when, can_retry: bool) -> TaskRow:
    from samen.operations.rqworker import attempts_of

    name = _task_name(job.func_name or "")
    return TaskRow(
        id=job.id,
        name=name,
        label=task_label(name),
        state=state,
        when=when,
        attempts=attempts_of(job),
        error=error_summary(rq_exception_path(job)) if state != "waiting" else "",
        can_retry=can_retry,
    )


def _aware(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, datetime.UTC)
    return value


def _rq_overview(now: datetime.datetime) -> TaskOverview:
    from django_tasks_rq import Job
    from rq import Worker
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    cutoff = stuck_cutoff(now)
    workers = 0
    failed: list[TaskRow] = []
    failed_total = 0
    stuck: list[TaskRow] = []
    for queue in rq_queues():
        connection = queue.connection
        workers += Worker.count(queue=queue)
        registry = FailedJobRegistry(queue=queue, job_class=Job)
        failed_total += registry.get_job_count(cleanup=False)
        ids = registry.get_job_ids(0, LIST_LIMIT - 1, desc=True, cleanup=False)
        for job in Job.fetch_many(ids, connection=connection):
            if job is not None:
                failed.append(_rq_row(job, "failed", _aware(job.ended_at), True))
        # Running, but the heartbeat stopped: the worker is gone (maintenance will pick it up).
        abandoned_ids = StartedJobRegistry(queue=queue, job_class=Job).get_expired_job_ids()
        for job in Job.fetch_many(abandoned_ids[:LIST_LIMIT], connection=connection):
            if job is not None:
                stuck.append(_rq_row(job, "abandoned", _aware(job.started_at), False))
        for job in queue.get_jobs(0, LIST_LIMIT - 1):
            enqueued = _aware(job.enqueued_at)
            if enqueued is not None and enqueued < cutoff:
                stuck.append(_rq_row(job, "waiting", enqueued, False))
    failed.sort(key=lambda row: row.when or now, reverse=True)
    return TaskOverview(backend=backends.RQ, workers=workers, failed=failed, failed_total=failed_total, stuck=stuck)
