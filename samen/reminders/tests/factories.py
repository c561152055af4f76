"""Factories for reminders and notifications (test set-up only; they bypass the services and write no audit
entries)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import DataCategory
from samen.households.tests.factories import HouseholdFactory
from samen.plans.tests.factories import ActionFactory, EvaluationMomentFactory
from samen.reminders.models import (
    EmailChoice,
    Notification,
    NotificationKind,
    NotificationPreference,
    Reminder,
    ReminderKind,
)


class ReminderFactory(factory.django.DjangoModelFactory):
    """A reminder about an action (pass ``evaluation=...`` with ``kind=ReminderKind.EVALUATION_DUE`` and
    ``action=None`` for an evaluation; the trait ``about_evaluation`` makes one)."""

    class Meta:
        model = Reminder

    recipient = factory.SubFactory(UserFactory)
    kind = ReminderKind.ACTION_DUE
    action = factory.SubFactory(
        ActionFactory, due_date=factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=1))
    )
    evaluation = None
    household = factory.LazyAttribute(
        lambda o: (o.action.goal.plan if o.action is not None else o.evaluation.plan).household
    )
    due_date = factory.LazyAttribute(lambda o: o.action.due_date if o.action is not None else o.evaluation.date)

    class Params:
        about_evaluation = factory.Trait(
            kind=ReminderKind.EVALUATION_DUE, action=None, evaluation=factory.SubFactory(EvaluationMomentFactory)
        )


class NotificationFactory(factory.django.DjangoModelFactory):
    """A notification about a new message in a household (test set-up only; ``services.notify`` is the writer)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    household = factory.SubFactory(HouseholdFactory)
    kind = NotificationKind.MESSAGE
    category = DataCategory.GENERAL
    url = "/"
    params = factory.LazyFunction(lambda: {"name": "Sanne de Vries"})


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    email = EmailChoice.IMMEDIATELY
