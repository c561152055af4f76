"""The e-mail: one per person per run, after the commit, once, with the number and a link and nothing about the
household or the plan; a failed send is tried again later."""

from unittest import mock

import pytest
from django.utils import timezone

from samen.core.actor import SYSTEM
from samen.plans.models import Action
from samen.reminders import services, tasks
from samen.reminders.models import Reminder
from samen.reminders.tests.conftest import G, member_of, place_of

pytestmark = pytest.mark.django_db


def by_recipient(mailoutbox) -> dict:
    assert all(len(message.to) == 1 for message in mailoutbox)  # nobody sees anyone else's address
    return {message.to[0]: message for message in mailoutbox}


@pytest.fixture
def due(setting, due_action, due_evaluation):
    """Two actions of the citizen, one of the professional, and an evaluation (citizen and coordinator)."""
    citizen = member_of(setting, setting.citizen)
    return [
        due_action(G.FINANCES, member=citizen, text="Schuldeisers bellen over de energierekening"),
        due_action(G.GENERAL, member=citizen, days=-2),
        due_action(G.FINANCES, place=place_of(setting, setting.professional)),
        due_evaluation(days=4),
    ]


def test_one_e_mail_per_person_after_the_commit(setting, due, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = services.create_due_reminders()
    assert mailoutbox == []  # nothing is sent before the commit
    assert len(callbacks) == result.recipients == 3
    for callback in callbacks:
        callback()
    mails = by_recipient(mailoutbox)
    assert set(mails) == {setting.citizen.email, setting.professional.email, setting.coordinator.email}
    assert mails[setting.citizen.email].subject == "Je hebt 3 herinneringen in Samen"
    assert mails[setting.professional.email].subject == "Je hebt 1 herinnering in Samen"
    body = mails[setting.citizen.email].body
    assert "Je hebt 3 nieuwe herinneringen in Samen" in body
    assert "https://samen.example.nl/meldingen/" in body
    assert not Reminder.objects.filter(emailed_at__isnull=True).exists()


def test_the_e_mail_says_nothing_about_the_household_or_the_plan(
    setting, due, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.create_due_reminders()
    texts = [message.subject + message.body for message in mailoutbox]
    case_content = [
        setting.household.name,
        "Bakker",
        "Schuldeisers bellen over de energierekening",
        *Action.objects.values_list("text", flat=True),
        *Action.objects.values_list("goal__text", flat=True),
        "Schuldhulp Zuid",
        "Wijkteam Noord",
    ]
    for text in texts:
        for content in case_content:
            assert content not in text


def test_a_second_run_sends_nothing(setting, due, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.create_due_reminders()
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.create_due_reminders()
    assert callbacks == []
    assert len(mailoutbox) == sent


def test_a_duplicated_task_sends_once(setting, due, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.create_due_reminders(actor=SYSTEM)
    before = len(mailoutbox)
    assert tasks.send_reminder_digest.call(setting.citizen.pk) == 0
    assert len(mailoutbox) == before


def test_reminders_read_before_the_e_mail_are_not_counted(setting, due, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.create_due_reminders()
    Reminder.objects.filter(recipient=setting.citizen, evaluation__isnull=False).update(read_at=timezone.now())
    for callback in callbacks:
        callback()
    assert by_recipient(mailoutbox)[setting.citizen.email].subject == "Je hebt 2 herinneringen in Samen"


def test_a_blocked_account_gets_no_e_mail(setting, due, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.create_due_reminders()
    setting.professional.is_active = False
    setting.professional.save(update_fields=["is_active"])
    for callback in callbacks:
        callback()
    assert setting.professional.email not in by_recipient(mailoutbox)


def test_a_failed_send_is_tried_again(setting, due, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.create_due_reminders()
    down = mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionError("mail server down"))
    with down, pytest.raises(ConnectionError):
        tasks.send_reminder_digest.call(setting.citizen.pk)
    assert Reminder.objects.filter(recipient=setting.citizen, emailed_at__isnull=True).count() == 3
    assert tasks.send_reminder_digest.call(setting.citizen.pk) == 3
    assert by_recipient(mailoutbox)[setting.citizen.email].subject == "Je hebt 3 herinneringen in Samen"


def test_the_daily_job_as_a_task(setting, due, mailoutbox):
    result = tasks.run_daily_reminders.enqueue()
    assert result.return_value == {"created": 5, "recipients": 3, "digests": 0}
