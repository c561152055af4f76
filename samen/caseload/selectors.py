"""Reads for "Mijn huishoudens": the households an actor works in, what needs them there, and the places still
waiting for permission.

The rows come only from ``samen.consent.policies.households_visible_to`` (THE access policy); this module adds,
per household and in the same query, what the list shows about it (correlated subqueries, no N+1).

What needs the actor ("the work queue"), per household of the caseload:

- ``overdue_actions``: open actions of open goals in the current plan whose date has passed (before today);
- ``evaluations_due``: evaluation moments of the current plan without an outcome, dated up to
  ``EVALUATION_DAYS_AHEAD`` days from today - the window in which the reminders app reminds of them
  (``samen.reminders.services.due_evaluations``) - or earlier: one that passed without an outcome stays here
  until the outcome is written down (the reminders stop at the date; the work queue does not);
- ``requests_open`` and ``requests_answered``: consent requests of the actor's organisation still waiting for
  the household, and the ones the household answered (allowed or declined) in the last ``RECENT_DAYS`` days;
- ``is_emergency``: the actor's own break-the-glass access there is running;
- ``handovers_to_me``: the coordination was handed to the actor (their place is still the coordinator) in the
  last ``RECENT_DAYS`` days, by someone else.

Actions and evaluations count only where the actor may see them by consent - the rule of ``plans.view_goal``
(the general category and the goal's own) applied to ``samen.consent.selectors.grants_in_force_for``, the
set-based form of the consent policy. Break-the-glass access does not count, as in the reminders: it is for an
emergency look, not for working on the plan.

How it is read (``work_queue``), for the home page and "Mijn huishoudens" alike: the consent part through the ORM
and the policy (the actor's grants in force, their running emergency accesses: two small queries), the facts
(actions, evaluations, requests, handovers of those households) in one plain SQL statement, and the counting in
Python. Measured on the demo coordinator (SQLite): one ORM query of per-household subqueries took 11 ms to build
and compile for 1 ms of SQL, which made the home page three times slower; this takes about 2.5 ms. The caseload of
one person is small (a few dozen households, also in a town of 100,000: staff grows with the town), so the list is
sorted and filtered in Python and paged as a list.
"""

from __future__ import annotations

import datetime
from dataclasses import astuple, dataclass

from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import ngettext

from samen.consent.models import BreakTheGlass, ConsentGrant, ConsentRequest, ConsentRequestStatus, DataCategory
from samen.consent.policies import (
    PROFESSIONAL_ROLES,
    active_break_the_glass_q,
    active_grant_q,
    households_visible_to,
)
from samen.consent.selectors import granted_pairs
from samen.core.actor import Actor, Role
from samen.households.models import CoordinatorHandover, Household, TeamMember, TeamRole
from samen.plans.models import Action, ActionStatus, EvaluationMoment, Goal, Plan
from samen.reminders.policies import OPEN_GOAL_STATUSES
from samen.reminders.services import EVALUATION_DAYS_AHEAD

FILTER_COORDINATOR = "coordinator"
FILTER_EMERGENCY = "emergency"
FILTER_ATTENTION = "attention"
FILTER_OVERDUE = "overdue"
FILTER_EVALUATION = "evaluation"
FILTER_CONSENT = "consent"
FILTER_HANDOVER = "handover"
FILTERS = (
    FILTER_COORDINATOR,
    FILTER_EMERGENCY,
    FILTER_ATTENTION,
    FILTER_OVERDUE,
    FILTER_EVALUATION,
    FILTER_CONSENT,
    FILTER_HANDOVER,
)
SORT_ATTENTION = "attention"  # what needs the actor first (see ``ATTENTION_ORDER``), then by name: the page's default
SORT_NAME = "name"  # by name, A to Z
SORT_ACCESS = "access"  # the newest access first (households without a grant, emergency access only, last)
SORTS = (SORT_ATTENTION, SORT_NAME, SORT_ACCESS)
DEFAULT_SORT = SORT_ATTENTION
# "What needs attention first": a running emergency access, then the most actions past their date, evaluations to
# do, open consent requests, answered ones, handovers (``WorkQueue.urgency``); any household with something comes
# before every household with nothing; then by name.
WAITING_ROWS = 50
# Answered consent requests and coordinator handovers are news for this many days.
RECENT_DAYS = 14
ANSWERED = (ConsentRequestStatus.APPROVED, ConsentRequestStatus.DECLINED)


def _my_places(actor: Actor) -> QuerySet[TeamMember]:
    """The actor's active places in the team of the outer household, for the organisation they act for."""
    return TeamMember.objects.filter(
        household_id=OuterRef("pk"),
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        left_at__isnull=True,
    )


def _access_since(actor: Actor, now: datetime.datetime) -> Subquery:
    """When the actor's organisation (or the supporter, personally) got the access it has now: the start of
    its earliest active grant in the outer household."""
    grants = ConsentGrant.objects.filter(active_grant_q(now), household_id=OuterRef("pk"))
    if actor.role == Role.CLIENT_SUPPORTER:
        grants = grants.filter(
            team_member__user_id=actor.user_id,
            team_member__organisation_id=actor.organisation_id,
            team_member__role=TeamRole.SUPPORTER,
            team_member__left_at__isnull=True,
        )
    else:
        grants = grants.filter(organisation_id=actor.organisation_id)
    return Subquery(grants.order_by("valid_from").values("valid_from")[:1])


@dataclass(frozen=True)
class WorkQueue:
    """What needs the actor in one household (see the module's docstring)."""

    overdue_actions: int = 0
    evaluations_due: int = 0
    requests_open: int = 0
    requests_answered: int = 0
    is_emergency: bool = False
    handovers_to_me: int = 0

    @property
    def needs_attention(self) -> bool:
        return any(astuple(self))

    @property
    def urgency(self) -> tuple:
        """Sorts the most urgent first (in reverse): emergency, then the counts in the order of the columns."""
        return (
            self.is_emergency,
            self.overdue_actions,
            self.evaluations_due,
            self.requests_open,
            self.requests_answered,
            self.handovers_to_me,
        )


NOTHING_TO_DO = WorkQueue()

# The facts of the work queue in the actor's households, one row per fact: (kind, household, goal category). Plain
# SQL with its parameters (the tables' names come from the models); consent is not decided here but in Python on
# the rows, with the actor's grants in force (``work_queue``).
_FACTS_SQL = """
SELECT 'action', p.household_id, g.category FROM {action} a
  JOIN {goal} g ON a.goal_id = g.id JOIN {plan} p ON g.plan_id = p.id
  WHERE p.household_id IN ({ids}) AND p.is_current = %s AND g.status IN ({goal_statuses})
    AND a.status = %s AND a.due_date < %s
UNION ALL
SELECT 'evaluation', p.household_id, NULL FROM {evaluation} e JOIN {plan} p ON e.plan_id = p.id
  WHERE p.household_id IN ({ids}) AND p.is_current = %s AND e.outcome = '' AND e.date <= %s
UNION ALL
SELECT CASE WHEN r.status = %s THEN 'request_open' ELSE 'request_answered' END, r.household_id, NULL
  FROM {request} r
  WHERE r.household_id IN ({ids}) AND r.organisation_id = %s
    AND (r.status = %s OR (r.status IN ({answered}) AND r.answered_at >= %s AND r.answered_at <= %s))
UNION ALL
SELECT 'handover', h.household_id, NULL FROM {handover} h JOIN {member} t ON h.to_member_id = t.id
  WHERE h.household_id IN ({ids}) AND h.occurred_at >= %s AND (h.recorded_by_id IS NULL OR h.recorded_by_id <> %s)
    AND t.user_id = %s AND t.organisation_id = %s AND t.role = %s AND t.is_coordinator = %s AND t.left_at IS NULL
"""


def _facts(actor: Actor, household_ids: list[int], now: datetime.datetime) -> list[tuple[str, int, str | None]]:
    """The rows of ``_FACTS_SQL`` for ``household_ids`` (none: no query)."""
    if not household_ids:
        return []
    today = timezone.localdate(now)
    since = now - datetime.timedelta(days=RECENT_DAYS)
    ops = connection.ops
    ids = ", ".join(["%s"] * len(household_ids))
    sql = _FACTS_SQL.format(
        action=Action._meta.db_table,
        goal=Goal._meta.db_table,
        plan=Plan._meta.db_table,
        evaluation=EvaluationMoment._meta.db_table,
        request=ConsentRequest._meta.db_table,
        handover=CoordinatorHandover._meta.db_table,
        member=TeamMember._meta.db_table,
        ids=ids,
        goal_statuses=", ".join(["%s"] * len(OPEN_GOAL_STATUSES)),
        answered=", ".join(["%s"] * len(ANSWERED)),
    )
    params = [
        *household_ids, True, *OPEN_GOAL_STATUSES, ActionStatus.OPEN, ops.adapt_datefield_value(today),
        *household_ids, True, ops.adapt_datefield_value(today + datetime.timedelta(days=EVALUATION_DAYS_AHEAD)),
        ConsentRequestStatus.OPEN, *household_ids, actor.organisation_id, ConsentRequestStatus.OPEN, *ANSWERED,
        ops.adapt_datetimefield_value(since), ops.adapt_datetimefield_value(now),
        *household_ids, ops.adapt_datetimefield_value(since), actor.user_id, actor.user_id, actor.organisation_id,
        TeamRole.PROFESSIONAL, True,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def work_queue(
    actor: Actor,
    *,
    households: list[int] | None = None,
    granted: frozenset[tuple[int, str]] | None = None,
    now: datetime.datetime | None = None,
) -> dict[int, WorkQueue]:
    """What needs the actor, per household of their caseload that has something (the rest: ``NOTHING_TO_DO``).

    ``households``: the actor's caseload when the caller has it already (the ids of ``caseload``); otherwise it is
    the households of their grants in force and of their running emergency accesses - the two sources of
    ``households_visible_to``. ``granted``: ``samen.consent.selectors.granted_pairs`` when the caller read it
    already. Three queries (two small ORM ones and ``_FACTS_SQL``; two with ``granted``), whatever the number of
    households, actions or requests."""
    if actor.user_id is None or actor.organisation_id is None:
        return {}
    now = now or timezone.now()
    if granted is None:
        granted = granted_pairs(actor, now=now)
    emergency: set[int] = set()
    if actor.role in PROFESSIONAL_ROLES:
        emergency = set(
            BreakTheGlass.objects.filter(
                active_break_the_glass_q(now), user_id=actor.user_id, organisation_id=actor.organisation_id
            )
            .order_by()
            .values_list("household_id", flat=True)
        )
    if households is None:
        households = sorted({household_id for household_id, _category in granted} | emergency)
    queue: dict[int, dict] = {household_id: {"is_emergency": True} for household_id in emergency}
    fields = {
        "evaluation": "evaluations_due",
        "request_open": "requests_open",
        "request_answered": "requests_answered",
        "handover": "handovers_to_me",
    }
    for kind, household_id, category in _facts(actor, list(households), now):
        # Actions and evaluations are part of the plan: only with consent for general (and the goal's own kind).
        if kind in ("action", "evaluation") and (household_id, DataCategory.GENERAL) not in granted:
            continue
        if kind == "action" and (household_id, category) not in granted:
            continue
        counts = queue.setdefault(household_id, {})
        field = "overdue_actions" if kind == "action" else fields[kind]
        counts[field] = counts.get(field, 0) + 1
    return {household_id: WorkQueue(**counts) for household_id, counts in queue.items()}


def caseload(
    actor: Actor,
    *,
    query: str = "",
    only: str = "",
    sort: str = SORT_NAME,
    now: datetime.datetime | None = None,
) -> list[Household]:
    """The households ``actor`` may see (``households_visible_to``), each with:

    ``is_coordinator`` (the actor is its active coordinator), ``is_team_member`` (the actor has an active
    place in its team for their organisation), ``coordinator_organisation`` (the name of the coordinator's
    organisation, or None), ``team_size`` (active team members), ``access_since`` (see ``_access_since``), and what
    needs the actor there (``work``, a ``WorkQueue``, also as attributes: ``is_emergency``, ``overdue_actions``,
    ``evaluations_due``, ``requests_open``, ``requests_answered`` and ``handovers_to_me``).

    ``query`` narrows to names containing it (case-insensitive); ``only`` is "" or one of ``FILTERS``; ``sort`` is
    one of ``SORTS``: by name (the default here, and for anything unknown), what needs attention first (the
    page's default, ``DEFAULT_SORT``), or the newest access first. Four queries, whatever the number of households,
    actions or requests (see the module's docstring for why the list is sorted here and not in SQL).
    """
    now = now or timezone.now()
    places = _my_places(actor)
    coordinator = TeamMember.objects.filter(household_id=OuterRef("pk"), is_coordinator=True, left_at__isnull=True)
    team_size = (
        TeamMember.objects.filter(household_id=OuterRef("pk"), left_at__isnull=True)
        .order_by()
        .values("household_id")
        .annotate(size=Count("pk"))
        .values("size")
    )
    rows = list(
        households_visible_to(actor, now=now)
        .annotate(
            is_coordinator=Exists(places.filter(role=TeamRole.PROFESSIONAL, is_coordinator=True)),
            is_team_member=Exists(places),
            coordinator_organisation=Subquery(coordinator.order_by().values("organisation__name")[:1]),
            team_size=Subquery(team_size),
            access_since=_access_since(actor, now),
        )
        .order_by("name", "pk")
    )
    queue = work_queue(actor, households=[row.pk for row in rows], now=now)
    for row in rows:
        row.work = queue.get(row.pk, NOTHING_TO_DO)
        for name, value in vars(row.work).items():
            setattr(row, name, value)
    rows = narrow(rows, query=query, only=only)
    if sort == SORT_ATTENTION:
        # Stable sorts: by name first (as read), then the most urgent first.
        rows.sort(key=lambda row: row.work.urgency, reverse=True)
    elif sort == SORT_ACCESS:
        rows.sort(key=lambda row: -row.access_since.timestamp() if row.access_since else float("inf"))
    return rows


def narrow(rows: list[Household], *, query: str = "", only: str = "") -> list[Household]:
    """The rows of ``caseload`` whose name contains ``query`` (case-insensitive) and that ``only`` lets through."""
    wanted = query.casefold()
    return [row for row in rows if wanted in row.name.casefold() and _shown(row, only)]


def _shown(row: Household, only: str) -> bool:
    work = row.work
    if only == FILTER_COORDINATOR:
        return row.is_coordinator
    if only == FILTER_EMERGENCY:
        return work.is_emergency
    if only == FILTER_ATTENTION:
        return work.needs_attention
    if only == FILTER_OVERDUE:
        return work.overdue_actions > 0
    if only == FILTER_EVALUATION:
        return work.evaluations_due > 0
    if only == FILTER_CONSENT:
        return work.requests_open > 0 or work.requests_answered > 0
    if only == FILTER_HANDOVER:
        return work.handovers_to_me > 0
    return True


@dataclass(frozen=True)
class AttentionTotals:
    """What needs the actor over their whole caseload (the top of the home page and of "Mijn huishoudens")."""

    overdue_actions: int = 0
    evaluations_due: int = 0
    requests_open: int = 0
    requests_answered: int = 0
    emergency_households: int = 0  # households where the actor's emergency access is running
    handed_over_households: int = 0  # households handed over to the actor recently

    @property
    def is_empty(self) -> bool:
        return not any(astuple(self))


def caseload_url(**params: str) -> str:
    """The address of "Mijn huishoudens" with these GET parameters (empty ones left out)."""
    query = urlencode({name: value for name, value in params.items() if value})
    return f"{reverse('caseload:list')}?{query}" if query else reverse("caseload:list")


def attention_lines(totals: AttentionTotals) -> list[dict]:
    """The work queue in words, one line per kind that is not zero, each linking to "Mijn huishoudens" filtered on
    the households concerned: ``[{"text": ..., "href": ..., "calm": ...}]``, empty when nothing needs the actor. What
    only tells news (an answered request, a household handed over) is ``calm``: it is shown without a warning."""
    counted = [
        (
            totals.overdue_actions,
            ngettext("%(count)d action past its date", "%(count)d actions past their date", totals.overdue_actions),
            FILTER_OVERDUE,
            False,
        ),
        (
            totals.evaluations_due,
            ngettext("%(count)d evaluation to do", "%(count)d evaluations to do", totals.evaluations_due),
            FILTER_EVALUATION,
            False,
        ),
        (
            totals.requests_open,
            ngettext(
                "%(count)d consent request waiting for an answer",
                "%(count)d consent requests waiting for an answer",
                totals.requests_open,
            ),
            FILTER_CONSENT,
            False,
        ),
        (
            totals.requests_answered,
            ngettext(
                "%(count)d consent request answered", "%(count)d consent requests answered", totals.requests_answered
            ),
            FILTER_CONSENT,
            True,
        ),
        (
            totals.emergency_households,
            ngettext(
                "Emergency access running in %(count)d household",
                "Emergency access running in %(count)d households",
                totals.emergency_households,
            ),
            FILTER_EMERGENCY,
            False,
        ),
        (
            totals.handed_over_households,
            ngettext(
                "%(count)d household handed over to you",
                "%(count)d households handed over to you",
                totals.handed_over_households,
            ),
            FILTER_HANDOVER,
            True,
        ),
    ]
    return [
        {"text": text % {"count": count}, "href": caseload_url(filter=only), "calm": calm}
        for count, text, only, calm in counted
        if count
    ]


def attention_totals(
    actor: Actor,
    *,
    rows: list[Household] | None = None,
    granted: frozenset[tuple[int, str]] | None = None,
    now: datetime.datetime | None = None,
) -> AttentionTotals:
    """The sums of the work queue over the actor's whole caseload: from ``rows`` (all of ``caseload``, without
    search or filter) when the caller has them, no query; otherwise from ``work_queue`` (``granted`` passed on)."""
    if rows is not None:
        queues = [row.work for row in rows]
    else:
        queues = list(work_queue(actor, granted=granted, now=now).values())
    return AttentionTotals(
        overdue_actions=sum(queue.overdue_actions for queue in queues),
        evaluations_due=sum(queue.evaluations_due for queue in queues),
        requests_open=sum(queue.requests_open for queue in queues),
        requests_answered=sum(queue.requests_answered for queue in queues),
        emergency_households=sum(1 for queue in queues if queue.is_emergency),
        handed_over_households=sum(1 for queue in queues if queue.handovers_to_me),
    )


@dataclass(frozen=True)
class WaitingPlace:
    """A team place still waiting for the household's permission: only its number and when it was asked
    (the actor may not see the household's name yet)."""

    household_id: int
    asked_at: datetime.datetime


def waiting_for_permission(
    actor: Actor, *, now: datetime.datetime | None = None, limit: int = WAITING_ROWS
) -> list[WaitingPlace]:
    """The actor's active team places (as a professional of the organisation they act for) in households
    where that organisation has no active grant yet but an open consent request. One query; at most
    ``limit`` rows, the longest waiting first."""
    if actor.user_id is None or actor.organisation_id is None or actor.role not in PROFESSIONAL_ROLES:
        return []
    now = now or timezone.now()
    organisation_grant = ConsentGrant.objects.filter(
        active_grant_q(now), household_id=OuterRef("household_id"), organisation_id=actor.organisation_id
    )
    # Driven by the organisation's open requests (few), not by the actor's team places (a whole caseload).
    rows = (
        ConsentRequest.objects.filter(
            ~Q(Exists(organisation_grant)),
            organisation_id=actor.organisation_id,
            status=ConsentRequestStatus.OPEN,
            team_member__user_id=actor.user_id,
            team_member__organisation_id=actor.organisation_id,
            team_member__role=TeamRole.PROFESSIONAL,
            team_member__left_at__isnull=True,
            team_member__household_id=F("household_id"),
        )
        .values("household_id")
        .annotate(asked_at=Min("requested_at"))
        .order_by("asked_at", "household_id")
        .values_list("household_id", "asked_at")[:limit]
    )
    return [WaitingPlace(household_id=household_id, asked_at=asked_at) for household_id, asked_at in rows]
