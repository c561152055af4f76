"""Which kind of task backend is configured: the database (django-tasks-db) or Redis (django-tasks-rq)."""

from __future__ import annotations

from django_tasks import task_backends

DATABASE = "database"
RQ = "rq"
OTHER = "other"


def kind(alias: str = "default") -> str:
    backend = task_backends[alias]
    module = type(backend).__module__
    if module.startswith("django_tasks_db"):
        return DATABASE
    if module.startswith("django_tasks_rq"):
        return RQ
    return OTHER
