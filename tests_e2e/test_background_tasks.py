"""The functional administrator's background tasks in a browser: an invitation e-mail failed (the mail server did
not answer, five times) and a reminder e-mail is stuck (its worker died). The administrator opens "Achtergrondtaken"
from the menu, reads what went wrong, and starts the failed one again. Every page is checked with axe and the
page checks at 1280 and 360 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD
from samen.households import tasks as household_tasks
from samen.households.tests.factories import InvitationFactory
from samen.organisations.tests.factories import MembershipFactory
from samen.reminders import tasks as reminder_tasks
from tests_e2e.helpers import check_page, log_in, main_menu, nl, nlp, one_run

pytestmark = pytest.mark.e2e


@pytest.fixture
def tasks_in_trouble(live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    admin = MembershipFactory(functional_admin=True, user__email="beheerder@example.test").user
    invitation = InvitationFactory(email="buurvrouw@example.test")
    failed = DBTaskResult.objects.get(pk=household_tasks.send_invitation.enqueue(invitation.pk).id)
    DBTaskResult.objects.filter(pk=failed.pk).update(
        status="FAILED",
        worker_ids=[f"w{n}" for n in range(5)],
        started_at=timezone.now() - timedelta(minutes=20),
        finished_at=timezone.now() - timedelta(minutes=15),
        exception_class_path="builtins.TimeoutError",
    )
    stuck = DBTaskResult.objects.get(pk=reminder_tasks.send_reminder_digest.enqueue(admin.pk).id)
    DBTaskResult.objects.filter(pk=stuck.pk).update(
        status="RUNNING", worker_ids=["gone"], started_at=timezone.now() - timedelta(hours=1)
    )
    return admin, failed


@one_run
def test_the_administrator_sees_a_failed_task_and_starts_it_again(page, tasks_in_trouble):
    admin, failed = tasks_in_trouble
    log_in(page, admin.email, DEFAULT_PASSWORD)
    main_menu(page).get_by_role("link", name=nlp("navigation", "Background tasks"), exact=True).click()

    expect(page.get_by_role("heading", level=1, name=nl("Background tasks"))).to_be_visible()
    expect(page.get_by_text(nl("No worker is running"))).to_be_visible()
    task = page.get_by_role("article", name=nl("Invitation e-mail"))
    expect(task.get_by_text(nl("The mail server did not answer in time."))).to_be_visible()
    stuck = page.get_by_role("table", name=nl("Stuck tasks"))
    expect(stuck.get_by_text(nl("Reminder e-mail"))).to_be_visible()
    expect(stuck.get_by_text(nl("Worker stopped"))).to_be_visible()
    assert "buurvrouw@example.test" not in page.content()
    check_page(page)

    task.get_by_role("button", name=nl("Start again")).click()
    expect(page.get_by_text(nl("The task was started again. It runs as soon as a worker is free."))).to_be_visible()
    expect(page.get_by_text(nl("No failed tasks."))).to_be_visible()
    assert DBTaskResult.objects.filter(task_path=failed.task_path, status="READY").count() == 1
    check_page(page)
