"""Background work for the network pulse: ``run_daily_pulse`` is ``manage.py run_pulse`` for the worker."""

from __future__ import annotations

from django_tasks import task


@task()
def run_daily_pulse() -> dict[str, int]:
    """Open, remind, close and schedule the pulse rounds by date (idempotent: see ``services.run_schedule``)."""
    from samen.collaboration.services import run_schedule

    return run_schedule()
