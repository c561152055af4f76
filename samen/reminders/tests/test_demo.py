"""The demo: whoever logs in to the demo as the citizen, the coordinator, the debt counsellor or the client
supporter sees reminders at once, and every demo login a few notifications; the reminders' demo writes no audit entry
of its own and sends no e-mail."""

import pytest
from django.utils import timezone

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
    assert not AuditEntry.objects.filter(object_type="reminders.reminder").exists()
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


def test_every_demo_login_has_notifications_of_different_kinds(mailoutbox, django_capture_on_commit_callbacks):
    from samen.reminders.demo import DEMO_GROUP
    from samen.reminders.models import Notification
    from samen.reminders.policies import notifications_visible_to

    with django_capture_on_commit_callbacks(execute=True):
        demo_municipality_load(seed=2026, households=12)
    for login in DEMO_LOGINS:
        actor = actor_for_user(User.objects.get(email=login.email))
        visible = notifications_visible_to(actor).filter(group_key__startswith=DEMO_GROUP)
        kinds = set(visible.values_list("kind", flat=True))
        assert len(kinds) >= 2 or login.role == Role.FUNCTIONAL_ADMIN, f"{login.role}: {kinds}"
        mine = Notification.objects.filter(recipient=actor.user, group_key__startswith=DEMO_GROUP)
        assert visible.count() == mine.count(), login.role
        assert unread_count(actor) >= 1, login.role
    # A lively conversation is one line.
    citizen = User.objects.get(email=next(login.email for login in DEMO_LOGINS if login.role == Role.CITIZEN))
    assert Notification.objects.get(recipient=citizen, kind="message", group_key__startswith=DEMO_GROUP).count == 3
    assert mailoutbox == []
    showcase = Household.objects.order_by("pk").first()
    demo = Notification.objects.filter(group_key__startswith=DEMO_GROUP).exclude(household=None)
    assert set(demo.values_list("household", flat=True)) == {showcase.pk}
    before = Notification.objects.count()
    add_demo_reminders(household_ids=[showcase.pk], now=timezone.now())
    assert Notification.objects.count() == before
    # Made again from scratch: rows only, no audit entry (the demo run writes its own), no e-mail.
    from samen.reminders.demo import add_demo_notifications

    Notification.objects.filter(group_key__startswith=DEMO_GROUP).delete()
    entries = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert add_demo_notifications(showcase_id=showcase.pk, now=timezone.now()) >= 14
    assert AuditEntry.objects.count() == entries
    assert mailoutbox == []
