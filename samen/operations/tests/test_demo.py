"""The demo has one failed task, so the functional administrator's page shows what one looks like."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from samen.accounts.tests.factories import UserFactory
from samen.operations.demo import add_demo_failed_task
from samen.operations.selectors import task_overview

pytestmark = pytest.mark.django_db


def test_the_demo_adds_one_failed_reminder_email_once():
    UserFactory(email="inwoner@demo.samen.test")
    assert add_demo_failed_task(now=timezone.now()) == 1
    assert add_demo_failed_task(now=timezone.now()) == 0
    with translation.override("en"):
        (row,) = task_overview().failed
    assert (row.name, row.attempts) == ("send_reminder_digest", 5)
    assert row.error == "The mail server did not answer in time." and row.can_retry
