"""Reads for "Wie keek in mijn dossier": who looked at a household's data, merged per day.

The merge happens in the database (GROUP BY day, organisation, role, action, category, purpose), so one page
of rows is one query. It reads the day summary (``AuditDaySummary``: per household, Dutch calendar day, user,
organisation, role, action, category and purpose, how often and last when), which ``audit.record`` counts in the
same transaction as each entry and ``verify_audit_log`` checks against the entries. Its rows grow with the
number of different visits per day, not with the number of entries, and its unique key starts with (household,
day), so the period is an index range: the page costs the same for a household with 10 or 100,000 entries, and no
time zone is converted per row. Like the other consent selectors this does not decide access (call it after
``consent.view`` allowed the household) and does not write the access log.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, IntegerField, Max, Q, QuerySet, Sum, Value, When

from samen.core.models import AuditAction, AuditDaySummary, AuditPurpose

GROUPED_FIELDS = ("day", "organisation_name", "role", "action", "data_category", "purpose", "is_emergency")


def emergency_q() -> Q:
    """An access without consent: a break-the-glass action, or anything done for that purpose."""
    return Q(purpose=AuditPurpose.BREAK_THE_GLASS) | Q(action=AuditAction.BREAK_THE_GLASS)


def access_log(
    household_id: int,
    *,
    start: datetime.date,
    end: datetime.date,
    exclude_user_id: int | None = None,
) -> QuerySet:
    """The household's access entries from ``start`` to ``end`` (both included, Dutch days), merged.

    Each row is a dict with ``day``, ``organisation_name``, ``role``, ``action``, ``data_category``,
    ``purpose``, ``is_emergency`` (1 for break-the-glass), ``times`` (how many entries were merged) and
    ``last_at`` (the newest of them). Break-the-glass rows come first, then the newest. The entries of
    ``exclude_user_id`` (the viewer's own actions) are left out.
    """
    counts = AuditDaySummary.objects.filter(household_id=household_id, day__range=(start, end))
    if exclude_user_id is not None:
        # Entries without a user (the system) have user_id 0 in the summary, so they stay.
        counts = counts.exclude(user_id=exclude_user_id)
    return (
        counts.annotate(
            is_emergency=Case(When(emergency_q(), then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .order_by()
        .values(*GROUPED_FIELDS)
        .annotate(times=Sum("times"), last_at=Max("last_at"))
        .order_by("-is_emergency", "-last_at", "organisation_name", "role", "action", "data_category", "purpose")
    )
