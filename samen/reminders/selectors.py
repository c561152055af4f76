"""Reads for the notification centre and the unread count on the home page. Selectors do not decide access: they
start from ``policies.reminders_visible_to(actor)`` and ``policies.notifications_visible_to(actor)``, and they do
not write the access log (the view does).

The centre is one list of both: reminders (``Reminder``) and notifications (``Notification``), unread first and
then those read in the last ``RECENTLY_READ_DAYS`` days, newest first. It is read as one UNION ALL of the two
visible querysets (a key, whether it is unread and its time per row), so a page is one query for its keys, one for
both counts and at most one per table for the rows of that page, whatever the number of rows.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from samen.core.actor import Actor
from samen.reminders.models import Notification, NotificationPreference, Reminder
from samen.reminders.policies import (
    GENERAL,
    WORKS_BY_GRANTS,
    notifications_visible_to,
    reminder_category,
    reminders_visible_to,
    representations_of,
    still_due_q,
)

# Read reminders stay on the page this many days, so that someone can find back what they just marked.
RECENTLY_READ_DAYS = 7


def _unread() -> Case:
    return Case(When(read_at__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField())


def _keyed(queryset: QuerySet, source: str, time: str) -> QuerySet:
    """``queryset`` as rows (source, id, unread, time) for the UNION ALL of the centre."""
    return (
        queryset.annotate(
            item_source=Value(source, output_field=CharField()),
            item_id=F("pk"),
            item_unread=_unread(),
            item_at=F(time),
        )
        .order_by()
        .values_list("item_source", "item_id", "item_unread", "item_at")
    )


NOTIFICATION, REMINDER = "n", "r"


def centre_items(actor: Actor, *, now: datetime.datetime | None = None) -> QuerySet:
    """Every line of the actor's notification centre as ``(source, id, unread, time)``: ``source`` is
    ``NOTIFICATION`` or ``REMINDER``; unread first, then newest first (a notification's newest time, a reminder's
    creation). The unread ones and those read in the last ``RECENTLY_READ_DAYS`` days. One query when evaluated
    (slice it for a page)."""
    now = now or timezone.now()
    represented = representations_of(actor, now)
    recent = Q(read_at__isnull=True) | Q(read_at__gte=now - datetime.timedelta(days=RECENTLY_READ_DAYS))
    notifications = notifications_visible_to(actor, now=now, represented=represented).filter(recent)
    reminders = reminders_visible_to(actor, now=now, represented=represented).filter(recent)
    notifications, reminders = (
        _keyed(notifications, NOTIFICATION, "updated_at"),
        _keyed(reminders, REMINDER, "created_at"),
    )
    return notifications.union(reminders, all=True).order_by("-item_unread", "-item_at", "item_source", "-item_id")


def centre_counts(items: QuerySet) -> tuple[int, int]:
    """How many lines ``centre_items`` holds, and how many of them are unread: one query for both."""
    counts = items.aggregate(total=Count("item_id"), unread=Sum("item_unread"))
    return counts["total"] or 0, counts["unread"] or 0


def centre_rows(keys: list[tuple]) -> list:
    """The notifications and reminders named by ``keys`` (rows of ``centre_items``), in that order: one query per
    table that has any (never one per row)."""
    wanted = {NOTIFICATION: [], REMINDER: []}
    for source, pk, *_rest in keys:
        wanted[source].append(pk)
    found: dict[tuple[str, int], object] = {}
    if wanted[NOTIFICATION]:
        notifications = Notification.objects.filter(pk__in=wanted[NOTIFICATION]).select_related("household")
        found.update(((NOTIFICATION, row.pk), row) for row in notifications.only(*NOTIFICATION_FIELDS))
    if wanted[REMINDER]:
        reminders = (
            Reminder.objects.filter(pk__in=wanted[REMINDER])
            .annotate(target_category=reminder_category())
            .select_related("household", "action")
            .only(*REMINDER_FIELDS)
        )
        found.update(((REMINDER, row.pk), row) for row in reminders)
    return [found[(source, pk)] for source, pk, *_rest in keys if (source, pk) in found]


NOTIFICATION_FIELDS = (
    "id",
    "recipient_id",
    "kind",
    "category",
    "url",
    "params",
    "count",
    "created_at",
    "updated_at",
    "read_at",
    "household_id",
    "household__name",
)
REMINDER_FIELDS = (
    "id",
    "recipient_id",
    "kind",
    "due_date",
    "created_at",
    "read_at",
    "household_id",
    "action_id",
    "evaluation_id",
    "household__name",
    "action__text",
    "action__goal_id",
)


def unread_count(
    actor: Actor, *, granted: frozenset[tuple[int, str]] | None = None, now: datetime.datetime | None = None
) -> int:
    """How many unread lines the actor's notification centre holds now (notifications and reminders), for the home
    page and the menu: one query (for a citizen, one small query for their representations first). For a
    professional or a supporter whose grants in force the page read already (``granted``:
    ``samen.consent.selectors.granted_pairs``), their unread rows are counted per household and category in one
    simpler query and the consent decided on ``granted`` (``unread_count_with``)."""
    if granted is not None and actor.role in WORKS_BY_GRANTS:
        return unread_count_with(actor, granted, now=now)
    now = now or timezone.now()
    represented = representations_of(actor, now)
    notifications = notifications_visible_to(actor, now=now, represented=represented)
    reminders = reminders_visible_to(actor, now=now, represented=represented)
    notifications = notifications.filter(read_at__isnull=True).order_by().values("pk")
    reminders = reminders.filter(read_at__isnull=True).order_by().values("pk")
    return notifications.union(reminders, all=True).count()


def unread_count_with(
    actor: Actor, granted: frozenset[tuple[int, str]], *, now: datetime.datetime | None = None
) -> int:
    """``unread_count`` for a professional or a supporter, with the consent decided on ``granted`` (the pairs of
    ``grants_in_force_for``: where they are in the team and the household gave consent): a reminder by the rule of
    ``plans.view_goal`` (the general category and the target's), a notification by its own category, one without
    a household always. One query, grouped per household and category, so it does not grow with the number of
    rows; ``tests/test_selectors.py`` checks it gives the count of ``unread_count`` without ``granted``."""
    if actor.user_id is None or actor.organisation_id is None or actor.role not in WORKS_BY_GRANTS:
        return 0
    reminders = (
        Reminder.objects.filter(still_due_q(), recipient_id=actor.user_id, read_at__isnull=True)
        .annotate(item_category=reminder_category(), item_source=Value(REMINDER, output_field=CharField()))
        .order_by()
        .values("item_source", "household_id", "item_category")
        .annotate(number=Count("pk"))
        .values_list("item_source", "household_id", "item_category", "number")
    )
    notifications = (
        Notification.objects.filter(recipient_id=actor.user_id, read_at__isnull=True)
        .annotate(item_category=F("category"), item_source=Value(NOTIFICATION, output_field=CharField()))
        .order_by()
        .values("item_source", "household_id", "item_category")
        .annotate(number=Count("pk"))
        .values_list("item_source", "household_id", "item_category", "number")
    )
    total = 0
    for source, household_id, category, number in notifications.union(reminders, all=True):
        if source == NOTIFICATION:
            seen = household_id is None or (household_id, category) in granted
        else:
            seen = {(household_id, GENERAL), (household_id, category)} <= granted
        total += number if seen else 0
    return total


def email_choice(user_id: int | None) -> str:
    """The person's e-mail choice (``EmailChoice``; ``NotificationPreference.DEFAULT_EMAIL`` when they never
    chose): one query."""
    chosen = NotificationPreference.objects.filter(user_id=user_id).values_list("email", flat=True).first()
    return chosen or NotificationPreference.DEFAULT_EMAIL.value
