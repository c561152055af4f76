"""E-mails that a person would notice twice are sent at most once, also when a worker dies.

Every e-mail task first *claims* its rows with one conditional UPDATE (``Invitation.sent_at``,
``TeamMember.notified_at``, …: the "sent once" marks), then sends, and releases the claim when sending fails,
so that the next attempt can send. A task that runs twice therefore sends once.

The window: the claim is stored *before* the mail server takes the message. A worker killed in between
(SIGKILL, out of memory, the machine gone) leaves the claim standing, and the attempt that picks the task up
again cannot know whether the mail server got the message. Samen chooses **at most once**: it does not send
again by itself (a person would notice a duplicate invitation or emergency-access notice), but it does not stay
silent either. With the claim it writes a ``PendingSend`` row naming the task, in the same transaction, and
removes it once the mail server took the message (or the claim was released). When the task runs again and
finds its own row still there, it fails with ``DeliveryUncertain``: the task shows on the functional
administrator's page as "stopped while sending", and its retry button releases the claim and sends again,
knowing the person may then get it twice.

Outside a worker (a direct ``task.call``, the immediate backend) there is no task id and no row: the claim alone
keeps the e-mail from going out twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from samen.operations.models import PendingSend
from samen.operations.runtime import current_task_id


class DeliveryUncertain(Exception):  # noqa: N818 - the name says what is known
    """An earlier attempt of this task claimed an e-mail and died before the mail server confirmed it."""


@dataclass(frozen=True)
class SendMark:
    """A kind of "sent once" mark: how to claim it for a key and how to release that claim again.

    ``claim(key, now)`` sets the mark where it is not set yet and returns how many rows it claimed;
    ``release(key, claimed_at)`` clears the marks that claim set.
    """

    kind: str
    claim: Callable[[str, datetime], int]
    release: Callable[[str, datetime], int]

    def __post_init__(self) -> None:
        registered = _MARKS.setdefault(self.kind, self)
        if registered is not self and registered.claim.__qualname__ != self.claim.__qualname__:
            raise RuntimeError(f"Two send marks are called {self.kind!r}.")

    @contextmanager
    def once(self, key: int | str) -> Iterator[int]:
        """Claim the mark for ``key``; yields how many rows were claimed (0: already sent, send nothing).

        When the block raises, the claim is released for the next attempt; when it ends, the e-mail counts as
        handed to the mail server. Raises ``DeliveryUncertain`` when this task's earlier attempt died after
        claiming (see the module's docstring)."""
        key = str(key)
        task_id = current_task_id()
        claimed_at = timezone.now()
        with transaction.atomic():
            claimed = self.claim(key, claimed_at)
            if claimed and task_id is not None:
                PendingSend.objects.create(kind=self.kind, key=key, task_id=task_id, claimed_at=claimed_at)
        if not claimed:
            if task_id is not None and PendingSend.objects.filter(kind=self.kind, key=key, task_id=task_id).exists():
                raise DeliveryUncertain(f"{self.kind} {key}")
            yield 0
            return
        try:
            yield claimed
        except BaseException:
            with transaction.atomic():
                self.release(key, claimed_at)
                PendingSend.objects.filter(kind=self.kind, key=key, task_id=task_id).delete()
            raise
        if task_id is not None:
            PendingSend.objects.filter(kind=self.kind, key=key, task_id=task_id).delete()


_MARKS: dict[str, SendMark] = {}


def release_pending(task_id: str) -> int:
    """Release the claims an abandoned attempt of ``task_id`` left (so a new task sends again); returns how many.
    Called by the retry service inside its transaction."""
    released = 0
    for pending in PendingSend.objects.filter(task_id=task_id).order_by("pk"):
        mark = _MARKS.get(pending.kind)
        if mark is not None:
            mark.release(pending.key, pending.claimed_at)
            released += 1
        pending.delete()
    return released
