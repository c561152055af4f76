"""``manage.py run_pulse``: the daily job of the network pulse. Run it once a day (cron, a systemd timer); running it
again the same day changes nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from samen.collaboration.services import run_schedule


class Command(BaseCommand):
    help = (
        "Open the pulse rounds whose day came (and invite everyone), remind who has not answered a round that closes "
        "in 3 days, close the rounds whose last day passed and schedule the next. Run once a day."
    )

    def handle(self, *args, **options) -> None:
        done = run_schedule()
        self.stdout.write(
            f"{done['opened']} round(s) opened, {done['reminded']} reminder(s), {done['closed']} round(s) closed, "
            f"{done['scheduled']} scheduled."
        )
