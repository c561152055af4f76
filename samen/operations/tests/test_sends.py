"""At most once: a task that died while sending does not send again by itself, and says so."""

from __future__ import annotations

import pytest
from django.utils import timezone

from samen.households import tasks as household_tasks
from samen.households.models import Invitation
from samen.households.tests.factories import InvitationFactory
from samen.operations import runtime, sends
from samen.operations.models import PendingSend

pytestmark = pytest.mark.django_db


def die_while_sending(invitation: Invitation, task_id: str) -> None:
    """What a worker killed between the claim and the mail server's answer leaves behind: the claim, and the
    pending send of its task (written in one transaction, as ``SendMark.once`` does)."""
    claimed_at = timezone.now()
    assert household_tasks.INVITATION_SENT.claim(str(invitation.pk), claimed_at) == 1
    PendingSend.objects.create(
        kind="households.invitation", key=str(invitation.pk), task_id=task_id, claimed_at=claimed_at
    )


def test_the_same_task_run_again_after_dying_while_sending_fails_as_uncertain(mailoutbox):
    invitation = InvitationFactory()
    die_while_sending(invitation, "task-1")
    assert PendingSend.objects.filter(task_id="task-1", key=str(invitation.pk)).exists()

    with runtime.running("task-1"), pytest.raises(sends.DeliveryUncertain):
        household_tasks.send_invitation.call(invitation.pk)
    assert mailoutbox == []  # no duplicate


def test_another_task_for_the_same_invitation_sends_nothing_and_is_not_uncertain(mailoutbox):
    invitation = InvitationFactory()
    die_while_sending(invitation, "task-1")
    with runtime.running("task-2"):
        assert household_tasks.send_invitation.call(invitation.pk) is False
    assert mailoutbox == []


def test_releasing_the_pending_send_lets_a_new_task_send_once(mailoutbox):
    invitation = InvitationFactory()
    die_while_sending(invitation, "task-1")
    assert sends.release_pending("task-1") == 1
    assert Invitation.objects.get(pk=invitation.pk).sent_at is None
    assert not PendingSend.objects.exists()
    with runtime.running("task-3"):
        assert household_tasks.send_invitation.call(invitation.pk) is True
        assert household_tasks.send_invitation.call(invitation.pk) is False
    assert [message.to for message in mailoutbox] == [[invitation.email]]
    assert not PendingSend.objects.exists()  # the mail server took it: nothing pending


def test_a_failed_send_releases_the_claim_and_its_pending_row(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    invitation = InvitationFactory()
    with runtime.running("task-4"), pytest.raises(OSError):
        household_tasks.send_invitation.call(invitation.pk)
    assert Invitation.objects.get(pk=invitation.pk).sent_at is None
    assert not PendingSend.objects.exists()


def test_the_release_only_clears_the_claim_it_made():
    invitation = InvitationFactory()
    die_while_sending(invitation, "task-1")
    later = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=later)  # someone else's claim since
    sends.release_pending("task-1")
    assert Invitation.objects.get(pk=invitation.pk).sent_at == later
