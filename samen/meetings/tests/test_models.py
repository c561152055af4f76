"""The database refuses what the services would never write: every rule of the models is a constraint."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.meetings.models import AgendaItem, AgendaKind, AppliedAs, Meeting, MeetingParticipant, Outcome
from samen.meetings.tests.factories import MeetingFactory, OutcomeFactory
from samen.plans.tests.factories import GoalFactory

pytestmark = pytest.mark.django_db


def _refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "maybe"},
        {"title": ""},
        {"duration": 10},
        {"duration": 481},
        {"video_url": "http://meet.example.test/x"},
        {"video_url": "javascript:alert(1)"},
        {"place": "", "video_url": ""},
        {"status": "held"},  # without the moment it was held
        {"status": "planned", "held_at": timezone.now()},
        {"status": "cancelled"},
        {"version": 0},
    ],
)
def test_a_meeting_that_breaks_a_rule_is_refused(fields):
    meeting = MeetingFactory()
    _refused(lambda: Meeting.objects.filter(pk=meeting.pk).update(**fields))


def test_every_meeting_has_its_own_uid():
    first = MeetingFactory()
    second = MeetingFactory()
    assert first.uid != second.uid
    _refused(lambda: Meeting.objects.filter(pk=second.pk).update(uid=first.uid))


def test_participant_rules():
    meeting = MeetingFactory()
    _refused(lambda: MeetingParticipant.objects.create(meeting=meeting, name=""))
    # An account only through a member of the household or a place in its team.
    _refused(lambda: MeetingParticipant.objects.create(meeting=meeting, name="Iemand", user=UserFactory()))


def test_agenda_rules():
    meeting = MeetingFactory()
    _refused(lambda: AgendaItem.objects.create(meeting=meeting, position=1, kind="chat", text="x"))
    _refused(lambda: AgendaItem.objects.create(meeting=meeting, position=1, kind=AgendaKind.QUESTION, text=""))
    _refused(lambda: AgendaItem.objects.create(meeting=meeting, position=1, kind=AgendaKind.EVALUATION))
    _refused(lambda: AgendaItem.objects.create(meeting=meeting, position=1, kind=AgendaKind.SIGNAL, text="x"))
    _refused(
        lambda: AgendaItem.objects.create(meeting=meeting, position=1, kind="question", text="x", category="secret")
    )
    AgendaItem.objects.create(meeting=meeting, position=1, kind=AgendaKind.QUESTION, text="x")
    _refused(lambda: AgendaItem.objects.create(meeting=meeting, position=1, kind=AgendaKind.QUESTION, text="y"))


def test_an_outcome_points_at_exactly_what_it_became():
    outcome = OutcomeFactory()
    goal = GoalFactory()
    now = timezone.now()
    _refused(lambda: Outcome.objects.filter(pk=outcome.pk).update(applied_as=AppliedAs.GOAL, applied_at=now))
    _refused(
        lambda: Outcome.objects.filter(pk=outcome.pk).update(
            applied_as=AppliedAs.ACTION, applied_goal=goal, applied_at=now
        )
    )
    _refused(lambda: Outcome.objects.filter(pk=outcome.pk).update(applied_goal=goal))  # still "none"
    _refused(lambda: Outcome.objects.filter(pk=outcome.pk).update(applied_as=AppliedAs.GOAL, applied_goal=goal))
    _refused(lambda: Outcome.objects.filter(pk=outcome.pk).update(applied_as="everything"))
    _refused(lambda: Outcome.objects.filter(pk=outcome.pk).update(text=""))
    _refused(lambda: Outcome.objects.filter(pk=outcome.pk).update(category="secret"))
    Outcome.objects.filter(pk=outcome.pk).update(applied_as=AppliedAs.GOAL, applied_goal=goal, applied_at=now)
