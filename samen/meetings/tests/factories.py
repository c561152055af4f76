"""Factories for the meetings' models (they write no audit entries; use the services to test those)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from samen.consent.models import DataCategory
from samen.households.tests.factories import HouseholdFactory
from samen.meetings.models import AgendaItem, AgendaKind, Meeting, MeetingParticipant, MeetingStatus, Outcome


class MeetingFactory(factory.django.DjangoModelFactory):
    """A planned meeting a week from now at the household's home. Traits: ``held``, ``cancelled``, ``by_video``."""

    class Meta:
        model = Meeting

    household = factory.SubFactory(HouseholdFactory)
    title = "Keukentafelgesprek"
    starts_at = factory.LazyFunction(
        lambda: (timezone.localtime() + datetime.timedelta(days=7)).replace(hour=14, minute=0, second=0, microsecond=0)
    )
    duration = 60
    place = "Bij de familie thuis"

    class Params:
        held = factory.Trait(status=MeetingStatus.HELD, held_at=factory.LazyFunction(timezone.now))
        cancelled = factory.Trait(status=MeetingStatus.CANCELLED, cancelled_at=factory.LazyFunction(timezone.now))
        by_video = factory.Trait(place="", video_url="https://meet.example.test/overleg-123")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingParticipant

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Deelnemer {n}")
    role = "buurvrouw"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = AgendaKind.QUESTION
    text = factory.Sequence(lambda n: f"Vraag {n}: hoe gaat het met de post?")
    category = DataCategory.GENERAL


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    meeting = factory.SubFactory(MeetingFactory, held=True)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Uitkomst {n}: we bellen de woningcorporatie")
    category = DataCategory.GENERAL
