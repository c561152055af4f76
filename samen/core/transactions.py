"""How a service holds its transaction: one lock order for every writer, and a bounded retry of the whole call
when the database chose it as the victim of a deadlock or a serialization failure.

Every service is decorated with ``@atomic_service`` instead of ``@transaction.atomic``: the same one transaction,
and when the call is the outermost one (no transaction around it) a deadlock, a serialization failure (PostgreSQL)
or a write lock not obtained in time (SQLite's "database is locked") rolls it back and runs it again, at most
``ATTEMPTS`` times, after a short random wait. Inside an outer transaction it cannot retry (the outer one is
already lost) and the error goes up to whoever holds that transaction. Everything the failed attempt did was
rolled back, including ``transaction.on_commit`` callbacks, so a retry does not send anything twice.

The lock order (PostgreSQL takes row locks; SQLite takes one database lock for the whole writing transaction,
so the order matters only there):

1. the household's row (``select_for_update(no_key=True)``: ``_lock`` in the plans and households services,
   ``_lock_household`` in the consent services): every service that changes something of one household and must
   serialise with the household's other writers takes it first;
2. the rows the service changes, parents before children (a plan before its goals, a goal before its actions),
   each ``select_for_update(no_key=True)``;
3. last, the access log's stream head (``samen.core.audit.record``), household stream before a user's stream.

Why ``NO KEY UPDATE`` and never a plain ``FOR UPDATE``: PostgreSQL checks a foreign key (Django creates them
``DEFERRABLE INITIALLY DEFERRED``) at commit by taking ``FOR KEY SHARE`` on the row it points to. ``FOR UPDATE``
conflicts with that lock, ``FOR NO KEY UPDATE`` does not. With ``FOR UPDATE`` on the household, a note (which
points to the household) that had already locked the household's stream head waited at its commit for a consent
change that held the household and waited for that stream head: a deadlock (issue 10: 11 of 232 requests).
Samen never changes a primary key, so ``NO KEY UPDATE`` is the lock every writer needs; only a delete needs more.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import DatabaseError, OperationalError, connection, transaction

logger = logging.getLogger(__name__)

ATTEMPTS = 4
BACKOFF_SECONDS = 0.02  # the first wait is up to this long, then twice as long each attempt (with jitter)
# PostgreSQL's SQLSTATE codes for "try the transaction again": deadlock_detected, serialization_failure.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})

P = ParamSpec("P")
R = TypeVar("R")


def is_retryable(error: DatabaseError) -> bool:
    """Did the database give up on this transaction in a way that a fresh attempt can succeed?"""
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    return connection.vendor == "sqlite" and "database is locked" in str(error)


def atomic_service(func: Callable[P, R]) -> Callable[P, R]:
    """``@transaction.atomic`` for a service, retried on a deadlock when it is the outermost transaction (see the
    module's docstring)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if connection.in_atomic_block:
            with transaction.atomic():
                return func(*args, **kwargs)
        return run_with_retry(func, *args, **kwargs)

    return wrapper


def run_with_retry(func: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``func`` in a transaction of its own, again when the database gave up on it (at most ``ATTEMPTS``)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except OperationalError as error:
            if attempt == ATTEMPTS or not is_retryable(error):
                raise
            wait = random.uniform(0, BACKOFF_SECONDS * 2 ** (attempt - 1))  # noqa: S311 - jitter, not security
            logger.warning(
                "%s: the database gave up on the transaction (%s); attempt %d of %d in %.0f ms",
                getattr(func, "__qualname__", func),
                type(error.__cause__ or error).__name__,
                attempt + 1,
                ATTEMPTS,
                wait * 1000,
            )
            time.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover
