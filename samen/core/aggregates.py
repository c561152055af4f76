"""Aggregates Django 5.2 lacks on every database Samen supports (SQLite and PostgreSQL)."""

from __future__ import annotations

from django.db.models import Aggregate, CharField, TextField
from django.db.models.functions import Cast


class GroupConcat(Aggregate):
    """The values of a text column in the group, joined by ``separator`` (no order promised).

    SQLite's ``GROUP_CONCAT(x, sep)`` and PostgreSQL's ``STRING_AGG(x::text, sep)``. ``NULL`` for an empty
    group. Meant for short lists read in Python (a household's granted categories), not for display.
    """

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, '%(separator)s')"
    output_field = TextField()

    def __init__(self, expression, *, separator: str = ",", **extra):
        if "'" in separator or "%" in separator:
            raise ValueError("the separator is put into the SQL as it is: no quotes, no percent signs")
        super().__init__(expression, separator=separator, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        source = self.copy()
        expressions = source.get_source_expressions()  # the column, then the FILTER and ORDER BY clauses
        expressions[0] = Cast(expressions[0], CharField())
        source.set_source_expressions(expressions)
        return super(GroupConcat, source).as_sql(compiler, connection, function="STRING_AGG", **extra_context)
