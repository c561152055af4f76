"""Who may see and restart background tasks (rules for ``samen.core.policy``).

The functional administrator keeps Samen running: they see the tasks that failed or are stuck, and start a failed
one again. The page shows what kind of task it was and what went wrong in general terms, never a task's
arguments or the e-mail it sent.
"""

from __future__ import annotations

from samen.core.actor import Actor, Role
from samen.core.policy import rule


@rule("operations.view_tasks")
def view_tasks(actor: Actor, obj=None) -> bool:
    return actor.role == Role.FUNCTIONAL_ADMIN and actor.user is not None


@rule("operations.retry_task")
def retry_task(actor: Actor, obj=None) -> bool:
    return actor.role == Role.FUNCTIONAL_ADMIN and actor.user is not None
