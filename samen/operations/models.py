"""What Samen keeps about its background work, beside the task backend's own records.

- ``WorkerHeartbeat``: each database worker (``manage.py worker``) says every few seconds that it is alive; a
  running task whose worker has been silent for ``SAMEN_TASK_STUCK_AFTER`` seconds was abandoned (the worker
  died) and is run again (``samen.operations.dbworker``).
- ``PendingSend``: an e-mail a task has claimed (its "sent once" mark is set) and not yet handed to the mail
  server. The row is written with the claim and removed when the mail server took the message or the claim was
  released. A row that stays belongs to an attempt that died while sending: whether the e-mail arrived is
  unknown (``samen.operations.sends``).
- ``TaskRetry``: a failed task that the functional administrator started again (who, when, what failed).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class PendingSend(models.Model):
    kind = models.CharField(_("kind"), max_length=64)
    key = models.CharField(_("key"), max_length=64)
    task_id = models.CharField(_("task"), max_length=64, db_index=True)
    claimed_at = models.DateTimeField(_("claimed at"))

    class Meta:
        verbose_name = _("e-mail being sent")
        verbose_name_plural = _("e-mails being sent")
        constraints = [models.UniqueConstraint(fields=["task_id", "kind", "key"], name="operations_pending_send_once")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} ({self.task_id})"


class TaskRetry(models.Model):
    backend = models.CharField(_("backend"), max_length=32)
    task_id = models.CharField(_("task"), max_length=64, db_index=True)
    # The database backend's task id as a UUID (its own type), so the page can leave retried tasks out.
    task_uuid = models.UUIDField(_("task (database backend)"), null=True, blank=True, db_index=True)
    task_name = models.CharField(_("task name"), max_length=200)
    attempts = models.PositiveIntegerField(_("attempts"))
    error = models.CharField(_("error"), max_length=200, blank=True)
    released_sends = models.PositiveIntegerField(_("e-mails released to be sent again"), default=0)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("retried by"), on_delete=models.PROTECT, related_name="+"
    )
    retried_at = models.DateTimeField(_("retried at"))

    class Meta:
        verbose_name = _("task retried")
        verbose_name_plural = _("tasks retried")
        constraints = [models.UniqueConstraint(fields=["backend", "task_id"], name="operations_task_retried_once")]

    def __str__(self) -> str:
        return f"{self.task_name} {self.task_id}"
