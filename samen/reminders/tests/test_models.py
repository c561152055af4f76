"""The database keeps reminders consistent: the target matches the kind, one per person, thing and date."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.plans.tests.factories import ActionFactory, EvaluationMomentFactory
from samen.reminders.models import Reminder, ReminderKind
from samen.reminders.tests.factories import ReminderFactory

pytestmark = pytest.mark.django_db


def refused(**fields) -> bool:
    try:
        with transaction.atomic():
            Reminder.objects.create(**fields)
    except IntegrityError:
        return True
    return False


@pytest.fixture
def base():
    action = ActionFactory(due_date=timezone.localdate())
    return {
        "recipient": UserFactory(),
        "household": action.goal.plan.household,
        "due_date": action.due_date,
        "action": action,
    }


def test_the_target_matches_the_kind(base):
    evaluation = EvaluationMomentFactory(plan=base["action"].goal.plan)
    assert refused(**{**base, "kind": ReminderKind.EVALUATION_DUE})
    assert refused(**{**base, "kind": ReminderKind.ACTION_DUE, "action": None})
    assert refused(**{**base, "kind": ReminderKind.ACTION_DUE, "evaluation": evaluation})
    assert refused(**{**base, "kind": "something_else"})
    assert not refused(**{**base, "kind": ReminderKind.EVALUATION_DUE, "action": None, "evaluation": evaluation})
    assert not refused(**{**base, "kind": ReminderKind.ACTION_DUE})


def test_one_reminder_per_person_thing_and_date(base):
    Reminder.objects.create(kind=ReminderKind.ACTION_DUE, **base)
    assert refused(kind=ReminderKind.ACTION_DUE, **base)
    assert not refused(kind=ReminderKind.ACTION_DUE, **{**base, "recipient": UserFactory()})
    assert not refused(kind=ReminderKind.ACTION_DUE, **{**base, "due_date": base["due_date"].replace(year=2030)})
    evaluation = EvaluationMomentFactory(plan=base["action"].goal.plan)
    fields = {**base, "kind": ReminderKind.EVALUATION_DUE, "action": None, "evaluation": evaluation}
    Reminder.objects.create(**fields)
    assert refused(**fields)


def test_read_after_created_and_never_the_text_in_its_name():
    reminder = ReminderFactory(action__text="Geheime actie")
    assert "Geheime actie" not in str(reminder)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.filter(pk=reminder.pk).update(read_at=reminder.created_at - timezone.timedelta(days=1))


# --- notifications ------------------------------------------------------------------------------------------------


def notification_refused(**fields) -> bool:
    from samen.reminders.tests.factories import NotificationFactory

    try:
        with transaction.atomic():
            NotificationFactory(**fields)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "gossip"},
        {"category": "secrets"},
        {"count": 0},
        {"url": "https://evil.example/"},
        {"url": "//evil.example/"},
        {"url": ""},
        {"read_at": timezone.now() - timezone.timedelta(days=1)},
        {"updated_at": timezone.now() - timezone.timedelta(days=1)},
    ],
)
def test_the_database_refuses_a_notification_that_is_not_right(fields):
    assert notification_refused(**fields)


def test_one_unread_line_per_person_and_group():
    from samen.reminders.tests.factories import NotificationFactory

    first = NotificationFactory(group_key="thread:1")
    assert notification_refused(recipient=first.recipient, group_key="thread:1")
    assert not notification_refused(recipient=first.recipient, group_key="thread:2")
    assert not notification_refused(recipient=first.recipient, group_key="")  # no group: any number
    assert not notification_refused(recipient=first.recipient, group_key="")
    first.read_at = timezone.now()
    first.save(update_fields=["read_at"])
    assert not notification_refused(recipient=first.recipient, group_key="thread:1")
    assert str(first) == f"notification {first.pk} (message) for user {first.recipient_id}"


def test_a_preference_is_one_of_the_choices():
    from samen.reminders.models import NotificationPreference

    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationPreference.objects.create(user=user, email="sometimes")
    preference = NotificationPreference.objects.create(user=user, email="never")
    assert str(preference) == f"notification preference of user {user.pk}: never"
