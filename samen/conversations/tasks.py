"""Background work for the conversation: the escalation job (``manage.py escalate_signals`` queues it; run that
every hour from cron or a systemd timer). The job is idempotent: each step of a signal is claimed with a
conditional UPDATE (``services.signals_escalate``), so running it twice, or on two machines, escalates once."""

from __future__ import annotations

from django_tasks import task


@task()
def escalate_signals() -> dict[str, int]:
    """Escalate the signals past their deadline (to the facilitator; then to the breakthrough route)."""
    from samen.conversations.services import signals_escalate

    run = signals_escalate()
    return {"escalated": run.escalated, "breakthrough": run.breakthrough}
