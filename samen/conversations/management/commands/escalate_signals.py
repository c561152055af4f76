"""``manage.py escalate_signals``: queue the escalation job for the background worker (``--here``: run it in this
process). Run it every hour (cron, a systemd timer); running it twice escalates nothing twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from samen.conversations.services import signals_escalate
from samen.conversations.tasks import escalate_signals


class Command(BaseCommand):
    help = (
        "Escalate signals that nobody answered within the network's response time to its facilitator, and mark "
        "the ones still unsolved after a second period for the breakthrough route. Queued for the worker."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--here", action="store_true", help="Run the job in this process, not in the worker.")

    def handle(self, *args, **options) -> None:
        if options["here"]:
            run = signals_escalate()
            self.stdout.write(f"{run.escalated} signal(s) escalated, {run.breakthrough} to the breakthrough route.")
            return
        result = escalate_signals.enqueue()
        self.stdout.write(f"The escalation job is queued for the background worker ({result.id}).")
