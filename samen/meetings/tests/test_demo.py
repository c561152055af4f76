"""The demo: the showcase household has a held meeting whose outcomes became its plan (linked to the plan's own
rows, nothing written in the plan here) and a planned one with an agenda; the demo logins see them on the pages;
this part of the demo writes no audit entry and sends no invitation; a second run adds nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samen.accounts.models import User
from samen.core.actor import Role
from samen.core.models import AuditEntry
from samen.core.policy import can
from samen.demo.logins import DEMO_LOGINS
from samen.demo.services import demo_municipality_load
from samen.households.models import Household
from samen.meetings.demo import add_demo_meetings
from samen.meetings.models import AgendaKind, AppliedAs, Meeting, MeetingStatus
from samen.organisations.actors import actor_for_user
from samen.timeline.models import Entry, EventCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo_municipality_load(seed=2026, households=6)
    return Household.objects.order_by("pk").first()


def test_the_showcase_household_has_a_held_and_a_planned_meeting(demo, mailoutbox):
    held = Meeting.objects.get(household=demo, status=MeetingStatus.HELD)
    planned = Meeting.objects.get(household=demo, status=MeetingStatus.PLANNED)
    assert planned.starts_at > timezone.now() > held.starts_at
    outcomes = list(held.outcomes.all())
    applied = {outcome.applied_as for outcome in outcomes}
    assert {AppliedAs.GOAL, AppliedAs.ACTION, AppliedAs.AGREEMENT, AppliedAs.NONE} <= applied
    for outcome in outcomes:
        target = outcome.applied_goal or outcome.applied_action or outcome.applied_agreement
        if target is not None:
            plan = target.plan if hasattr(target, "plan") else target.goal.plan
            assert plan.household_id == demo.pk and target.text == outcome.text
    kinds = set(planned.agenda.values_list("kind", flat=True))
    assert {AgendaKind.EVALUATION, AgendaKind.QUESTION} <= kinds
    assert planned.participants.filter(user__email__in=[login.email for login in DEMO_LOGINS]).count() >= 2
    assert Entry.objects.filter(household=demo, event_code=EventCode.MEETING_HELD).count() == 1
    assert Entry.objects.filter(household=demo, event_code=EventCode.MEETING_PLANNED).count() == 1
    # Rows like the other demo modules: no audit entry, no notification, no e-mail of this module's own.
    assert not AuditEntry.objects.filter(description__contains="meeting").exists()
    assert not [message for message in mailoutbox if message.attachments]
    assert not Meeting.objects.exclude(household=demo).exists()


def test_the_demo_logins_around_the_household_see_the_meetings(demo):
    for login in DEMO_LOGINS:
        if login.role not in (Role.CITIZEN, Role.COORDINATOR, Role.PROFESSIONAL):
            continue
        user = User.objects.get(email=login.email)
        assert can(actor_for_user(user), "meetings.view", demo), login.role
        client = Client()
        client.force_login(user, backend="samen.accounts.backends.SamenBackend")
        for meeting in Meeting.objects.filter(household=demo):
            assert client.get(reverse("meetings:detail", args=[demo.pk, meeting.pk])).status_code == 200


def test_adding_them_again_adds_nothing(demo):
    before = Meeting.objects.count()
    ids = list(Household.objects.values_list("pk", flat=True))
    assert add_demo_meetings(household_ids=ids, now=timezone.now()) == 0
    assert add_demo_meetings(household_ids=[], now=timezone.now()) == 0
    assert Meeting.objects.count() == before == 2
