"""Test helpers shared by every app's tests (imported only from tests)."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def assert_max_queries(limit: int):
    """Fail when the block runs more than ``limit`` queries; shows them when it does."""
    with CaptureQueriesContext(connection) as context:
        yield context
    executed = len(context.captured_queries)
    if executed > limit:
        listing = "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(context.captured_queries, 1))
        raise AssertionError(f"{executed} queries, expected at most {limit}:\n{listing}")


def count_queries(func, *args, **kwargs) -> int:
    """Run ``func`` and return how many queries it executed."""
    with CaptureQueriesContext(connection) as context:
        func(*args, **kwargs)
    return len(context.captured_queries)
