"""A failed background task for the demo, so the functional administrator's task page shows what one looks like.

The reminder e-mail to the demo resident, as if the mail server did not answer five times: "Start again" on the
page queues it anew (in development the e-mail is printed by the worker). Only with the database backend (the
demo's); written directly, like the other demo modules.
"""

from __future__ import annotations

import datetime

from django_tasks_db.models import DBTaskResult, get_date_max

from samen.accounts.models import User
from samen.core.actor import Role
from samen.demo.logins import DEMO_LOGINS
from samen.operations import backends

DEMO_TASK_PATH = "samen.reminders.tasks.send_reminder_digest"


def add_demo_failed_task(*, now: datetime.datetime) -> int:
    """Add the failed reminder e-mail task once; returns how many tasks were added (0 or 1)."""
    if backends.kind() != backends.DATABASE:
        return 0
    email = next(login.email for login in DEMO_LOGINS if login.role == Role.CITIZEN)
    user_id = User.objects.filter(email=email).values_list("pk", flat=True).first()
    if user_id is None or DBTaskResult.objects.filter(task_path=DEMO_TASK_PATH).exists():
        return 0
    started = now - datetime.timedelta(hours=2)
    DBTaskResult.objects.create(
        status="FAILED",
        args_kwargs={"args": [user_id], "kwargs": {}},
        task_path=DEMO_TASK_PATH,
        queue_name="default",
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=[f"demo-worker-{attempt}" for attempt in range(1, 6)],
        started_at=started,
        finished_at=started + datetime.timedelta(minutes=8),
        exception_class_path="builtins.TimeoutError",
        traceback="TimeoutError: timed out (demo: the mail server did not answer)\n",
    )
    return 1
