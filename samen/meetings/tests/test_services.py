"""The meeting services: planning, changing, cancelling and holding a meeting, and an outcome becoming a change in
the plan through the plan's and the households' own services. Each writes its audit entry and timeline event;
bad input and a stale version write nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import formats, timezone, translation

from samen.consent.models import DataCategory
from samen.core.models import AuditEntry
from samen.households.models import TeamMember
from samen.households.tests.factories import HouseholdMemberFactory
from samen.meetings import selectors, services
from samen.meetings.models import AgendaItem, AgendaKind, AppliedAs, Meeting, MeetingParticipant, MeetingStatus, Outcome
from samen.meetings.tests.factories import MeetingFactory, OutcomeFactory
from samen.plans.models import Action, Agreement, Goal, ZrmDomain
from samen.plans.tests.factories import EvaluationMomentFactory, GoalFactory, PlanFactory
from samen.reminders.models import Notification, NotificationKind
from samen.timeline.models import Entry, EventCode

pytestmark = pytest.mark.django_db
G = DataCategory


def _next_week(hour: int = 14) -> datetime.datetime:
    return (timezone.localtime() + datetime.timedelta(days=7)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _plan(actor, who, household, **overrides):
    arguments = {
        "title": "Keukentafelgesprek",
        "starts_at": _next_week(),
        "duration": 60,
        "place": "Bij de familie thuis",
    }
    return services.meeting_plan(actor=actor(who), household=household, **(arguments | overrides))


def _team(setting, user) -> TeamMember:
    return TeamMember.objects.get(household=setting.household, user=user, left_at__isnull=True)


def _events(household, code) -> list[Entry]:
    return list(Entry.objects.filter(household=household, event_code=code))


# --- planning ----------------------------------------------------------------------------------------------------


def test_the_coordinator_plans_a_meeting_with_participants_and_an_agenda(setting, actor):
    household = setting.household
    fatima = household.members.get(user=setting.citizen)
    evaluation = EvaluationMomentFactory(
        plan=PlanFactory(household=household), date=timezone.localdate() + datetime.timedelta(days=5)
    )
    meeting = _plan(
        actor,
        setting.coordinator,
        household,
        participants=[f"member:{fatima.pk}", f"team:{_team(setting, setting.professional).pk}"],
        guests="Ans de Buurvrouw, buurvrouw\n\nOpa Henk",
        evaluations=[evaluation.pk],
        questions="Hoe gaat het met de post?\nWie gaat mee naar de woningcorporatie?",
    )

    assert meeting.status == MeetingStatus.PLANNED and meeting.sequence == 0 and meeting.version == 1
    assert meeting.created_by == setting.coordinator
    assert meeting.uid.endswith("@samen") and len(meeting.uid) > 30
    with translation.override("en"):
        people = [(p.name, selectors.role_of(p), p.user_id) for p in selectors.participants(meeting)]
    assert people == [
        ("Fatima Bakker", "parent", setting.citizen.pk),
        (
            "Sanne de Vries",
            f"{_team(setting, setting.professional).description}, Schuldhulp Zuid",
            setting.professional.pk,
        ),
        ("Ans de Buurvrouw", "buurvrouw", None),
        ("Opa Henk", "", None),
    ]
    agenda = list(meeting.agenda.order_by("position"))
    assert [(item.kind, item.evaluation_id, item.text) for item in agenda] == [
        (AgendaKind.EVALUATION, evaluation.pk, ""),
        (AgendaKind.QUESTION, None, "Hoe gaat het met de post?"),
        (AgendaKind.QUESTION, None, "Wie gaat mee naar de woningcorporatie?"),
    ]
    (entry,) = AuditEntry.objects.filter(object_type="meetings.meeting")
    assert entry.description == "meeting planned" and entry.household_id == household.pk
    (event,) = _events(household, EventCode.MEETING_PLANNED)
    assert event.event_params == {"date": meeting.date_iso} and event.category == G.GENERAL


def test_the_citizen_and_a_representative_may_plan_one_too(setting, actor):
    assert _plan(actor, setting.citizen, setting.household).created_by == setting.citizen
    assert _plan(actor, setting.representative, setting.household).created_by == setting.representative


@pytest.mark.parametrize("who", ["informal", "supporter"])
def test_the_informal_network_and_the_supporter_may_not_plan(setting, actor, who):
    with pytest.raises(PermissionDenied):
        _plan(actor, getattr(setting, who), setting.household)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("who", ["stranger", "revoked", "emergency", "other_citizen"])
def test_who_may_not_see_the_household_gets_not_found(setting, actor, who):
    with pytest.raises(Http404):
        _plan(actor, getattr(setting, who), setting.household)
    assert not Meeting.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"title": ""}, "title", "required"),
        ({"title": "x" * 121}, "title", "max_length"),
        ({"title": "<script>alert(1)</script>"}, "title", "markup"),
        ({"duration": 10}, "duration", "bad_duration"),
        ({"duration": 481}, "duration", "bad_duration"),
        ({"duration": "an hour"}, "duration", "bad_duration"),
        ({"place": "", "video_url": ""}, "place", "no_place"),
        ({"video_url": "http://meet.example.test/x"}, "video_url", "not_https"),
        ({"video_url": "javascript:alert(1)"}, "video_url", "not_https"),
        ({"video_url": "https://meet.example.test/a b"}, "video_url", "not_https"),
        ({"video_url": "https://" + "a" * 500 + ".test"}, "video_url", "max_length"),
        ({"starts_at": timezone.now() - datetime.timedelta(minutes=5)}, "starts_at", "past"),
        ({"starts_at": timezone.now() + datetime.timedelta(days=800)}, "starts_at", "too_far"),
        ({"starts_at": datetime.datetime(2030, 1, 1, 14, 0)}, "starts_at", "invalid"),
        ({"participants": ["member:999999"]}, "participants", "unknown"),
        ({"participants": ["user:1"]}, "participants", "unknown"),
        ({"participants": "member:1"}, "participants", "invalid"),
        ({"guests": "<b>Ans</b>"}, "guests", "markup"),
        ({"guests": "\n".join(f"Gast {n}" for n in range(21))}, "guests", "too_many"),
        ({"questions": "x" * 501}, "questions", "max_length"),
        ({"evaluations": [999999]}, "evaluations", "unknown"),
        ({"signals": [999999]}, "signals", "unknown"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(setting, actor, overrides, field, code):
    with pytest.raises(ValidationError) as caught:
        _plan(actor, setting.coordinator, setting.household, **overrides)
    assert caught.value.error_dict[field][0].code == code
    assert not Meeting.objects.exists() and not AuditEntry.objects.exists()


def test_a_participant_of_another_household_is_refused(setting, actor):
    stranger = HouseholdMemberFactory(household=setting.other_household)
    with pytest.raises(ValidationError) as caught:
        _plan(actor, setting.coordinator, setting.household, participants=[f"member:{stranger.pk}"])
    assert caught.value.error_dict["participants"][0].code == "unknown"


def test_an_evaluation_that_is_not_due_cannot_go_on_the_agenda(setting, actor):
    later = EvaluationMomentFactory(
        plan=PlanFactory(household=setting.household), date=timezone.localdate() + datetime.timedelta(days=30)
    )
    with pytest.raises(ValidationError):
        _plan(actor, setting.coordinator, setting.household, evaluations=[later.pk])


def test_a_video_meeting_needs_no_place(setting, actor):
    meeting = _plan(actor, setting.coordinator, setting.household, place="", video_url="https://meet.example.test/x")
    assert meeting.video_url == "https://meet.example.test/x" and meeting.place == ""


def test_planning_invites_the_participants_with_an_account_after_the_commit(
    setting, actor, django_capture_on_commit_callbacks, mailoutbox, immediate_tasks
):
    fatima = setting.household.members.get(user=setting.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        _plan(
            actor,
            setting.coordinator,
            setting.household,
            participants=[f"member:{fatima.pk}", f"team:{_team(setting, setting.coordinator).pk}"],
            guests="Ans de Buurvrouw, buurvrouw",
        )
    assert sorted(message.to[0] for message in mailoutbox) == sorted([setting.citizen.email, setting.coordinator.email])


# --- changing and cancelling ---------------------------------------------------------------------------------------


def test_changing_the_moment_raises_the_sequence_and_invites_again(
    setting, actor, django_capture_on_commit_callbacks, mailoutbox, immediate_tasks
):
    fatima = setting.household.members.get(user=setting.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(actor, setting.coordinator, setting.household, participants=[f"member:{fatima.pk}"])
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.meeting_update(
            actor=actor(setting.coordinator),
            meeting=meeting,
            expected_version=1,
            title="Keukentafelgesprek",
            starts_at=_next_week(hour=16),
            duration=90,
            place="Bij de familie thuis",
            participants=[f"member:{fatima.pk}"],
            questions="Nieuwe vraag",
        )
    assert (changed.sequence, changed.version, changed.duration) == (1, 2, 90)
    assert [item.text for item in changed.agenda.all()] == ["Nieuwe vraag"]
    assert len(mailoutbox) == 2
    with translation.override("nl"):
        assert mailoutbox[1].subject == translation.gettext("Changed: the meeting of %(date)s") % {
            "date": formats.date_format(changed.starts_at.astimezone(timezone.get_current_timezone()).date(), "j F Y")
        }
    participant = MeetingParticipant.objects.get(meeting=meeting)
    assert participant.invited_sequence == 1


def test_changing_only_the_agenda_sends_nothing(
    setting, actor, django_capture_on_commit_callbacks, mailoutbox, immediate_tasks
):
    fatima = setting.household.members.get(user=setting.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(actor, setting.coordinator, setting.household, participants=[f"member:{fatima.pk}"])
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.meeting_update(
            actor=actor(setting.coordinator),
            meeting=meeting,
            expected_version=meeting.version,
            title=meeting.title,
            starts_at=meeting.starts_at,
            duration=meeting.duration,
            place=meeting.place,
            participants=[f"member:{fatima.pk}"],
            questions="Een vraag erbij",
        )
    assert changed.sequence == 0 and changed.version == 2 and len(mailoutbox) == 1


def test_a_stale_version_changes_nothing(setting, actor):
    meeting = _plan(actor, setting.coordinator, setting.household)
    with pytest.raises(services.MeetingConflict) as caught:
        services.meeting_update(
            actor=actor(setting.citizen),
            meeting=meeting,
            expected_version=7,
            title="Anders",
            starts_at=meeting.starts_at,
            duration=30,
            place="Elders",
        )
    assert caught.value.current_version == 1
    meeting.refresh_from_db()
    assert (meeting.title, meeting.duration, meeting.version) == ("Keukentafelgesprek", 60, 1)
    with pytest.raises(services.MeetingConflict):
        services.meeting_cancel(actor=actor(setting.citizen), meeting=meeting, expected_version=2)
    with pytest.raises(services.MeetingConflict):
        services.meeting_hold(
            actor=actor(setting.citizen), meeting=meeting, expected_version=2, outcomes=[("x", "general")]
        )


def test_an_agenda_item_the_planner_cannot_see_stays_when_they_change_the_meeting(setting, actor):
    meeting = _plan(actor, setting.citizen, setting.household, questions="Vraag")
    AgendaItem.objects.create(
        meeting=meeting, position=9, kind=AgendaKind.OTHER, text="Over de schulden", category=G.FINANCES
    )
    services.meeting_update(
        actor=actor(setting.coordinator),  # general and youth: not finances
        meeting=meeting,
        expected_version=1,
        title=meeting.title,
        starts_at=meeting.starts_at,
        duration=meeting.duration,
        place=meeting.place,
        questions="Andere vraag",
    )
    assert sorted(meeting.agenda.values_list("text", "category")) == [
        ("Andere vraag", "general"),
        ("Over de schulden", "finances"),
    ]


def test_cancelling_tells_the_calendars_and_the_timeline(
    setting, actor, django_capture_on_commit_callbacks, mailoutbox, immediate_tasks
):
    fatima = setting.household.members.get(user=setting.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(actor, setting.coordinator, setting.household, participants=[f"member:{fatima.pk}"])
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.meeting_cancel(actor=actor(setting.citizen), meeting=meeting, expected_version=1)
    assert cancelled.status == MeetingStatus.CANCELLED and cancelled.cancelled_by == setting.citizen
    assert cancelled.sequence == 1
    assert b"METHOD:CANCEL" in mailoutbox[-1].attachments[0][1].encode()
    (event,) = _events(setting.household, EventCode.MEETING_CANCELLED)
    assert event.event_params == {"date": meeting.date_iso}
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=actor(setting.citizen), meeting=meeting, expected_version=2)


def test_a_past_meeting_keeps_its_moment_when_something_else_changes(setting, actor):
    meeting = MeetingFactory(household=setting.household, starts_at=timezone.now() - datetime.timedelta(hours=2))
    changed = services.meeting_update(
        actor=actor(setting.coordinator),
        meeting=meeting,
        expected_version=1,
        title="Toch anders",
        starts_at=meeting.starts_at,
        duration=meeting.duration,
        place=meeting.place,
    )
    assert changed.title == "Toch anders"


# --- holding -------------------------------------------------------------------------------------------------------


def test_holding_writes_the_outcomes_in_order_and_tells_the_timeline(setting, actor):
    meeting = _plan(actor, setting.coordinator, setting.household)
    held = services.meeting_hold(
        actor=actor(setting.professional),
        meeting=meeting,
        expected_version=1,
        outcomes=[
            ("We bellen samen de woningcorporatie", "general"),
            ("", "general"),
            ("Budgetplan maken", "finances"),
        ],
    )
    assert held.status == MeetingStatus.HELD and held.held_by == setting.professional and held.version == 2
    assert list(held.outcomes.values_list("position", "text", "category")) == [
        (1, "We bellen samen de woningcorporatie", "general"),
        (2, "Budgetplan maken", "finances"),
    ]
    (event,) = _events(setting.household, EventCode.MEETING_HELD)
    assert event.event_params == {"date": meeting.date_iso}
    entry = AuditEntry.objects.get(description="meeting held")
    assert entry.data_category == "general,finances"
    with pytest.raises(ValidationError):  # held once
        services.meeting_hold(
            actor=actor(setting.professional), meeting=meeting, expected_version=2, outcomes=[("x", "general")]
        )


@pytest.mark.parametrize(
    ("outcomes", "field", "code"),
    [
        ([], "outcomes", "required"),
        ([("", "general"), ("  ", "general")], "outcomes", "required"),
        ([("Over de gezondheid", "health")], "outcome-0", "category_not_writable"),  # the coordinator has no health
        ([("x", "no-such-category")], "outcome-0", "unknown"),
        ([("x" * 1001, "general")], "outcome-0", "max_length"),
        ("general", "outcomes", "invalid"),
    ],
)
def test_bad_outcomes_are_refused(setting, actor, outcomes, field, code):
    meeting = _plan(actor, setting.coordinator, setting.household)
    with pytest.raises(ValidationError) as caught:
        services.meeting_hold(actor=actor(setting.coordinator), meeting=meeting, expected_version=1, outcomes=outcomes)
    assert caught.value.error_dict[field][0].code == code
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and not Outcome.objects.exists()


# --- an outcome becomes a change in the plan -------------------------------------------------------------------------


@pytest.fixture
def held(setting):
    """A held meeting of the household with a general outcome, and a plan with a general and a finances goal."""
    plan = PlanFactory(household=setting.household)
    goals = {
        "general": GoalFactory(plan=plan, category=G.GENERAL),
        "finances": GoalFactory(plan=plan, domain=ZrmDomain.FINANCES, category=G.FINANCES),
    }
    meeting = MeetingFactory(household=setting.household, held=True)
    outcome = OutcomeFactory(meeting=meeting, text="Sanne belt de woningcorporatie", category=G.GENERAL)
    return meeting, outcome, goals


def test_an_outcome_becomes_an_action_through_the_plan_service(setting, actor, held):
    meeting, outcome, goals = held
    sanne = _team(setting, setting.professional)
    applied = services.outcome_to_action(
        actor=actor(setting.coordinator), outcome=outcome, goal=goals["general"].pk, owner=f"team:{sanne.pk}"
    )
    action = Action.objects.get()
    assert (action.text, action.goal, action.owner_team_member) == (outcome.text, goals["general"], sanne)
    assert applied.applied_as == AppliedAs.ACTION and applied.applied_action == action
    assert applied.applied_by == setting.coordinator and applied.applied_at is not None
    assert _events(setting.household, EventCode.ACTION_ADDED)  # the plan's own event
    assert AuditEntry.objects.filter(description="action added").exists()
    assert AuditEntry.objects.filter(description="meeting outcome put in the plan as action").exists()
    # The plan item links back to the meeting: its day and its page.
    assert action.agreed_on == timezone.localdate(meeting.starts_at)
    assert action.agreed_url == f"/huishoudens/{setting.household.pk}/overleggen/{meeting.pk}/"


def test_an_outcome_becomes_a_goal_in_its_own_category(setting, actor, held):
    meeting, _outcome, _goals = held
    about_money = OutcomeFactory(meeting=meeting, text="Grip op het geld", category=G.FINANCES)
    applied = services.outcome_to_goal(
        actor=actor(setting.professional), outcome=about_money, domain=ZrmDomain.FINANCES
    )
    assert applied.applied_goal.text == "Grip op het geld" and applied.applied_goal.category == G.FINANCES


def test_an_outcome_becomes_an_agreement(setting, actor, held):
    _meeting, outcome, _goals = held
    applied = services.outcome_to_agreement(actor=actor(setting.citizen), outcome=outcome)
    assert Agreement.objects.get().text == outcome.text and applied.applied_agreement == Agreement.objects.get()


def test_an_outcome_becomes_a_handover_of_the_coordination(setting, actor, held):
    _meeting, outcome, _goals = held
    sanne = _team(setting, setting.professional)
    applied = services.outcome_to_coordinator(actor=actor(setting.coordinator), outcome=outcome, to_member=sanne.pk)
    sanne.refresh_from_db()
    assert sanne.is_coordinator
    assert applied.applied_handover.to_member == sanne
    assert outcome.text in applied.applied_handover.reason


def test_applying_twice_is_refused(setting, actor, held):
    _meeting, outcome, _goals = held
    services.outcome_to_agreement(actor=actor(setting.citizen), outcome=outcome)
    with pytest.raises(ValidationError) as caught:
        services.outcome_to_goal(actor=actor(setting.citizen), outcome=outcome, domain=ZrmDomain.TIME_USE)
    assert caught.value.error_dict["outcome"][0].code == "already_applied"
    assert Agreement.objects.count() == 1 and not Goal.objects.filter(text=outcome.text).exists()


def test_an_outcome_in_a_category_the_actor_may_not_write_is_refused(setting, actor, held):
    meeting, _outcome, goals = held
    about_health = OutcomeFactory(meeting=meeting, category=G.HEALTH)
    with pytest.raises(Http404):  # the coordinator does not even see health
        services.outcome_to_goal(
            actor=actor(setting.coordinator), outcome=about_health, domain=ZrmDomain.PHYSICAL_HEALTH
        )
    about_money = OutcomeFactory(meeting=meeting, category=G.FINANCES)
    with pytest.raises(PermissionDenied):  # the informal network reads general only, and writes nothing
        services.outcome_to_agreement(actor=actor(setting.informal), outcome=_outcome)
    with pytest.raises(Http404):
        services.outcome_to_goal(actor=actor(setting.coordinator), outcome=about_money, domain=ZrmDomain.FINANCES)
    about_money.refresh_from_db()
    assert about_money.applied_as == AppliedAs.NONE and not Goal.objects.filter(category=G.HEALTH).exists()


def test_an_action_stays_within_the_outcomes_category(setting, actor, held):
    meeting, _outcome, goals = held
    about_money = OutcomeFactory(meeting=meeting, category=G.FINANCES)
    fatima = setting.household.members.get(user=setting.citizen)
    with pytest.raises(ValidationError) as caught:
        services.outcome_to_action(
            actor=actor(setting.professional),
            outcome=about_money,
            goal=goals["general"].pk,
            owner=f"member:{fatima.pk}",
        )
    assert caught.value.error_dict["goal"][0].code == "category_mismatch"
    applied = services.outcome_to_action(
        actor=actor(setting.professional), outcome=about_money, goal=goals["finances"].pk, owner=f"member:{fatima.pk}"
    )
    assert applied.applied_action.goal == goals["finances"]


def test_an_agreement_or_handover_is_for_general_outcomes_only(setting, actor, held):
    meeting, _outcome, _goals = held
    about_money = OutcomeFactory(meeting=meeting, category=G.FINANCES)
    with pytest.raises(ValidationError) as caught:
        services.outcome_to_agreement(actor=actor(setting.professional), outcome=about_money)
    assert caught.value.error_dict["outcome"][0].code == "not_general"


def test_only_the_coordinator_hands_over(setting, actor, held):
    _meeting, outcome, _goals = held
    sanne = _team(setting, setting.professional)
    with pytest.raises(PermissionDenied):
        services.outcome_to_coordinator(actor=actor(setting.citizen), outcome=outcome, to_member=sanne.pk)
    outcome.refresh_from_db()
    assert outcome.applied_as == AppliedAs.NONE


def test_an_outcome_of_a_meeting_not_held_cannot_be_applied(setting, actor):
    meeting = MeetingFactory(household=setting.household)
    outcome = Outcome.objects.create(meeting=meeting, position=1, text="Te vroeg")
    with pytest.raises(ValidationError) as caught:
        services.outcome_to_agreement(actor=actor(setting.citizen), outcome=outcome)
    assert caught.value.error_dict["outcome"][0].code == "not_held"


def test_a_refused_plan_change_leaves_the_outcome_as_it_was(setting, actor, held):
    _meeting, outcome, goals = held
    with pytest.raises(ValidationError):
        services.outcome_to_action(
            actor=actor(setting.coordinator), outcome=outcome, goal=goals["general"].pk, owner="team:999999"
        )
    outcome.refresh_from_db()
    assert outcome.applied_as == AppliedAs.NONE and not Action.objects.exists()


# --- notifications ---------------------------------------------------------------------------------------------------


def test_planning_notifies_the_participants_with_an_account_but_not_the_planner(setting, actor):
    fatima = setting.household.members.get(user=setting.citizen)
    coordinator = _team(setting, setting.coordinator)
    meeting = _plan(
        actor,
        setting.coordinator,
        setting.household,
        participants=[f"member:{fatima.pk}", f"team:{coordinator.pk}"],
        guests="Ans de Buurvrouw",
    )
    (notification,) = Notification.objects.all()
    assert notification.recipient == setting.citizen
    assert notification.kind == NotificationKind.MEETING_INVITED
    assert notification.params == {"date": meeting.date_iso}
    assert notification.url == f"/huishoudens/{setting.household.pk}/overleggen/{meeting.pk}/"
    assert notification.category == G.GENERAL and notification.household_id == setting.household.pk


def test_holding_tells_the_household_and_the_participants_that_the_outcomes_are_there(setting, actor):
    sanne = _team(setting, setting.professional)
    meeting = _plan(actor, setting.citizen, setting.household, participants=[f"team:{sanne.pk}"])
    Notification.objects.all().delete()
    services.meeting_hold(
        actor=actor(setting.coordinator), meeting=meeting, expected_version=1, outcomes=[("Afspraak", "general")]
    )
    assert sorted(Notification.objects.values_list("recipient_id", "kind")) == sorted(
        [
            (setting.citizen.pk, NotificationKind.MEETING_OUTCOMES),
            (setting.professional.pk, NotificationKind.MEETING_OUTCOMES),
        ]
    )


def test_someone_added_later_is_told_they_are_invited(setting, actor):
    meeting = _plan(actor, setting.coordinator, setting.household)
    assert not Notification.objects.exists()
    fatima = setting.household.members.get(user=setting.citizen)
    services.meeting_update(
        actor=actor(setting.coordinator),
        meeting=meeting,
        expected_version=1,
        title=meeting.title,
        starts_at=meeting.starts_at,
        duration=meeting.duration,
        place=meeting.place,
        participants=[f"member:{fatima.pk}"],
    )
    assert list(Notification.objects.values_list("recipient_id", "kind")) == [
        (setting.citizen.pk, NotificationKind.MEETING_INVITED)
    ]


# --- open signals on the agenda ---------------------------------------------------------------------------------------


def test_open_signals_the_planner_may_see_go_on_the_agenda_in_their_category(setting, actor):
    from samen.conversations.tests.factories import SignalFactory

    general = SignalFactory(household=setting.household)
    about_money = SignalFactory(household=setting.household, category=G.FINANCES)
    solved = SignalFactory(household=setting.household)
    solved.resolved_at, solved.resolved_by, solved.resolution = timezone.now(), setting.coordinator, "Opgelost"
    solved.save()
    meeting = _plan(actor, setting.professional, setting.household, signals=[general.pk, about_money.pk])
    assert list(meeting.agenda.values_list("kind", "signal_id", "category")) == [
        (AgendaKind.SIGNAL, general.pk, "general"),
        (AgendaKind.SIGNAL, about_money.pk, "finances"),
    ]
    for refused in (solved, SignalFactory(household=setting.other_household)):
        with pytest.raises(ValidationError):
            _plan(actor, setting.professional, setting.household, signals=[refused.pk])
    with pytest.raises(ValidationError):  # the coordinator does not see finances
        _plan(actor, setting.coordinator, setting.household, signals=[about_money.pk])


def test_a_signal_on_the_agenda_may_stay_when_it_was_solved_since(setting, actor):
    from samen.conversations.tests.factories import SignalFactory

    signal = SignalFactory(household=setting.household)
    meeting = _plan(actor, setting.coordinator, setting.household, signals=[signal.pk])
    signal.resolved_at, signal.resolved_by, signal.resolution = timezone.now(), setting.coordinator, "Opgelost"
    signal.save()
    changed = services.meeting_update(
        actor=actor(setting.coordinator),
        meeting=meeting,
        expected_version=1,
        title=meeting.title,
        starts_at=meeting.starts_at,
        duration=meeting.duration,
        place=meeting.place,
        signals=[signal.pk],
    )
    assert list(changed.agenda.values_list("signal_id", flat=True)) == [signal.pk]
