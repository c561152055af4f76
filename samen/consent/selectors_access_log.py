"""Reads for "Wie keek in mijn dossier": who looked at a household's data, merged per day.

The merge happens in the database (GROUP BY day, organisation, role, action, category, purpose), so one page
of rows is one query whatever the number of entries. Like the other consent selectors this does not decide
access (call it after ``consent.view`` allowed the household) and does not write the access log.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate

from samen.core.models import AuditAction, AuditEntry, AuditPurpose

# The day of an entry is the day in the Netherlands, also when the database works in UTC.
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")

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
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=AMSTERDAM)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=AMSTERDAM)
    entries = AuditEntry.objects.filter(household_id=household_id, occurred_at__gte=since, occurred_at__lt=until)
    if exclude_user_id is not None:
        # Entries without a user (the system) stay: ``user_id != x`` alone would drop them in SQL.
        entries = entries.filter(Q(user_id__isnull=True) | ~Q(user_id=exclude_user_id))
    return (
        entries.annotate(
            day=TruncDate("occurred_at", tzinfo=AMSTERDAM),
            is_emergency=Case(When(emergency_q(), then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .order_by()
        .values(*GROUPED_FIELDS)
        .annotate(times=Count("pk"), last_at=Max("occurred_at"))
        .order_by("-is_emergency", "-last_at", "organisation_name", "role", "action", "data_category", "purpose")
    )
