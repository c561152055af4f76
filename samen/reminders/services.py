"""Writing reminders. These services are the only writers of ``samen.reminders.models``; each checks the policy
and writes its audit entry in the same transaction.

The daily job (``create_due_reminders``) works set-based: due actions and evaluations are read in batches, and
for each batch a fixed number of queries loads who is around those households and what they may see
(``policies.RecipientFacts``), so the number of queries grows with the number of things due divided by the batch
size, never with the number of households or people. It writes one audit entry per run, and after the commit
enqueues one e-mail per person who got something new (``tasks.send_reminder_digest``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from samen.consent.models import DataCategory
from samen.core import audit
from samen.core.actor import SYSTEM, Actor
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.core.transactions import atomic_service
from samen.households.models import TeamRole
from samen.plans.models import Action, ActionStatus, EvaluationMoment
from samen.reminders import tasks
from samen.reminders.models import Reminder, ReminderKind
from samen.reminders.policies import (
    CITIZEN,
    OPEN_GOAL_STATUSES,
    PROFESSIONAL,
    SUPPORTER,
    Audience,
    RecipientFacts,
    reminders_visible_to,
)

# An open action is reminded from this many days before its due date ...
ACTION_DAYS_AHEAD = 3
# ... and, when the job missed a day, still up to this many days after it. One reminder per due date: an action
# overdue for longer is not brought up again (its owner and the team see it in the plan).
ACTION_DAYS_OVERDUE = 30
# An evaluation moment without an outcome is reminded from this many days before its date until that date.
EVALUATION_DAYS_AHEAD = 7
# Due things are handled this many at a time (each batch: a fixed number of queries).
BATCH_SIZE = 500


@dataclass(frozen=True, slots=True)
class Due:
    """Something due in a household's current plan."""

    kind: ReminderKind
    pk: int
    household_id: int
    category: str
    due_date: datetime.date
    owner_member_id: int | None = None
    owner_place_id: int | None = None
    owner_organisation_id: int | None = None


@dataclass(frozen=True)
class ReminderRun:
    created: int  # new reminders
    recipients: int  # people with something new: one e-mail each


def _batches(queryset, row) -> Iterator[list[Due]]:
    """``queryset`` (``values_list`` starting with the pk) in pk order, ``BATCH_SIZE`` rows at a time."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH_SIZE])
        if not rows:
            return
        last = rows[-1][0]
        yield [row(*values) for values in rows]


def due_actions(today: datetime.date, household_ids: Iterable[int] | None = None) -> Iterator[list[Due]]:
    """Open actions of open goals in current plans, due from ``ACTION_DAYS_OVERDUE`` days ago up to
    ``ACTION_DAYS_AHEAD`` days from ``today``, in batches."""
    actions = Action.objects.filter(
        status=ActionStatus.OPEN,
        due_date__gte=today - datetime.timedelta(days=ACTION_DAYS_OVERDUE),
        due_date__lte=today + datetime.timedelta(days=ACTION_DAYS_AHEAD),
        goal__status__in=OPEN_GOAL_STATUSES,
        goal__plan__is_current=True,
    )
    if household_ids is not None:
        actions = actions.filter(goal__plan__household_id__in=list(household_ids))
    rows = actions.values_list(
        "pk",
        "goal__plan__household_id",
        "goal__category",
        "due_date",
        "owner_member_id",
        "owner_team_member_id",
        "owner_organisation_id",
    )

    def row(pk, household_id, category, due_date, member_id, place_id, organisation_id) -> Due:
        return Due(ReminderKind.ACTION_DUE, pk, household_id, category, due_date, member_id, place_id, organisation_id)

    return _batches(rows, row)


def due_evaluations(today: datetime.date, household_ids: Iterable[int] | None = None) -> Iterator[list[Due]]:
    """Evaluation moments of current plans without an outcome, from ``today`` up to ``EVALUATION_DAYS_AHEAD``
    days ahead, in batches."""
    evaluations = EvaluationMoment.objects.filter(
        outcome="",
        date__gte=today,
        date__lte=today + datetime.timedelta(days=EVALUATION_DAYS_AHEAD),
        plan__is_current=True,
    )
    if household_ids is not None:
        evaluations = evaluations.filter(plan__household_id__in=list(household_ids))
    rows = evaluations.values_list("pk", "plan__household_id", "date")

    def row(pk, household_id, date) -> Due:
        return Due(ReminderKind.EVALUATION_DUE, pk, household_id, DataCategory.GENERAL.value, date)

    return _batches(rows, row)


def _audiences(due: Due, facts: RecipientFacts) -> Iterator[Audience]:
    """Who hears about ``due``, each in the capacity in which they would see it.

    An action of a household member: their account and their representatives in force. Of someone in the team:
    that person, while they are in it. Of an organisation: its professionals in the household's team. An
    evaluation moment: the coordinator and the household's members with an account."""
    household_id = due.household_id
    if due.kind == ReminderKind.EVALUATION_DUE:
        for place in facts.team(household_id):
            if place.is_coordinator:
                yield Audience(place.user_id, household_id, PROFESSIONAL, place.organisation_id)
        for user_id in facts.accounts_in(household_id):
            yield Audience(user_id, household_id, CITIZEN)
        return
    for user_id in [*facts.accounts_of_member(due.owner_member_id), *facts.representatives_of(due.owner_member_id)]:
        yield Audience(user_id, household_id, CITIZEN)
    place = facts.place(due.owner_place_id)
    if place is not None and place.household_id == household_id:
        if place.role == TeamRole.PROFESSIONAL:
            yield Audience(place.user_id, household_id, PROFESSIONAL, place.organisation_id)
        elif place.role == TeamRole.SUPPORTER:
            yield Audience(place.user_id, household_id, SUPPORTER, place.organisation_id)
        else:
            yield Audience(place.user_id, household_id, CITIZEN)
    if due.owner_organisation_id is not None:
        for place in facts.team(household_id):
            if place.organisation_id == due.owner_organisation_id and place.role == TeamRole.PROFESSIONAL:
                yield Audience(place.user_id, household_id, PROFESSIONAL, place.organisation_id)


def _existing(batch: list[Due]) -> set[tuple[str, int, int, datetime.date]]:
    """The reminders that already exist for this batch, as ``(kind, target, recipient, date)`` (one query)."""
    actions = [due.pk for due in batch if due.kind == ReminderKind.ACTION_DUE]
    evaluations = [due.pk for due in batch if due.kind == ReminderKind.EVALUATION_DUE]
    rows = Reminder.objects.filter(Q(action_id__in=actions) | Q(evaluation_id__in=evaluations))
    return {
        (kind, action_id or evaluation_id, recipient_id, due_date)
        for kind, action_id, evaluation_id, recipient_id, due_date in rows.order_by().values_list(
            "kind", "action_id", "evaluation_id", "recipient_id", "due_date"
        )
    }


def due_reminders(
    today: datetime.date, *, household_ids: Iterable[int] | None = None, now: datetime.datetime | None = None
) -> Iterator[list[Reminder]]:
    """The reminders the daily job would add for ``today`` (unsaved, in batches): for everything due, for everyone
    who should hear about it and may see it now (``RecipientFacts.sees``: the rule of ``plans.view_goal``), that
    does not exist yet. Writes nothing. ``household_ids`` limits it to those households (the demo)."""
    now = now or timezone.now()
    ids = sorted(set(household_ids)) if household_ids is not None else None
    for batches in (due_actions(today, ids), due_evaluations(today, ids)):
        for batch in batches:
            facts = RecipientFacts.load({due.household_id for due in batch}, now=now)
            existing = _existing(batch)
            new: dict[tuple, Reminder] = {}
            for due in batch:
                for audience in _audiences(due, facts):
                    key = (due.kind.value, due.pk, audience.user_id, due.due_date)
                    if key in existing or key in new or not facts.sees(audience, due.category):
                        continue
                    new[key] = Reminder(
                        recipient_id=audience.user_id,
                        household_id=due.household_id,
                        kind=due.kind,
                        action_id=due.pk if due.kind == ReminderKind.ACTION_DUE else None,
                        evaluation_id=due.pk if due.kind == ReminderKind.EVALUATION_DUE else None,
                        due_date=due.due_date,
                        created_at=now,
                    )
            if new:
                yield list(new.values())


@atomic_service
def create_due_reminders(*, today: datetime.date | None = None, actor: Actor = SYSTEM) -> ReminderRun:
    """The daily job: add the reminders that are due today (see ``due_reminders``), write one audit entry, and
    after the commit enqueue one e-mail per person who got something new. Running it again the same day adds
    nothing and sends nothing."""
    require(actor, "reminders.create_due")
    now = timezone.now()
    today = today or timezone.localdate(now)
    created = 0
    recipients: set[int] = set()
    for batch in due_reminders(today, now=now):
        # ``ignore_conflicts``: a run at the same moment may have added the same reminder; the unique constraints
        # keep one. (The batch left out what existed already, so the counts below are what this run added.)
        Reminder.objects.bulk_create(batch, ignore_conflicts=True)
        created += len(batch)
        recipients.update(reminder.recipient_id for reminder in batch)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=Reminder._meta.label_lower,
        purpose=AuditPurpose.OPERATIONS,
        description=f"due reminders for {today.isoformat()}: {created} added for {len(recipients)} people",
        changes={"date": today.isoformat(), "created": created, "recipients": len(recipients)},
    )
    for user_id in sorted(recipients):
        transaction.on_commit(partial(tasks.send_reminder_digest.enqueue, user_id), robust=True)
    return ReminderRun(created=created, recipients=len(recipients))


@atomic_service
def reminder_mark_read(*, actor: Actor, reminder: Reminder) -> Reminder:
    """The recipient has seen the reminder. Marking it again changes nothing (and writes no second entry)."""
    require(actor, "reminders.mark_read", reminder)
    now = timezone.now()
    changed = Reminder.objects.filter(pk=reminder.pk, read_at__isnull=True).update(read_at=now)
    if changed:
        reminder.read_at = now
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=reminder,
            purpose=AuditPurpose.OPERATIONS,
            description="reminder marked as read",
        )
    else:
        reminder.refresh_from_db(fields=["read_at"])
    return reminder


@atomic_service
def reminders_mark_all_read(*, actor: Actor) -> int:
    """Mark every unread reminder the actor sees now as read (one UPDATE); returns how many. Reminders they may
    not see now (consent revoked) stay as they are."""
    require(actor, "reminders.view_list")
    now = timezone.now()
    unread = reminders_visible_to(actor, now=now).filter(read_at__isnull=True).values("pk")
    changed = Reminder.objects.filter(pk__in=unread).update(read_at=now)
    if changed:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type=Reminder._meta.label_lower,
            purpose=AuditPurpose.OPERATIONS,
            description="all reminders marked as read",
            changes={"count": changed},
        )
    return changed
