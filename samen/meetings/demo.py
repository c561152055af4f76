"""Demo meetings (synthetic, plain Dutch) for the demo generator.

``add_demo_meetings`` gives the showcase household (the lowest id) two kitchen-table meetings:

- the first one, held the day before its plan was made (``samen.plans.demo``: 90 days ago), whose outcomes became
  that plan: the housing goal, the action "Mee naar het gesprek met de woningcorporatie" and the agreement to call
  every Monday are linked as what those outcomes became; two more outcomes (one about the debts) are not in the
  plan yet, so the pages show the buttons that put them there;
- the next one, planned nine days ahead at the kitchen table, with the household, its coordinator, the debt
  counsellor and the neighbour, and on the agenda the evaluation moment that is due (``samen.reminders.demo``), the
  open signals (when the demo has them) and two questions.

Like the other demo modules it writes its rows directly, with a fixed number of queries, and no audit entry of its
own (the demo run has one): the plan's rows it points at were made by the plans demo, so no plan row is written here.
It also writes the two timeline events a service would have written (meeting held, meeting planned). Run after the
timeline demo (which leaves a household with events alone). A household that has meetings already is left alone.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone, translation

from samen.conversations.models import Signal
from samen.core.actor import Role
from samen.core.vocabulary import DataCategory
from samen.demo.logins import DEMO_LOGINS
from samen.households.models import HouseholdMember, TeamMember, TeamRole
from samen.meetings.models import AgendaItem, AgendaKind, AppliedAs, Meeting, MeetingParticipant, MeetingStatus, Outcome
from samen.plans.models import Action, Agreement, EvaluationMoment, Goal, Plan, ZrmDomain
from samen.timeline import events
from samen.timeline.models import Entry, EntryKind, EventCode

TITLE = "Keukentafelgesprek"
PLACE = "Bij ons thuis, aan de keukentafel"
PLANNED_IN_DAYS = 9
PLANNED_AT = datetime.time(19, 30)
QUESTIONS = [
    "Hoe gaat het met de post sinds we de map op de kast hebben?",
    "Wie gaat mee naar het gesprek met de woningcorporatie?",
]
# Outcomes of the first meeting that are not in the plan (yet): (text, data category).
OPEN_OUTCOMES = [
    ("Over drie maanden kijken we samen terug: wat ging goed en wat kan beter?", DataCategory.GENERAL),
    ("De schuldhulp zoekt uit of een budgetcoach bij ons past.", DataCategory.FINANCES),
]
HOUSING_ACTION = "Mee naar het gesprek met de woningcorporatie"
AGREEMENT = "We bellen elkaar elke maandagochtend even."


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def add_demo_meetings(*, household_ids: list[int], now: datetime.datetime) -> int:
    """Give the showcase household a held and a planned meeting; returns how many meetings were added."""
    if not household_ids:
        return 0
    showcase_id = min(household_ids)
    plan = Plan.objects.filter(household_id=showcase_id, is_current=True).first()
    if plan is None or Meeting.objects.filter(household_id=showcase_id).exists():
        return 0
    emails = {login.role: login.email for login in DEMO_LOGINS}
    citizen = (
        HouseholdMember.objects.filter(household_id=showcase_id, user__email=emails[Role.CITIZEN])
        .select_related("user")
        .first()
    )
    team = list(
        TeamMember.objects.filter(household_id=showcase_id, left_at__isnull=True)
        .select_related("user", "organisation")
        .order_by("joined_at", "pk")
    )
    coordinator = next((place for place in team if place.is_coordinator), None)
    if citizen is None or coordinator is None:
        return 0
    debt = next((place for place in team if place.user.email == emails[Role.PROFESSIONAL]), None)
    neighbours = [place for place in team if place.role == TeamRole.INFORMAL]

    # The day before the plan was made, at ten; written down two hours later.
    start = _at(timezone.localtime(plan.created_at).date() - datetime.timedelta(days=1), datetime.time(10, 0))
    held_at = start + datetime.timedelta(hours=2)
    first = Meeting(
        household_id=showcase_id,
        title=TITLE,
        starts_at=start,
        duration=90,
        place=PLACE,
        status=MeetingStatus.HELD,
        created_by=coordinator.user,
        created_at=start - datetime.timedelta(days=8),
        held_at=held_at,
        held_by=coordinator.user,
        updated_at=held_at,
        updated_by=coordinator.user,
        version=2,
    )
    day = timezone.localtime(now).date() + datetime.timedelta(days=PLANNED_IN_DAYS)
    planned_by = citizen.user or coordinator.user
    second = Meeting(
        household_id=showcase_id,
        title=TITLE,
        starts_at=_at(day, PLANNED_AT),
        duration=60,
        place=PLACE,
        created_by=planned_by,
        created_at=now - datetime.timedelta(days=2),
        updated_at=now - datetime.timedelta(days=2),
        updated_by=planned_by,
    )
    Meeting.objects.bulk_create([first, second])

    people = []
    for meeting in (first, second):
        places = [place for place in (coordinator, debt, *neighbours) if place and place.joined_at < meeting.starts_at]
        people.append(
            MeetingParticipant(meeting=meeting, member=citizen, user=citizen.user, name=str(citizen), position=1)
        )
        people += [
            MeetingParticipant(
                meeting=meeting,
                team_member=place,
                user=place.user,
                name=place.user.get_full_name(),
                position=position,
            )
            for position, place in enumerate(places, start=2)
        ]
    MeetingParticipant.objects.bulk_create(people)

    goals = {goal.domain: goal for goal in Goal.objects.filter(plan=plan).order_by("-created_at", "-pk")}
    housing = goals.get(ZrmDomain.HOUSING)
    action = Action.objects.filter(goal__plan=plan, text=HOUSING_ACTION).first()
    agreement = Agreement.objects.filter(plan=plan, text=AGREEMENT).first()
    outcomes = []
    applied = [
        (housing, "applied_goal", AppliedAs.GOAL, housing.category if housing else DataCategory.GENERAL),
        (action, "applied_action", AppliedAs.ACTION, action.goal.category if action else DataCategory.GENERAL),
        (agreement, "applied_agreement", AppliedAs.AGREEMENT, DataCategory.GENERAL),
    ]
    for target, field, applied_as, category in applied:
        if target is None:
            continue
        outcomes.append(
            Outcome(
                text=target.text,
                category=category,
                applied_as=applied_as,
                applied_at=target.created_at,
                applied_by=coordinator.user,
                **{field: target},
            )
        )
    outcomes += [Outcome(text=text, category=category) for text, category in OPEN_OUTCOMES]
    for position, outcome in enumerate(outcomes, start=1):
        outcome.meeting = first
        outcome.position = position
        outcome.created_by = coordinator.user
        outcome.created_at = held_at
    Outcome.objects.bulk_create(outcomes)

    today = timezone.localtime(now).date()
    agenda = [
        AgendaItem(meeting=first, position=1, kind=AgendaKind.QUESTION, text="Wat willen we samen bereiken?"),
        AgendaItem(meeting=first, position=2, kind=AgendaKind.QUESTION, text="Wie doet wat, en wanneer?"),
    ]
    due = EvaluationMoment.objects.filter(
        plan=plan, outcome="", date__gte=today, date__lte=today + datetime.timedelta(days=14)
    ).order_by("date", "pk")
    open_signals = Signal.objects.filter(household_id=showcase_id, resolved_at__isnull=True).order_by("raised_at")
    items = [
        *(AgendaItem(kind=AgendaKind.SIGNAL, signal=signal, category=signal.category) for signal in open_signals),
        *(AgendaItem(kind=AgendaKind.EVALUATION, evaluation=evaluation) for evaluation in due[:1]),
        *(AgendaItem(kind=AgendaKind.QUESTION, text=text) for text in QUESTIONS),
    ]
    for position, item in enumerate(items, start=1):
        item.meeting = second
        item.position = position
    AgendaItem.objects.bulk_create([*agenda, *items])

    with translation.override(settings.LANGUAGE_CODE):
        entries = [
            _event(showcase_id, EventCode.MEETING_HELD, first, coordinator, held_at),
            _event(showcase_id, EventCode.MEETING_PLANNED, second, None, second.created_at, citizen=citizen),
        ]
    Entry.objects.bulk_create(entries)
    return 2


def _event(household_id, code, meeting, place, moment, citizen=None) -> Entry:
    """The event ``samen.meetings.services`` writes for ``code`` (as ``event_record`` writes it)."""
    params = {"date": meeting.date_iso}
    if citizen is not None and citizen.user_id is not None:
        author = {"written_by_id": citizen.user_id, "organisation_id": None, "author_role": Role.CITIZEN}
    else:
        author = {
            "written_by_id": place.user_id,
            "organisation_id": place.organisation_id,
            "author_role": Role.COORDINATOR,
        }
    return Entry(
        household_id=household_id,
        kind=EntryKind.EVENT,
        category=DataCategory.GENERAL,
        text=events.sentence(code, params),
        source=events.SOURCES[code],
        event_code=code.value,
        event_params=params,
        created_at=moment,
        **author,
    )
