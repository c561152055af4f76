"""Background work for meetings: the calendar invitation by e-mail, one task per participant and sequence.

``services`` enqueue ``send_meeting_invitation(participant_id, sequence)`` once the transaction has committed, for every
participant with an account whenever a meeting is planned, changed in a way a calendar must take over, or
cancelled. The task is idempotent: it first claims the participant's "sent" mark for that sequence with one
conditional UPDATE (``samen.operations.sends``), so a retried or duplicated task sends nothing twice, and a task for
an older sequence sends nothing at all (a newer invitation is on its way). The e-mail says as little as needed:
that there is a meeting, when, and a link; the .ics is attached. No household name, no agenda, no outcomes.
"""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from samen.meetings.calendar import CONTENT_TYPE, calendar_for, file_name, meeting_url, method_of
from samen.meetings.models import MeetingParticipant, MeetingStatus
from samen.operations.sends import SendMark


def _split(key: str) -> tuple[int, int]:
    participant_id, _sep, sequence = key.partition(":")
    return int(participant_id), int(sequence)


def _claim(key: str, now) -> int:
    participant_id, sequence = _split(key)
    return (
        MeetingParticipant.objects.filter(
            pk=participant_id, meeting__sequence=sequence, user__is_active=True, user__email__gt=""
        )
        .filter(Q(invited_sequence__isnull=True) | Q(invited_sequence__lt=sequence))
        .update(invited_sequence=sequence, invited_at=now)
    )


def _release(key: str, claimed_at) -> int:
    participant_id, _sequence = _split(key)
    return MeetingParticipant.objects.filter(pk=participant_id, invited_at=claimed_at).update(
        invited_sequence=None, invited_at=None
    )


INVITATION_SENT = SendMark(kind="meetings.invitation", claim=_claim, release=_release)


def invitation_message(participant) -> mail.EmailMessage:
    """The e-mail with the calendar invitation (or its update, or the cancellation) for ``participant``."""
    meeting = participant.meeting
    moment = timezone.localtime(meeting.starts_at)
    when = formats.date_format(moment, "l j F Y, H:i")
    day = formats.date_format(moment, "j F Y")
    cancelled = meeting.status == MeetingStatus.CANCELLED
    if cancelled:
        subject = _("Cancelled: the meeting of %(date)s") % {"date": day}
    elif meeting.sequence > 0:
        subject = _("Changed: the meeting of %(date)s") % {"date": day}
    else:
        subject = _("Invitation: a meeting on %(date)s") % {"date": day}
    body = render_to_string(
        "meetings/email/invitation.txt",
        {
            "name": participant.name,
            "when": when,
            "cancelled": cancelled,
            "changed": meeting.sequence > 0 and not cancelled,
            "link": meeting_url(meeting),
        },
    )
    message = mail.EmailMessage(subject=subject, body=body, to=[participant.user.email])
    everyone = list(MeetingParticipant.objects.filter(meeting=meeting).select_related("user"))
    message.attach(
        file_name(meeting),
        calendar_for(meeting, everyone),
        f"{CONTENT_TYPE}; method={method_of(meeting)}",
    )
    return message


@task()
def send_meeting_invitation(participant_id: int, sequence: int) -> bool:
    """E-mail ``participant_id`` the calendar invitation of ``sequence`` of their meeting, once. Nothing when the
    meeting has a newer sequence, the person has no active account or e-mail address, or it was sent already."""
    with INVITATION_SENT.once(f"{participant_id}:{sequence}") as claimed:
        if not claimed:
            return False
        participant = MeetingParticipant.objects.select_related("meeting__created_by", "user").get(pk=participant_id)
        with translation.override(settings.LANGUAGE_CODE):
            message = invitation_message(participant)
        message.send()
    return True
