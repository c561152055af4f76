"""The demo: whoever logs in to the demo as the citizen, the coordinator, the debt counsellor or the client
supporter sees reminders at once; the demo run still writes one audit entry and sends no e-mail."""

import pytest

from samen.accounts.models import User
from samen.core.actor import Role
from samen.core.models import AuditEntry
from samen.demo.logins import DEMO_LOGINS
from samen.demo.services import demo_municipality_load
from samen.households.models import Household
from samen.organisations.actors import actor_for_user
from samen.reminders.demo import add_demo_reminders
from samen.reminders.models import Reminder, ReminderKind
from samen.reminders.selectors import unread_count

pytestmark = pytest.mark.django_db

REMINDED = (Role.CITIZEN, Role.COORDINATOR, Role.PROFESSIONAL, Role.CLIENT_SUPPORTER)


def test_the_demo_logins_see_reminders(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo_municipality_load(seed=2026, households=12)
    emails = {login.role: login.email for login in DEMO_LOGINS}
    for role in REMINDED:
        actor = actor_for_user(User.objects.get(email=emails[role]))
        assert actor.role == role
        assert unread_count(actor) >= 1, f"the demo {role} has no reminders"
    coordinator = User.objects.get(email=emails[Role.COORDINATOR])
    assert Reminder.objects.filter(recipient=coordinator, kind=ReminderKind.EVALUATION_DUE).exists()
    showcase = Household.objects.order_by("pk").first()
    assert set(Reminder.objects.values_list("household", flat=True)) == {showcase.pk}
    assert AuditEntry.objects.count() == 1
    assert mailoutbox == []


def test_adding_them_again_adds_nothing(db):
    demo_municipality_load(seed=2026, households=5)
    before = Reminder.objects.count()
    assert before >= 6
    ids = list(Household.objects.values_list("pk", flat=True))
    from django.utils import timezone

    assert add_demo_reminders(household_ids=ids, now=timezone.now()) == 0
    assert Reminder.objects.count() == before
    assert add_demo_reminders(household_ids=[], now=timezone.now()) == 0
