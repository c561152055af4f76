"""Writing reminders and notifications. These services are the only writers of ``samen.reminders.models``; each
checks the policy and writes its audit entry in the same transaction.

``notify`` is how every other part of Samen tells a person that something needs them (a mention, a message, a
signal, a referral, a meeting); it runs in the caller's transaction.

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
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from samen.accounts.models import User
from samen.consent.models import DataCategory
from samen.consent.policies import parse_id
from samen.core import audit
from samen.core.actor import SYSTEM, Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.core.transactions import atomic_service
from samen.households.models import TeamRole
from samen.plans.models import Action, ActionStatus, EvaluationMoment
from samen.reminders import kinds, tasks
from samen.reminders.models import (
    GROUP_KEY_MAX_LENGTH,
    URL_MAX_LENGTH,
    EmailChoice,
    Notification,
    NotificationKind,
    NotificationPreference,
    Reminder,
    ReminderKind,
)
from samen.reminders.policies import (
    CITIZEN,
    OPEN_GOAL_STATUSES,
    PROFESSIONAL,
    SUPPORTER,
    Audience,
    RecipientFacts,
    notifications_visible_to,
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
    recipients: int  # people with new reminders: one e-mail each
    digests: int = 0  # besides them, people who wait for their daily digest of notifications: one e-mail each


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


def daily_digest_recipients() -> set[int]:
    """The people with an active account who want the daily digest (``EmailChoice.DAILY``, also when they never
    chose) and have unread notifications that no e-mail mentioned yet (one query). Whether they may still see them
    is decided by the e-mail task, which then mentions only those."""
    chosen_otherwise = NotificationPreference.objects.filter(
        user_id=OuterRef("recipient_id"), email__in=[EmailChoice.IMMEDIATELY.value, EmailChoice.NEVER.value]
    )
    waiting = Notification.objects.filter(
        ~Exists(chosen_otherwise), emailed_at__isnull=True, read_at__isnull=True, recipient__is_active=True
    )
    return set(waiting.order_by().values_list("recipient_id", flat=True).distinct())


@atomic_service
def create_due_reminders(*, today: datetime.date | None = None, actor: Actor = SYSTEM) -> ReminderRun:
    """The daily job: add the reminders that are due today (see ``due_reminders``), write one audit entry, and
    after the commit enqueue one e-mail per person who got something new or who waits for their daily digest of
    notifications (``daily_digest_recipients``). Running it again the same day adds no reminders and sends nothing,
    unless notifications came in between."""
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
    digests = daily_digest_recipients() - recipients
    for user_id in sorted(recipients | digests):
        transaction.on_commit(partial(tasks.send_reminder_digest.enqueue, user_id), robust=True)
    return ReminderRun(created=created, recipients=len(recipients), digests=len(digests))


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


# --- notifications -------------------------------------------------------------------------------------------


def clean_url(url: Any) -> str:
    """``url`` if it is a local path ("/huishoudens/12/gesprekken/3/#bericht-9"): one leading "/", no scheme, no
    host, no spaces, backslashes or control characters. ``ValidationError`` otherwise."""
    if (
        not isinstance(url, str)
        or not url.startswith("/")
        or url.startswith("//")
        or len(url) > URL_MAX_LENGTH
        or "\\" in url
        or any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in url)
    ):
        raise ValidationError({"url": "A local path starting with one /."}, code="bad_url")
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        raise ValidationError({"url": "A local path starting with one /."}, code="bad_url")
    return url


def _clean_params(kind: NotificationKind, params: Any) -> dict[str, str]:
    params = dict(params or {})
    needed = kinds.PARAMS[kind]
    if set(params) != needed:
        raise ValidationError(
            {"params": f"A {kind.value} notification needs exactly: {sorted(needed)}."}, code="bad_params"
        )
    try:
        return {name: kinds.clean_param(name, value) for name, value in sorted(params.items())}
    except ValueError as error:
        raise ValidationError({"params": str(error)}, code="bad_params") from None


def _recipient_ids(recipients: Iterable[Any], *, skip: int | None) -> list[int]:
    if isinstance(recipients, str | bytes | int):
        raise ValidationError({"recipients": "A list of user ids."}, code="bad_recipients")
    ids: set[int] = set()
    for value in recipients:
        pk = parse_id(value) if not isinstance(value, User) else value.pk
        if pk is None:
            raise ValidationError({"recipients": "A list of user ids."}, code="bad_recipients")
        if pk != skip:
            ids.add(pk)
    return sorted(ids)


def _notify_purpose(actor: Actor) -> AuditPurpose:
    if actor.user_id is None:
        return AuditPurpose.OPERATIONS
    return AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


@dataclass(frozen=True)
class Written:
    """What ``write_notifications`` did: the recipients (user id -> their e-mail choice, None when they never
    chose), the new lines and the recipients whose unread line was bumped."""

    people: dict[int, str | None]
    new: list[Notification]
    bumped: set[int]


def write_notifications(
    *,
    skip: int | None,
    recipients: Iterable[int],
    household_id: int | None,
    kind: NotificationKind | str,
    category: DataCategory | str,
    url: str,
    params: dict | None = None,
    group_key: str = "",
    now: datetime.datetime | None = None,
) -> Written:
    """The rows of ``notify``, checked the same way, without the policy check, the audit entry and the e-mails:
    for ``notify`` and for the demo generator (whose run writes one audit entry of its own and sends nothing).
    Skips ``skip`` (the actor), duplicates and accounts that are blocked or do not exist."""
    try:
        kind = NotificationKind(kind)
    except ValueError:
        raise ValidationError({"kind": "Unknown notification kind."}, code="unknown_kind") from None
    try:
        category = DataCategory(category)
    except ValueError:
        raise ValidationError({"category": "Unknown data category."}, code="unknown_category") from None
    url = clean_url(url)
    params = _clean_params(kind, params)
    if not isinstance(group_key, str) or len(group_key) > GROUP_KEY_MAX_LENGTH or group_key != group_key.strip():
        raise ValidationError({"group_key": "At most 100 characters, no spaces around."}, code="bad_group_key")
    if household_id is not None:
        household_id = parse_id(household_id)
        if household_id is None:
            raise ValidationError({"household_id": "A household id or None."}, code="bad_household")
    ids = _recipient_ids(recipients, skip=skip)
    if not ids:
        return Written({}, [], set())
    preference = NotificationPreference.objects.filter(user_id=OuterRef("pk")).values("email")[:1]
    people = dict(
        User.objects.filter(pk__in=ids, is_active=True)
        .annotate(email_choice=Subquery(preference))
        .order_by()
        .values_list("pk", "email_choice")
    )
    if not people:
        return Written({}, [], set())
    now = now or timezone.now()
    fields = {"household_id": household_id, "kind": kind.value, "category": category.value, "url": url}
    bumped: set[int] = set()
    if group_key:
        unread = Notification.objects.filter(recipient_id__in=sorted(people), group_key=group_key, read_at__isnull=True)
        rows = dict(unread.select_for_update(no_key=True).order_by("pk").values_list("pk", "recipient_id"))
        if rows:
            Notification.objects.filter(pk__in=sorted(rows)).update(
                count=F("count") + 1, updated_at=now, params=params, **fields
            )
            bumped = set(rows.values())
    new = [
        Notification(recipient_id=user_id, group_key=group_key, params=params, created_at=now, updated_at=now, **fields)
        for user_id in sorted(people)
        if user_id not in bumped
    ]
    # ``ignore_conflicts``: another transaction may just have added the unread line of the same group; the unique
    # constraint keeps one (that one then counts one less).
    Notification.objects.bulk_create(new, ignore_conflicts=bool(group_key))
    return Written(people, new, bumped)


@atomic_service
def notify(
    *,
    actor: Actor,
    recipients: Iterable[int],
    household_id: int | None,
    kind: NotificationKind | str,
    category: DataCategory | str,
    url: str,
    params: dict | None = None,
    group_key: str = "",
) -> int:
    """Tell each recipient (user ids) that something needs them; returns how many recipients got one (a new line or
    a bumped one).

    Runs in the caller's transaction: call it from your service, after your own writes. Skips the actor themself,
    duplicates and accounts that are blocked or do not exist. ``kind`` says what happened and ``params`` are exactly
    the facts its sentence needs (``kinds.PARAMS``: a name, an organisation, a date), never case content.
    ``category`` is the data category of what it is about: the list checks again when it is read that the recipient
    may still see that category of that household (a revoked consent hides it everywhere, e-mail included).
    ``household_id`` None: not about a household (the network facilitator's escalations); shown to the recipient
    only. ``url`` is the local path to open (one leading "/", no scheme or host). ``group_key`` (such as
    ``"thread:12"``): a recipient who has an unread notification with the same key gets no new line; that one is
    bumped (count + 1, the newest time, kind, facts and link). Each recipient who wants e-mail at once gets it
    through the background worker after the commit (``tasks.send_notification_email``): only that something waits
    in Samen and a link to the notification centre. Writes one audit entry (none when nobody got anything).
    ``ValidationError`` for a kind, category, link, key or facts that are not right."""
    require(actor, "reminders.notify")
    written = write_notifications(
        skip=actor.user_id,
        recipients=recipients,
        household_id=household_id,
        kind=kind,
        category=category,
        url=url,
        params=params,
        group_key=group_key,
    )
    if not written.people:
        return 0
    kind, category = NotificationKind(kind), DataCategory(category)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=Notification._meta.label_lower,
        household_id=parse_id(household_id) if household_id is not None else None,
        data_category=category.value,
        purpose=_notify_purpose(actor),
        description=f"notification ({kind.value}) for {len(written.people)} people",
        changes={
            "kind": kind.value,
            "recipients": sorted(written.people),
            "new": len(written.new),
            "bumped": len(written.bumped),
        },
    )
    for notification in written.new:
        if written.people[notification.recipient_id] == EmailChoice.IMMEDIATELY:
            send = partial(tasks.send_notification_email.enqueue, notification.recipient_id)
            transaction.on_commit(send, robust=True)
    return len(written.people)


@atomic_service
def notification_mark_read(*, actor: Actor, notification: Notification) -> Notification:
    """The recipient has seen the notification. Marking it again changes nothing (and writes no second entry)."""
    require(actor, "reminders.mark_notification_read", notification)
    now = timezone.now()
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    if changed:
        notification.read_at = now
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=notification,
            purpose=AuditPurpose.OPERATIONS,
            description="notification marked as read",
        )
    else:
        notification.refresh_from_db(fields=["read_at"])
    return notification


@atomic_service
def centre_mark_all_read(*, actor: Actor) -> int:
    """Mark every unread notification and reminder the actor sees now as read (one UPDATE per table); returns how
    many. Those they may not see now (consent revoked) stay as they are. One audit entry."""
    require(actor, "reminders.view_list")
    now = timezone.now()
    notifications = notifications_visible_to(actor, now=now).filter(read_at__isnull=True).values("pk")
    changed = Notification.objects.filter(pk__in=notifications).update(read_at=now)
    reminders = reminders_visible_to(actor, now=now).filter(read_at__isnull=True).values("pk")
    changed_reminders = Reminder.objects.filter(pk__in=reminders).update(read_at=now)
    if changed or changed_reminders:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type=Notification._meta.label_lower,
            purpose=AuditPurpose.OPERATIONS,
            description="all notifications and reminders marked as read",
            changes={"notifications": changed, "reminders": changed_reminders},
        )
    return changed + changed_reminders


@atomic_service
def notification_preference_set(*, actor: Actor, email: EmailChoice | str) -> NotificationPreference:
    """The actor's own choice of how to hear by e-mail that something waits: at once, once a day, or never."""
    require(actor, "reminders.change_preferences")
    try:
        email = EmailChoice(email)
    except ValueError:
        raise ValidationError({"email": "Unknown choice."}, code="unknown_choice") from None
    preference, created = NotificationPreference.objects.select_for_update(no_key=True).get_or_create(
        user_id=actor.user_id, defaults={"email": email.value}
    )
    if created:
        before = NotificationPreference.DEFAULT_EMAIL.value
    elif preference.email == email.value:
        return preference
    else:
        before = preference.email
        preference.email = email.value
        preference.updated_at = timezone.now()
        preference.save(update_fields=["email", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=preference,
        purpose=AuditPurpose.OPERATIONS,
        description="notification e-mail choice changed",
        changes={"email": [before, email.value]},
    )
    return preference
