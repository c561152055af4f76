"""``manage.py send_reminders``: runs the daily job and says how many reminders and e-mails."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from samen.reminders.models import Reminder
from samen.reminders.tests.conftest import G, member_of, place_of

pytestmark = pytest.mark.django_db


def send_reminders(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_the_command_runs_the_job_once(
    setting, due_action, due_evaluation, mailoutbox, django_capture_on_commit_callbacks
):
    due_action(member=member_of(setting, setting.citizen))
    due_action(G.FINANCES, place=place_of(setting, setting.professional))
    due_evaluation(days=6)
    with django_capture_on_commit_callbacks(execute=True):
        output = send_reminders()
    assert output == "4 reminder(s) created; 3 e-mail(s) queued for the background worker.\n"
    assert len(mailoutbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders().startswith("0 reminder(s) created; 0 e-mail(s) queued")
    assert len(mailoutbox) == 3


def test_the_command_runs_for_another_date(setting, due_action):
    action = due_action(member=member_of(setting, setting.citizen), days=20)
    day = action.due_date.isoformat()
    assert send_reminders("--date", day).startswith("1 reminder(s) created")
    assert Reminder.objects.get().due_date == action.due_date


@pytest.mark.parametrize("bad", ["tomorrow", "2026-13-01", "<script>", "1-1-2026"])
def test_a_bad_date_is_a_clear_message(db, bad):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        send_reminders("--date", bad)
    assert not Reminder.objects.exists()
