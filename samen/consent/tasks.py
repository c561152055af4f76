"""Background work for consent: telling the household and its coordinator about an access without consent.

``break_the_glass_start`` enqueues the task with ``transaction.on_commit``, so it never sees an access that was
rolled back. The task is idempotent: it first claims the access (``notified_at``) with one conditional UPDATE,
so a retried or duplicated task sends nothing twice; if sending fails the claim is released for the next try (and a
worker that dies while sending makes the task fail visibly instead of sending twice: ``samen.operations.sends``).
The e-mails say as little as needed (the organisation and the period, no reason, no employee name): the details
are in Samen, behind the login.
"""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from samen.consent.models import BreakTheGlass
from samen.households.models import TeamMember
from samen.households.tasks import household_recipients, site_url
from samen.operations.sends import SendMark


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i")


def coordinator_addresses(household_id: int) -> list[str]:
    """The e-mail address of the household's active coordinator (none when there is none)."""
    return sorted(
        set(
            TeamMember.objects.filter(
                household_id=household_id, is_coordinator=True, left_at__isnull=True, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


def break_the_glass_messages(access: BreakTheGlass) -> list[mail.EmailMessage]:
    """One e-mail to the coordinator, one to each household address (members with an account, representatives)."""
    context = {
        "household": access.household.name,
        "organisation": access.organisation.name,
        "started": _moment(access.started_at),
        "until": _moment(access.expires_at),
        "link": site_url(reverse("consent:matrix", args=[access.household_id])),
    }
    messages = []
    coordinators = coordinator_addresses(access.household_id)
    for address in coordinators:
        messages.append(
            mail.EmailMessage(
                subject=" ".join(
                    (gettext("Emergency access to %(household)s") % {"household": access.household.name}).split()
                ),
                body=render_to_string("consent/email/break_the_glass_coordinator.txt", context),
                to=[address],
            )
        )
    for address in household_recipients(access.household_id):
        if address not in coordinators:
            messages.append(
                mail.EmailMessage(
                    subject=gettext("Someone looked at your information in an emergency"),
                    body=render_to_string("consent/email/break_the_glass_household.txt", context),
                    to=[address],
                )
            )
    return messages


BREAK_THE_GLASS_NOTIFIED = SendMark(
    kind="consent.break_the_glass",
    claim=lambda key, now: BreakTheGlass.objects.filter(pk=key, notified_at__isnull=True).update(notified_at=now),
    release=lambda key, claimed_at: BreakTheGlass.objects.filter(pk=key, notified_at=claimed_at).update(
        notified_at=None
    ),
)


@task()
def send_break_the_glass_notifications(access_id: int) -> int:
    """Tell the household and its coordinator that an access without consent started. Once."""
    with BREAK_THE_GLASS_NOTIFIED.once(access_id) as claimed:
        if not claimed:
            return 0
        access = BreakTheGlass.objects.select_related("household", "organisation").get(pk=access_id)
        with translation.override(settings.LANGUAGE_CODE):
            messages = break_the_glass_messages(access)
        with mail.get_connection() as connection:
            return connection.send_messages(messages) or 0
