"""``manage.py worker``: runs the background tasks, for whichever backend is configured.

- Database (the default): django-tasks-db's worker with Samen's supervision (``samen.operations.dbworker``):
  heartbeats, recovery of tasks whose worker died, retries with backoff.
- RQ (``SAMEN_TASK_BACKEND=rq``): django-rq's ``rqworker`` with django-tasks-rq's job class, Samen's supervised
  worker class (``samen.operations.rqworker``) and the scheduler (for retries after a delay). It is the same as
  ``manage.py rqworker --job-class django_tasks_rq.Job --worker-class samen.operations.rqworker.SupervisedWorker
  --with-scheduler default``.

Run one or more beside the web server, under the same environment; they may run on several machines.
"""

from __future__ import annotations

import os
import socket

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.crypto import get_random_string

from samen.operations import backends


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


class Command(BaseCommand):
    help = "Run the background worker (database or RQ, as configured)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--queue-name", default="*", help="Queues to work on, separated by commas; '*' for all (the default)."
        )
        parser.add_argument("--batch", action="store_true", help="Run the tasks that are due, then stop.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks at an empty queue.")
        parser.add_argument(
            "--reload",
            action="store_true",
            default=False,
            help="Restart on code changes (development; database backend only).",
        )

    def handle(self, *, queue_name: str, batch: bool, interval: float, reload: bool, verbosity: int, **options):
        kind = backends.kind()
        if kind == backends.RQ:
            queues = list(settings.RQ_QUEUES) if queue_name == "*" else queue_name.split(",")
            call_command(
                "rqworker",
                *queues,
                job_class="django_tasks_rq.Job",
                worker_class="samen.operations.rqworker.SupervisedWorker",
                with_scheduler=True,
                burst=batch,
                verbosity=verbosity,
            )
            return
        if kind != backends.DATABASE:
            raise CommandError("The configured task backend has no worker (it runs tasks itself).")

        from samen.operations.dbworker import SupervisedWorker

        worker = SupervisedWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=new_worker_id(),
            excluded_queue_names=[],
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
