"""Demo reminders (synthetic, plain Dutch) for the demo generator.

``add_demo_reminders`` makes sure the showcase household (the lowest id) has things due in its plan, one for
each of the demo logins around it: an action for the debt counsellor (due tomorrow), two for the coordinator (due
today, and four days overdue: their work queue shows it), one for the client supporter (in three days) and one for
the citizen (two days overdue), and an evaluation moment in five days. It then adds the reminders the daily job
would add (``services.due_reminders``), so whoever logs in to the demo sees them at once. Like the other demo
modules it writes rows directly (the demo run has one audit entry of its own) with a fixed number of queries, and
sends no e-mail.
"""

from __future__ import annotations

import datetime

from samen.core.actor import Role
from samen.demo.logins import DEMO_LOGINS
from samen.households.models import HouseholdMember, TeamMember
from samen.plans.models import Action, EvaluationMoment, Goal, Plan, ZrmDomain
from samen.reminders.models import Reminder
from samen.reminders.services import due_reminders

EVALUATION_IN_DAYS = 5
# (domain of the goal, action, who does it (a demo login), due in days from today; negative: overdue).
DEMO_ACTIONS = [
    (
        ZrmDomain.FINANCES,
        "Inkomensgegevens van de laatste drie maanden naar de schuldhulp sturen",
        Role.PROFESSIONAL,
        1,
    ),
    (ZrmDomain.TIME_USE, "Huisbezoek plannen om het plan samen door te nemen", Role.COORDINATOR, 0),
    (
        ZrmDomain.HOUSING,
        "Samen met het gezin de brief over de schimmel naar de woningcorporatie sturen",
        Role.COORDINATOR,
        -4,
    ),
    (ZrmDomain.FINANCES, "Mee naar het gesprek over de aanvraag voor schuldhulp", Role.CLIENT_SUPPORTER, 3),
    (ZrmDomain.FINANCES, "Loonstroken opzoeken en in de map op de kast doen", Role.CITIZEN, -2),
]


def add_demo_reminders(*, household_ids: list[int], now: datetime.datetime) -> int:
    """Give the showcase household things due now and their reminders; returns how many reminders were added.
    Does nothing when the showcase has no current plan, or already has these actions."""
    if not household_ids:
        return 0
    showcase_id = min(household_ids)
    plan = Plan.objects.filter(household_id=showcase_id, is_current=True).first()
    if plan is None:
        return 0
    goals = {}
    for goal in Goal.objects.filter(plan=plan).order_by("created_at", "pk"):
        goals.setdefault(goal.domain, goal)
    emails = {login.role: login.email for login in DEMO_LOGINS}
    team = TeamMember.objects.filter(household_id=showcase_id, left_at__isnull=True, user__email__in=emails.values())
    places = dict(team.values_list("user__email", "pk"))
    citizen = HouseholdMember.objects.filter(household_id=showcase_id, user__email=emails[Role.CITIZEN]).first()
    today = now.date()
    existing = set(Action.objects.filter(goal__plan=plan).values_list("text", flat=True))
    actions = []
    for domain, text, role, days in DEMO_ACTIONS:
        goal = goals.get(domain)
        owner = (
            {"owner_member": citizen} if role == Role.CITIZEN else {"owner_team_member_id": places.get(emails[role])}
        )
        if goal is None or text in existing or not any(owner.values()):
            continue
        actions.append(
            Action(
                goal=goal,
                text=text,
                due_date=today + datetime.timedelta(days=days),
                created_at=now - datetime.timedelta(days=10),
                updated_at=now - datetime.timedelta(days=10),
                **owner,
            )
        )
    Action.objects.bulk_create(actions)
    evaluation = EvaluationMoment.objects.filter(plan=plan, outcome="", date__gte=today).order_by("date", "pk").first()
    day = today + datetime.timedelta(days=EVALUATION_IN_DAYS)
    if evaluation is None:
        EvaluationMoment.objects.create(plan=plan, date=day)
    elif evaluation.date > day:
        evaluation.date = day
        evaluation.save(update_fields=["date"])
    added = 0
    for batch in due_reminders(today, household_ids=[showcase_id], now=now):
        Reminder.objects.bulk_create(batch, ignore_conflicts=True)
        added += len(batch)
    return added
