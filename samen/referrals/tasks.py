"""Background work for referrals: the daily job that finds stalled referrals.

``run_daily_referral_check`` is the same as ``manage.py check_referrals``: run it once a day (cron or a systemd timer
calling the command, or enqueue the task). It is idempotent: a stall is reported once, however often it runs.
"""

from __future__ import annotations

from django_tasks import task


@task()
def run_daily_referral_check() -> dict[str, int]:
    """Report the referrals that stalled (no answer within 5 working days, no change for 20) to the networks."""
    from samen.referrals.services import referrals_report_stalled

    return {"stalled": referrals_report_stalled()}
