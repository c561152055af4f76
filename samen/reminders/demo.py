"""Demo reminders and notifications (synthetic, plain Dutch) for the demo generator.

``add_demo_reminders`` makes sure the showcase household (the lowest id) has things due in its plan, one for
each of the demo logins around it: an action for the debt counsellor (due tomorrow), two for the coordinator (due
today, and four days overdue: their work queue shows it), one for the client supporter (in three days) and one for
the citizen (two days overdue), and an evaluation moment in five days. It then adds the reminders the daily job
would add (``services.due_reminders``), so whoever logs in to the demo sees them at once.

``add_demo_notifications`` gives every demo login a few notifications of different kinds, as the other parts of
Samen would send them with ``services.notify`` (the same checks, through ``services.write_notifications``): a
lively conversation (one line, bumped), a mention, a signal, requests to help, a meeting; the network facilitator
an escalated signal and one for the breakthrough route; the policy advisor and the functional administrator, who
see no household, an invitation to a network meeting. Other parts of Samen add notifications of their own demo data
later.

Like the other demo modules these write rows directly (the demo run has one audit entry of its own) with a fixed
number of queries, and send no e-mail.
"""

from __future__ import annotations

import datetime

from django.urls import NoReverseMatch, reverse

from samen.accounts.models import User
from samen.consent.models import DataCategory
from samen.core.actor import Role
from samen.demo.logins import DEMO_LOGINS
from samen.households.models import HouseholdMember, TeamMember
from samen.plans.models import Action, EvaluationMoment, Goal, Plan, ZrmDomain
from samen.reminders.models import Notification, NotificationKind, Reminder
from samen.reminders.services import due_reminders, write_notifications

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
    add_demo_notifications(showcase_id=showcase_id, now=now)
    return added


DEMO_GROUP = "demo:"  # the group key of every demo notification starts so (a second run adds nothing)


def _path(name: str, *args, fallback: str = "/") -> str:
    """A page of Samen to link to; the home page when that page does not exist (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def add_demo_notifications(*, showcase_id: int, now: datetime.datetime) -> int:
    """Give each demo login a few notifications (see the module's docstring); returns how many lines were added.
    Does nothing when they are there already."""
    if Notification.objects.filter(group_key__startswith=DEMO_GROUP).exists():
        return 0
    emails = {login.role: login.email for login in DEMO_LOGINS}
    users = {user.email: user for user in User.objects.filter(email__in=emails.values())}
    who = {role: users.get(email) for role, email in emails.items()}
    if who[Role.CITIZEN] is None or who[Role.COORDINATOR] is None:
        return 0
    organisations = dict(
        TeamMember.objects.filter(household_id=showcase_id, left_at__isnull=True, organisation__isnull=False)
        .values_list("user_id", "organisation__name")
        .order_by()
    )

    def name(role: Role) -> str:
        user = who.get(role)
        return user.full_name if user is not None and user.full_name else "Iemand van het team"

    def organisation(role: Role) -> str:
        user = who.get(role)
        return organisations.get(user.pk, "Wijkteam") if user is not None else "Wijkteam"

    conversation = _path("conversations:household", showcase_id, fallback=_path("dossier:overview", showcase_id))
    overview = _path("dossier:overview", showcase_id)
    meeting_day = (now + datetime.timedelta(days=6)).date()
    last_meeting = (now - datetime.timedelta(days=3)).date()
    citizen, coordinator = Role.CITIZEN, Role.COORDINATOR
    professional, supporter = Role.PROFESSIONAL, Role.CLIENT_SUPPORTER
    # (who gets it, from whom (skipped), kind, category, link, facts, group, how long ago in hours, repeated).
    lines = [
        (citizen, coordinator, NotificationKind.MESSAGE, DataCategory.GENERAL, conversation,
         {"name": name(coordinator)}, "thread", 2, 3),
        (citizen, None, NotificationKind.MEETING_INVITED, DataCategory.GENERAL, overview,
         {"date": meeting_day}, "meeting", 20, 1),
        (citizen, None, NotificationKind.REFERRAL_UPDATE, DataCategory.GENERAL, overview,
         {"organisation": organisation(professional)}, "referral", 50, 1),
        (coordinator, citizen, NotificationKind.SIGNAL, DataCategory.GENERAL, conversation,
         {"name": name(citizen)}, "signal", 1, 1),
        (coordinator, professional, NotificationKind.MESSAGE, DataCategory.GENERAL, conversation,
         {"name": name(professional)}, "thread", 5, 2),
        (coordinator, None, NotificationKind.MEETING_OUTCOMES, DataCategory.GENERAL, overview,
         {"date": last_meeting}, "meeting-outcomes", 30, 1),
        (professional, coordinator, NotificationKind.REFERRAL_NEW, DataCategory.GENERAL, overview,
         {"organisation": organisation(coordinator)}, "referral", 3, 1),
        (professional, coordinator, NotificationKind.MENTION, DataCategory.GENERAL, conversation,
         {"name": name(coordinator)}, "mention", 6, 1),
        (professional, None, NotificationKind.MEETING_INVITED, DataCategory.GENERAL, overview,
         {"date": meeting_day}, "meeting", 20, 1),
        (supporter, citizen, NotificationKind.MESSAGE, DataCategory.GENERAL, conversation,
         {"name": name(citizen)}, "thread", 4, 1),
        (supporter, None, NotificationKind.MEETING_INVITED, DataCategory.GENERAL, overview,
         {"date": meeting_day}, "meeting", 20, 1),
        (Role.NETWORK_FACILITATOR, None, NotificationKind.SIGNAL_ESCALATED, None,
         _path("conversations:facilitator"), {}, "escalated", 8, 1),
        (Role.NETWORK_FACILITATOR, None, NotificationKind.SIGNAL_BREAKTHROUGH, None,
         _path("conversations:facilitator"), {}, "breakthrough", 26, 1),
        (Role.POLICY_ADVISOR, None, NotificationKind.SIGNAL_BREAKTHROUGH, None, "/", {}, "breakthrough", 26, 1),
        (Role.POLICY_ADVISOR, None, NotificationKind.MEETING_INVITED, None, "/", {"date": meeting_day},
         "network-meeting", 30, 1),
        (Role.FUNCTIONAL_ADMIN, None, NotificationKind.MEETING_INVITED, None, "/", {"date": meeting_day},
         "network-meeting", 30, 1),
    ]  # fmt: skip
    added = 0
    for role, sender, kind, category, url, params, group, hours, times in lines:
        user = who.get(role)
        if user is None:
            continue
        for time in range(times):
            written = write_notifications(
                skip=who[sender].pk if sender is not None and who.get(sender) is not None else None,
                recipients=[user.pk],
                household_id=showcase_id if category is not None else None,
                kind=kind,
                category=category or DataCategory.GENERAL,
                url=url,
                params=params,
                group_key=f"{DEMO_GROUP}{group}",
                now=now - datetime.timedelta(hours=hours, minutes=10 * (times - time)),
            )
            added += len(written.new)
    return added
