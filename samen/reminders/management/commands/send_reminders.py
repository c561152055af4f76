"""``manage.py send_reminders``: the daily job. Run it once a day (cron, a systemd timer); running it twice on the
same day adds no reminders and sends nothing (unless notifications came in between). It queues the daily e-mail:
for everyone with new reminders, and for everyone who chose the daily digest of notifications (the default) and has
new ones. The e-mails go out through the background worker (``manage.py worker``)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from samen.reminders.services import create_due_reminders


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date needs a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Create today's reminders for actions and evaluation moments that are due, and queue one e-mail per person "
        "who got something new (reminders, or notifications for whoever wants a daily digest). Run once a day."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", type=str, default="", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options) -> None:
        today = _date(options["date"]) if options["date"] else None
        result = create_due_reminders(today=today)
        self.stdout.write(
            f"{result.created} reminder(s) created; {result.recipients + result.digests} e-mail(s) queued for the "
            "background worker."
        )
