"""``manage.py check_referrals``: the daily job for referrals. Run it once a day (cron, a systemd timer); running it
again the same day reports nothing twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from samen.referrals.services import referrals_report_stalled


class Command(BaseCommand):
    help = (
        "Report referrals that stalled (requested and not answered within 5 working days, or accepted or in "
        "progress without a change for 20) to their networks, once per stall. Run once a day."
    )

    def handle(self, *args, **options) -> None:
        reported = referrals_report_stalled()
        self.stdout.write(f"{reported} stalled referral(s) reported to the networks.")
