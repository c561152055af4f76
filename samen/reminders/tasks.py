"""Background work for reminders: the daily job, and one e-mail per person with the number of new reminders.

``services.create_due_reminders`` enqueues ``send_reminder_digest`` with ``transaction.on_commit``, once per
person who got something new. The task is idempotent: it first claims that person's unread reminders that were
not mentioned in an e-mail yet (``emailed_at``) with one conditional UPDATE, so a retried or duplicated task
sends nothing twice; if sending fails the claim is released for the next attempt (``samen.operations.sends``: a
worker that dies while sending makes the task fail visibly instead of sending twice). The e-mail says as little as
needed: how many reminders, and a link. No household, no action, no goal: the details are in Samen, behind the
login.
"""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext
from django_tasks import task

from samen.accounts.models import User
from samen.households.tasks import site_url
from samen.operations.sends import SendMark
from samen.reminders.models import Reminder


def digest_message(user: User, count: int) -> mail.EmailMessage:
    """The e-mail telling ``user`` they have ``count`` new reminders: the number and the link, nothing else."""
    subject = ngettext("You have %(count)d reminder in Samen", "You have %(count)d reminders in Samen", count) % {
        "count": count
    }
    body = render_to_string("reminders/email/digest.txt", {"count": count, "link": site_url(reverse("reminders:list"))})
    return mail.EmailMessage(subject=subject, body=body, to=[user.email])


DIGEST_SENT = SendMark(
    kind="reminders.digest",
    claim=lambda key, now: Reminder.objects.filter(
        recipient_id=key, recipient__is_active=True, emailed_at__isnull=True, read_at__isnull=True
    ).update(emailed_at=now),
    release=lambda key, claimed_at: Reminder.objects.filter(recipient_id=key, emailed_at=claimed_at).update(
        emailed_at=None
    ),
)


@task()
def send_reminder_digest(user_id: int) -> int:
    """E-mail ``user_id`` how many new reminders they have (those not mentioned before and still unread). Once;
    nothing for a blocked account. Returns how many reminders the e-mail mentioned (0: none sent)."""
    with DIGEST_SENT.once(user_id) as claimed:
        if not claimed:
            return 0
        user = User.objects.get(pk=user_id)
        with translation.override(settings.LANGUAGE_CODE):
            message = digest_message(user, claimed)
        message.send()
    return claimed


@task()
def run_daily_reminders() -> dict[str, int]:
    """The daily job as a background task (the same as ``manage.py send_reminders``)."""
    from samen.reminders.services import create_due_reminders

    result = create_due_reminders()
    return {"created": result.created, "recipients": result.recipients}
