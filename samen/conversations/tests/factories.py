"""Factories for the conversation (no audit entries: tests that need the services call them)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.conversations.models import Message, Signal, SignalKind, Thread, ThreadKind
from samen.core.actor import Role
from samen.households.tests.factories import HouseholdFactory


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    household = factory.SubFactory(HouseholdFactory)
    kind = ThreadKind.HOUSEHOLD


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    thread = factory.SubFactory(ThreadFactory)
    household = factory.SelfAttribute("thread.household")
    author = factory.SubFactory(UserFactory)
    author_role = Role.CITIZEN
    category = "general"
    text = factory.Sequence(lambda n: f"Bericht {n}")


class SignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signal

    household = factory.SubFactory(HouseholdFactory)
    thread = factory.SubFactory(
        ThreadFactory,
        household=factory.SelfAttribute("..household"),
        kind=ThreadKind.SIGNAL,
        topic="Het plan werkt niet",
    )
    kind = SignalKind.PLAN
    category = "general"
    text = "Het plan werkt niet"
    raised_by = factory.SubFactory(UserFactory)
    raised_by_role = Role.CITIZEN
    response_days = 2
    raised_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda signal: signal.raised_at + datetime.timedelta(days=2))
    second_due_at = factory.LazyAttribute(lambda signal: signal.raised_at + datetime.timedelta(days=4))
