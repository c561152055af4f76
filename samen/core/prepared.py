"""Prepared queries: an ORM query built and compiled once per database connection, then run with new values.

Building a Django query costs far more than running it for the small, indexed lookups every page makes: the
household gate (``samen.consent.policies.household_access``) spends some milliseconds in ``filter()`` and the
compiler and about 0.1 ms in SQLite. A ``PreparedQuery`` keeps the query written with the ORM, readable and
checked by the ORM, and pays the building once:

    GATE = PreparedQuery(
        lambda pk, now: Household.objects.filter(pk=pk, created_at__lte=now).values_list("id", "name"),
        now=datetime.datetime,
    )
    rows = GATE.rows(pk=7, now=timezone.now())

How: the first call on a connection builds the query with a *marker* for every parameter (an int, a text or a
moment nobody uses), compiles it, and finds the markers in the compiled parameters; every call then runs that
SQL with the values put where their markers were, adapted for the database as the ORM adapts them, and converts
the rows as the ORM would (``values_list``: the same Python values). The build function must pass each parameter
to the ORM unchanged (no arithmetic on it, no branching on it), and only the declared kinds: ``int``, ``str``,
``datetime.datetime``. A parameter the compiled query does not contain, or a value computed from a marker (which
would be run as a constant), is an error when the query is prepared, never a wrong answer.
``tests/test_prepared.py`` runs each prepared query of Samen against its ORM twin.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

_KINDS = (int, str, datetime.datetime)
_counter = itertools.count(1)


def _marker(kind: type, number: int):
    if kind is int:
        # Large, and inside every integer column's range (the ORM drops a lookup on a value out of range).
        return 2_046_000_000 + number % 100_000_000
    if kind is str:
        return f"\u2063prepared-marker-{number}\u2063"
    return datetime.datetime(1901, 2, 3, 4, 5, 6, number, tzinfo=datetime.UTC)


def _from_a_marker(value) -> bool:
    """A compiled value that a build function made out of a marker (``now - timedelta(days=7)``, ``pk + 1``, an
    f-string): near a marker, but not one."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 2_040_000_000 <= value <= 2_150_000_000
    if isinstance(value, datetime.datetime):
        return value.year < 1910
    if isinstance(value, str):
        return "prepared-marker" in value or value.startswith("190")  # SQLite's text for a moment near a marker
    return False


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: dict[str, tuple[int, ...]]  # parameter name -> positions in ``params``
    compiler: Any
    converters: dict


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet], **kinds: type):
        unknown = [name for name, kind in kinds.items() if kind not in _KINDS]
        if unknown:
            raise TypeError(f"parameters of an unsupported kind: {unknown} (use int, str or datetime.datetime)")
        self.build = build
        self.kinds = kinds
        self._compiled: dict[int, _Compiled] = {}  # per connection object (one per thread)

    def _prepare(self, connection) -> _Compiled:
        markers = {name: _marker(kind, next(_counter)) for name, kind in self.kinds.items()}
        queryset = self.build(**markers)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        adapted = {name: self._adapt(connection, name, value) for name, value in markers.items()}
        slots: dict[str, list[int]] = {name: [] for name in markers}
        for position, value in enumerate(params):
            for name, marker in adapted.items():
                if type(value) is type(marker) and value == marker:
                    slots[name].append(position)
        placed = {position for positions in slots.values() for position in positions}
        derived = [value for position, value in enumerate(params) if position not in placed and _from_a_marker(value)]
        if derived:
            raise ValueError(
                f"the prepared query computed {derived} from a parameter before the ORM saw it: it would run with "
                "that value every time; pass the parameter to the ORM as it is"
            )
        missing = [name for name, positions in slots.items() if not positions]
        if missing:
            raise ValueError(f"the prepared query does not use {missing} as parameters: build it without them")
        fields = [column for column, _, _ in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        return _Compiled(sql, tuple(params), {k: tuple(v) for k, v in slots.items()}, compiler, converters)

    def _adapt(self, connection, name: str, value):
        if self.kinds[name] is datetime.datetime:
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def rows(self, *, using: str = "default", **values) -> list[tuple]:
        """The rows of the query for ``values`` (one for every declared parameter), as ``values_list`` gives them."""
        if values.keys() != self.kinds.keys():
            raise TypeError(f"expected the parameters {sorted(self.kinds)}, got {sorted(values)}")
        for name, value in values.items():
            if not isinstance(value, self.kinds[name]) or isinstance(value, bool):
                raise TypeError(f"{name} must be {self.kinds[name].__name__}, not {type(value).__name__}")
        connection = connections[using]
        compiled = self._compiled.get(id(connection))
        if compiled is None:
            compiled = self._compiled[id(connection)] = self._prepare(connection)
        params = list(compiled.params)
        for name, positions in compiled.slots.items():
            adapted = self._adapt(connection, name, values[name])
            for position in positions:
                params[position] = adapted
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        return [tuple(row) for row in rows]
