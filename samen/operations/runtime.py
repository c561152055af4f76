"""Which task attempt is running in this process right now, whatever the backend.

The database worker (``samen.operations.dbworker``) sets it around each task; on RQ it is the job that RQ's
worker is performing. Outside a worker (a test calling ``task.call``, the immediate backend) there is none.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current_task_id: ContextVar[str | None] = ContextVar("samen_current_task_id", default=None)


@contextmanager
def running(task_id: str) -> Iterator[None]:
    token = _current_task_id.set(str(task_id))
    try:
        yield
    finally:
        _current_task_id.reset(token)


def current_task_id() -> str | None:
    task_id = _current_task_id.get()
    if task_id is not None:
        return task_id
    try:
        from rq import get_current_job
    except ImportError:  # pragma: no cover - rq is a dependency
        return None
    job = get_current_job()
    return job.id if job is not None else None
