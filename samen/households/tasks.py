"""Background work for households: the e-mails about a coordinator handover, a professional added to a team
and an invitation.

Services enqueue these with ``transaction.on_commit``, so a task never sees a change that was rolled
back. Tasks are idempotent: each first claims its row (``notified_at``, ``sent_at``) with one conditional
UPDATE, so a retried or duplicated task sends nothing twice; if sending fails the claim is released for
the next attempt. A worker that dies between the claim and the mail server's answer sends nothing twice
either: the task fails as "stopped while sending" for the functional administrator to decide
(``samen.operations.sends``). E-mails are plain text in plain Dutch, and say as little as needed: no
reasons, no case content; the details are in Samen, behind the login.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_tasks import task

from samen.accounts.models import User
from samen.households import tokens
from samen.households.models import CoordinatorHandover, Invitation, TeamMember, TeamRole
from samen.households.selectors import active_representations
from samen.operations.sends import SendMark

logger = logging.getLogger(__name__)


def _one_line(text: str) -> str:
    """Header-safe text (a subject never contains a line break)."""
    return " ".join(str(text).split())


def site_url(path: str = "/") -> str:
    return f"{settings.SAMEN_BASE_URL}{path}"


def invitation_url(token: str) -> str:
    return site_url(reverse("households:invitation_accept", kwargs={"token": token}))


def _message(*, subject: str, template: str, context: dict, to: str) -> mail.EmailMessage:
    body = render_to_string(f"households/email/{template}", {**context, "site_url": site_url()})
    return mail.EmailMessage(subject=_one_line(subject), body=body, to=[to])


def household_recipients(household_id: int) -> list[str]:
    """The e-mail addresses of the household: its members with an account and its representatives in force."""
    representatives = active_representations().filter(member__household_id=household_id).values("user_id")
    users = User.objects.filter(is_active=True).filter(
        Q(household_member__household_id=household_id) | Q(pk__in=representatives)
    )
    return sorted(set(users.values_list("email", flat=True)))


def handover_messages(handover: CoordinatorHandover) -> list[mail.EmailMessage]:
    """One e-mail to the new coordinator, one to the previous one (if any), one to each household address."""
    new, previous = handover.to_member, handover.from_member
    context = {
        "household": handover.household.name,
        "date": handover.occurred_at,
        "new_name": new.user.get_full_name(),
        "new_organisation": new.organisation.name,
        "previous_name": previous.user.get_full_name() if previous else "",
        "previous_organisation": previous.organisation.name if previous else "",
    }
    household = {"household": handover.household.name}
    messages = []
    if new.user.is_active:
        messages.append(
            _message(
                subject=gettext("You are now the coordinator of %(household)s") % household,
                template="handover_new_coordinator.txt",
                context=context,
                to=new.user.email,
            )
        )
    if previous is not None and previous.user.is_active:
        messages.append(
            _message(
                subject=gettext("You are no longer the coordinator of %(household)s") % household,
                template="handover_previous_coordinator.txt",
                context=context,
                to=previous.user.email,
            )
        )
    coordinators = {new.user.email, previous.user.email if previous else ""}
    for address in household_recipients(handover.household_id):
        if address not in coordinators:
            messages.append(
                _message(
                    subject=gettext("You have a new coordinator"),
                    template="handover_household.txt",
                    context=context,
                    to=address,
                )
            )
    return messages


HANDOVER_NOTIFIED = SendMark(
    kind="households.handover",
    claim=lambda key, now: CoordinatorHandover.objects.filter(pk=key, notified_at__isnull=True).update(
        notified_at=now
    ),
    release=lambda key, claimed_at: CoordinatorHandover.objects.filter(pk=key, notified_at=claimed_at).update(
        notified_at=None
    ),
)


@task()
def send_handover_notifications(handover_id: int) -> int:
    """Tell both coordinators and the household about a handover (or the first coordinator). Once."""
    with HANDOVER_NOTIFIED.once(handover_id) as claimed:
        if not claimed:
            return 0
        handover = CoordinatorHandover.objects.select_related(
            "household", "from_member__user", "from_member__organisation", "to_member__user", "to_member__organisation"
        ).get(pk=handover_id)
        with translation.override(settings.LANGUAGE_CODE):
            messages = handover_messages(handover)
        with mail.get_connection() as connection:
            return connection.send_messages(messages) or 0


def team_welcome_message(member: TeamMember) -> mail.EmailMessage:
    """The e-mail to a professional who was put in a household's team: no case content, only where to look."""
    household = {"household": member.household.name}
    return _message(
        subject=gettext("You are in the team around %(household)s") % household,
        template="team_welcome.txt",
        context={**household, "organisation": member.organisation.name},
        to=member.user.email,
    )


TEAM_WELCOMED = SendMark(
    kind="households.team_welcome",
    claim=lambda key, now: TeamMember.objects.filter(
        pk=key, role=TeamRole.PROFESSIONAL, left_at__isnull=True, notified_at__isnull=True, user__is_active=True
    ).update(notified_at=now),
    release=lambda key, claimed_at: TeamMember.objects.filter(pk=key, notified_at=claimed_at).update(
        notified_at=None
    ),
)


@task()
def send_team_welcome(member_id: int) -> bool:
    """Tell a professional that they were put in a household's team and that the household decides first. Once."""
    with TEAM_WELCOMED.once(member_id) as claimed:
        if not claimed:
            return False
        member = TeamMember.objects.select_related("user", "organisation", "household").get(pk=member_id)
        with translation.override(settings.LANGUAGE_CODE):
            message = team_welcome_message(member)
        message.send()
    return True


def invitation_message(invitation: Invitation) -> mail.EmailMessage | None:
    """The invitation e-mail with the link, or None when the token cannot be derived any more (new SECRET_KEY)."""
    token = tokens.invitation_token(invitation)
    if tokens.hash_token(token) != invitation.token_hash:
        return None
    inviter = invitation.invited_by.get_full_name()
    return _message(
        subject=gettext("%(inviter)s asks if you want to help") % {"inviter": inviter},
        template="invitation.txt",
        context={
            "name": invitation.name,
            "inviter": inviter,
            "link": invitation_url(token),
            "expires_at": invitation.expires_at,
        },
        to=invitation.email,
    )


INVITATION_SENT = SendMark(
    kind="households.invitation",
    claim=lambda key, now: Invitation.objects.filter(
        pk=key, sent_at__isnull=True, accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now
    ).update(sent_at=now),
    release=lambda key, claimed_at: Invitation.objects.filter(pk=key, sent_at=claimed_at).update(sent_at=None),
)


class InvitationLinkLost(Exception):  # noqa: N818 - says what happened
    """The invitation's link cannot be derived any more (SECRET_KEY changed?): nothing was sent."""


@task()
def send_invitation(invitation_id: int) -> bool:
    """E-mail an open invitation's link to the person invited. Once; not after it was withdrawn or expired."""
    try:
        with INVITATION_SENT.once(invitation_id) as claimed:
            if not claimed:
                return False
            invitation = Invitation.objects.select_related("invited_by").get(pk=invitation_id)
            with translation.override(settings.LANGUAGE_CODE):
                message = invitation_message(invitation)
            if message is None:
                raise InvitationLinkLost  # releases the claim: it was not sent
            message.send()
    except InvitationLinkLost:
        logger.warning("Invitation %s: the link cannot be derived any more (SECRET_KEY changed?)", invitation_id)
        return False
    return True
