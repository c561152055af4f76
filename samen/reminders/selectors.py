"""Reads for the reminders page and the count on the home page. Selectors do not decide access: they start from
``policies.reminders_visible_to(actor)``, and they do not write the access log (the view does)."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from samen.core.actor import Actor
from samen.reminders.models import Reminder
from samen.reminders.policies import WORKS_BY_GRANTS, reminders_visible_to, unread_count_with

# Read reminders stay on the page this many days, so that someone can find back what they just marked.
RECENTLY_READ_DAYS = 7


def reminder_list(visible: QuerySet[Reminder], *, now: datetime.datetime | None = None) -> QuerySet[Reminder]:
    """Of ``visible`` (``reminders_visible_to``): the unread reminders (soonest date first) and then those read in
    the last ``RECENTLY_READ_DAYS`` days (last read first), each with its household and action. One query when
    evaluated."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=RECENTLY_READ_DAYS)
    return (
        visible.filter(Q(read_at__isnull=True) | Q(read_at__gte=since))
        .select_related("household", "action")
        .only(
            "id",
            "kind",
            "due_date",
            "read_at",
            "household_id",
            "action_id",
            "evaluation_id",
            "household__name",
            "action__text",
            "action__goal_id",
        )
        .order_by(F("read_at").desc(nulls_first=True), "due_date", "pk")
    )


def list_counts(listed: QuerySet[Reminder]) -> tuple[int, int]:
    """How many reminders ``reminder_list`` holds, and how many of them are unread: one query for both (the list
    holds every unread reminder the actor sees, so its unread ones are ``count_unread``'s)."""
    counts = listed.order_by().aggregate(total=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True)))
    return counts["total"], counts["unread"]


def count_unread(visible: QuerySet[Reminder]) -> int:
    """How many of ``visible`` are unread (one query, on the index of unread reminders)."""
    return visible.filter(read_at__isnull=True).count()


def unread_count(
    actor: Actor, *, granted: frozenset[tuple[int, str]] | None = None, now: datetime.datetime | None = None
) -> int:
    """How many unread reminders the actor sees now, for the home page: one query (for a citizen, one small query
    for their representations first). For a professional or a supporter whose grants in force the page read
    already (``granted``: ``samen.consent.selectors.granted_pairs``), their unread reminders that are still due are
    read in one simpler query and the consent decided on ``granted`` (``unread_count_with``)."""
    if granted is not None and actor.role in WORKS_BY_GRANTS:
        return unread_count_with(actor, granted, now=now)
    return count_unread(reminders_visible_to(actor, now=now))
