"""Background work for the notification centre: the daily job and the e-mails.

- ``send_notification_email``: enqueued by ``services.notify`` with ``transaction.on_commit`` for each person who
  got a new notification and wants e-mail at once (``EmailChoice.IMMEDIATELY``).
- ``send_reminder_digest``: the daily e-mail, enqueued by the daily job (``services.create_due_reminders``) for
  each person who got new reminders or who waits for their daily digest of notifications (``EmailChoice.DAILY``,
  the default): how many new reminders and notifications there are.

Both are idempotent: they first claim that person's unread rows that were not mentioned in an e-mail yet
(``emailed_at``) with one conditional UPDATE per kind of row, so a retried or duplicated task sends nothing twice;
if sending fails the claim is released for the next attempt (``samen.operations.sends``: a worker that dies while
sending makes the task fail visibly instead of sending twice). A notification is claimed only while the person may
see it now (``policies.notifications_visible_to_person``): one about a category they may no longer see is never
mentioned. Nobody with ``EmailChoice.NEVER`` gets any of these e-mails. The e-mails say as little as needed: how
many things wait, and a link to the notification centre. No household, no name, no text: the details are in
Samen, behind the login.
"""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext
from django_tasks import task

from samen.accounts.models import User
from samen.households.tasks import site_url
from samen.operations.sends import SendMark
from samen.reminders.models import EmailChoice, Notification, NotificationPreference, Reminder
from samen.reminders.policies import notifications_visible_to_person


def centre_link() -> str:
    """The notification centre, as a link in an e-mail."""
    return site_url(reverse("reminders:list"))


def digest_message(user: User, count: int, notifications: int = 0) -> mail.EmailMessage:
    """The daily e-mail telling ``user`` they have ``count`` new reminders and ``notifications`` new notifications:
    the numbers and the link, nothing else."""
    if notifications:
        total = count + notifications
        subject = ngettext(
            "%(count)d new notification is waiting for you in Samen",
            "%(count)d new notifications are waiting for you in Samen",
            total,
        ) % {"count": total}
        template = "reminders/email/daily.txt"
    else:
        subject = ngettext("You have %(count)d reminder in Samen", "You have %(count)d reminders in Samen", count) % {
            "count": count
        }
        template = "reminders/email/digest.txt"
    context = {"count": count, "notifications": notifications, "link": centre_link()}
    return mail.EmailMessage(subject=subject, body=render_to_string(template, context), to=[user.email])


def notification_message(user: User, count: int) -> mail.EmailMessage:
    """The e-mail telling ``user`` at once that ``count`` new notifications wait: the number and the link only."""
    subject = ngettext(
        "You have %(count)d new notification in Samen", "You have %(count)d new notifications in Samen", count
    ) % {"count": count}
    body = render_to_string("reminders/email/notification.txt", {"count": count, "link": centre_link()})
    return mail.EmailMessage(subject=subject, body=body, to=[user.email])


def _chooses(user_id, *choices: EmailChoice) -> Exists:
    return Exists(NotificationPreference.objects.filter(user_id=user_id, email__in=[c.value for c in choices]))


def _claim_notifications(key: str, now, *, immediately: bool) -> int:
    """Mark the person's unread notifications that no e-mail mentioned yet and that they may see now as e-mailed
    (one UPDATE): for the e-mail at once only when they chose it, for the daily one unless they chose never."""
    user_id = int(key)
    preference = _chooses(user_id, EmailChoice.IMMEDIATELY) if immediately else ~_chooses(user_id, EmailChoice.NEVER)
    visible = notifications_visible_to_person(user_id, now=now).filter(emailed_at__isnull=True, read_at__isnull=True)
    return (
        Notification.objects.filter(preference, pk__in=visible.values("pk"), recipient__is_active=True)
        .order_by()
        .update(emailed_at=now)
    )


def _release_notifications(key: str, claimed_at) -> int:
    return Notification.objects.filter(recipient_id=key, emailed_at=claimed_at).update(emailed_at=None)


DIGEST_SENT = SendMark(
    kind="reminders.digest",
    claim=lambda key, now: Reminder.objects.filter(
        ~_chooses(OuterRef("recipient_id"), EmailChoice.NEVER),
        recipient_id=key,
        recipient__is_active=True,
        emailed_at__isnull=True,
        read_at__isnull=True,
    ).update(emailed_at=now),
    release=lambda key, claimed_at: Reminder.objects.filter(recipient_id=key, emailed_at=claimed_at).update(
        emailed_at=None
    ),
)
NOTIFICATIONS_IN_DIGEST = SendMark(
    kind="reminders.daily_notifications",
    claim=lambda key, now: _claim_notifications(key, now, immediately=False),
    release=_release_notifications,
)
NOTIFICATION_SENT = SendMark(
    kind="reminders.notification",
    claim=lambda key, now: _claim_notifications(key, now, immediately=True),
    release=_release_notifications,
)


@task()
def send_reminder_digest(user_id: int) -> int:
    """The daily e-mail: tell ``user_id`` how many new reminders and notifications they have (those not mentioned
    before, still unread and, for a notification, still visible to them). Once; nothing for a blocked account or
    someone who chose never. Returns how many things the e-mail mentioned (0: none sent)."""
    with DIGEST_SENT.once(user_id) as reminders, NOTIFICATIONS_IN_DIGEST.once(user_id) as notifications:
        if not reminders and not notifications:
            return 0
        user = User.objects.get(pk=user_id)
        with translation.override(settings.LANGUAGE_CODE):
            message = digest_message(user, reminders, notifications)
        message.send()
    return reminders + notifications


@task()
def send_notification_email(user_id: int) -> int:
    """Tell ``user_id`` at once that new notifications wait (those not mentioned before, still unread and visible
    to them), when they chose e-mail at once. Once. Returns how many notifications the e-mail mentioned (0: none
    sent)."""
    with NOTIFICATION_SENT.once(user_id) as claimed:
        if not claimed:
            return 0
        user = User.objects.get(pk=user_id)
        with translation.override(settings.LANGUAGE_CODE):
            message = notification_message(user, claimed)
        message.send()
    return claimed


@task()
def run_daily_reminders() -> dict[str, int]:
    """The daily job as a background task (the same as ``manage.py send_reminders``)."""
    from samen.reminders.services import create_due_reminders

    result = create_due_reminders()
    return {"created": result.created, "recipients": result.recipients, "digests": result.digests}
