"""Counting a request's SQL statements, for the benchmark only.

Installed first in ``MIDDLEWARE`` only when ``SAMEN_BENCH_VIEWS`` is true (config/settings.py), so it sees the
statements of every other middleware (session, user, Actor) and of the view. It counts only for a request that
carries ``X-Bench-Queries: 1`` and answers the count in the response header of the same name; any other request
passes straight through. ``bench/run.py`` asks once per page, outside the timed windows.
"""

from __future__ import annotations

from contextlib import ExitStack

from django.db import connections

QUERIES_HEADER = "X-Bench-Queries"


class QueryCounter:
    """An ``execute_wrapper``: counts every statement (savepoints included) that goes to the database."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get(QUERIES_HEADER) != "1":
            return self.get_response(request)
        counter = QueryCounter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        response[QUERIES_HEADER] = str(counter.count)
        return response
