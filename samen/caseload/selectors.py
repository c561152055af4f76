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
"""

from __future__ import annotations

import datetime
from dataclasses import astuple, dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
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
from samen.consent.selectors import grants_in_force_for
from samen.core.actor import Actor, Role
from samen.households.models import CoordinatorHandover, Household, TeamMember, TeamRole
from samen.plans.models import Action, ActionStatus, EvaluationMoment
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
# do, open consent requests, answered ones, handovers. Any household with something comes before every household
# with nothing. (Ordered by the selected counts themselves: a sum would compute every subquery a second time.)
ATTENTION_ORDER = (
    F("is_emergency").desc(),
    F("overdue_actions").desc(),
    F("evaluations_due").desc(),
    F("requests_open").desc(),
    F("requests_answered").desc(),
    F("handovers_to_me").desc(),
)
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


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """How many rows of ``queryset`` (already narrowed to the outer household through ``group``): 0 for none."""
    # Grouped by the outer household (Meta.ordering does not apply to a grouped query): one row, its count.
    counted = queryset.values(group).annotate(number=Count("pk")).values("number")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _overdue_actions(visible: QuerySet[ConsentGrant], today: datetime.date) -> Coalesce:
    """Open actions of open goals in the outer household's current plan, dated before ``today``, of goals the
    actor may see (``plans.view_goal``: the general category and the goal's own, by ``visible``)."""
    in_household = visible.filter(household_id=OuterRef("goal__plan__household_id"))
    actions = Action.objects.filter(
        Exists(in_household.filter(category=DataCategory.GENERAL)),
        Exists(in_household.filter(category=OuterRef("goal__category"))),
        goal__plan__household_id=OuterRef("pk"),
        goal__plan__is_current=True,
        goal__status__in=OPEN_GOAL_STATUSES,
        status=ActionStatus.OPEN,
        due_date__lt=today,
    )
    return _count(actions, "goal__plan__household_id")


def _evaluations_due(visible: QuerySet[ConsentGrant], today: datetime.date) -> Coalesce:
    """Evaluation moments of the outer household's current plan without an outcome, dated up to
    ``EVALUATION_DAYS_AHEAD`` days from ``today`` (or earlier), where the actor may see the plan (general)."""
    evaluations = EvaluationMoment.objects.filter(
        Exists(visible.filter(household_id=OuterRef("plan__household_id"), category=DataCategory.GENERAL)),
        plan__household_id=OuterRef("pk"),
        plan__is_current=True,
        outcome="",
        date__lte=today + datetime.timedelta(days=EVALUATION_DAYS_AHEAD),
    )
    return _count(evaluations, "plan__household_id")


def _work_queue(actor: Actor, now: datetime.datetime) -> dict:
    """The annotations of what needs the actor in the outer household (see the module's docstring)."""
    today = timezone.localdate(now)
    since = now - datetime.timedelta(days=RECENT_DAYS)
    emergency = BreakTheGlass.objects.filter(
        active_break_the_glass_q(now),
        household_id=OuterRef("pk"),
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
    )
    visible = grants_in_force_for(actor, now=now)

    def requests(**conditions) -> QuerySet[ConsentRequest]:
        """The consent requests of the actor's organisation in the outer household."""
        return ConsentRequest.objects.filter(
            household_id=OuterRef("pk"), organisation_id=actor.organisation_id, **conditions
        )

    handovers = CoordinatorHandover.objects.filter(
        ~Q(recorded_by_id=actor.user_id),
        household_id=OuterRef("pk"),
        occurred_at__gte=since,
        to_member__user_id=actor.user_id,
        to_member__organisation_id=actor.organisation_id,
        to_member__role=TeamRole.PROFESSIONAL,
        to_member__is_coordinator=True,
        to_member__left_at__isnull=True,
    )
    return {
        "is_emergency": Exists(emergency),
        "overdue_actions": _overdue_actions(visible, today),
        "evaluations_due": _evaluations_due(visible, today),
        "requests_open": _count(requests(status=ConsentRequestStatus.OPEN), "household_id"),
        "requests_answered": _count(
            requests(status__in=ANSWERED, answered_at__gte=since, answered_at__lte=now), "household_id"
        ),
        "handovers_to_me": _count(handovers, "household_id"),
    }


def caseload(
    actor: Actor,
    *,
    query: str = "",
    only: str = "",
    sort: str = SORT_NAME,
    now: datetime.datetime | None = None,
) -> QuerySet[Household]:
    """The households ``actor`` may see (``households_visible_to``), each annotated with:

    ``is_coordinator`` (the actor is its active coordinator), ``is_team_member`` (the actor has an active
    place in its team for their organisation), ``is_emergency`` (the actor is there on an active
    break-the-glass access), ``coordinator_organisation`` (the name of the coordinator's organisation, or
    None), ``team_size`` (active team members), ``access_since`` (see ``_access_since``), and what needs the
    actor there (see the module's docstring): ``overdue_actions``, ``evaluations_due``, ``requests_open``,
    ``requests_answered`` and ``handovers_to_me``.

    ``query`` narrows to names containing it (case-insensitive); ``only`` is "" or one of ``FILTERS``; ``sort`` is
    one of ``SORTS``: by name (the default here, and for anything unknown), what needs attention first (the
    page's default, ``DEFAULT_SORT``), or the newest access first. One query for a page of rows, whatever the
    number of households, actions or requests.
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
    households = households_visible_to(actor, now=now).annotate(
        is_coordinator=Exists(places.filter(role=TeamRole.PROFESSIONAL, is_coordinator=True)),
        is_team_member=Exists(places),
        coordinator_organisation=Subquery(coordinator.order_by().values("organisation__name")[:1]),
        team_size=Subquery(team_size),
        access_since=_access_since(actor, now),
        **_work_queue(actor, now),
    )
    if query:
        households = households.filter(name__icontains=query)
    households = _only(households, only)
    if sort == SORT_ATTENTION:
        return households.order_by(*ATTENTION_ORDER, "name", "pk")
    if sort == SORT_ACCESS:
        return households.order_by(F("access_since").desc(nulls_last=True), "name", "pk")
    return households.order_by("name", "pk")


def _only(households: QuerySet[Household], only: str) -> QuerySet[Household]:
    conditions = {
        FILTER_COORDINATOR: Q(is_coordinator=True),
        FILTER_EMERGENCY: Q(is_emergency=True),
        FILTER_ATTENTION: Q(is_emergency=True)
        | Q(overdue_actions__gt=0)
        | Q(evaluations_due__gt=0)
        | Q(requests_open__gt=0)
        | Q(requests_answered__gt=0)
        | Q(handovers_to_me__gt=0),
        FILTER_OVERDUE: Q(overdue_actions__gt=0),
        FILTER_EVALUATION: Q(evaluations_due__gt=0),
        FILTER_CONSENT: Q(requests_open__gt=0) | Q(requests_answered__gt=0),
        FILTER_HANDOVER: Q(handovers_to_me__gt=0),
    }
    condition = conditions.get(only)
    return households.filter(condition) if condition is not None else households


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
    the households concerned: ``[{"text": ..., "href": ...}]``, empty when nothing needs the actor."""
    counted = [
        (
            totals.overdue_actions,
            ngettext("%(count)d action past its date", "%(count)d actions past their date", totals.overdue_actions),
            FILTER_OVERDUE,
        ),
        (
            totals.evaluations_due,
            ngettext("%(count)d evaluation to do", "%(count)d evaluations to do", totals.evaluations_due),
            FILTER_EVALUATION,
        ),
        (
            totals.requests_open,
            ngettext(
                "%(count)d consent request waiting for an answer",
                "%(count)d consent requests waiting for an answer",
                totals.requests_open,
            ),
            FILTER_CONSENT,
        ),
        (
            totals.requests_answered,
            ngettext(
                "%(count)d consent request answered", "%(count)d consent requests answered", totals.requests_answered
            ),
            FILTER_CONSENT,
        ),
        (
            totals.emergency_households,
            ngettext(
                "Emergency access running in %(count)d household",
                "Emergency access running in %(count)d households",
                totals.emergency_households,
            ),
            FILTER_EMERGENCY,
        ),
        (
            totals.handed_over_households,
            ngettext(
                "%(count)d household handed over to you",
                "%(count)d households handed over to you",
                totals.handed_over_households,
            ),
            FILTER_HANDOVER,
        ),
    ]
    return [
        {"text": text % {"count": count}, "href": caseload_url(filter=only)} for count, text, only in counted if count
    ]


def attention_totals(actor: Actor, *, now: datetime.datetime | None = None) -> AttentionTotals:
    """The sums of the work queue over the actor's whole caseload (the households of ``caseload``, without search
    or filter): one query, whatever the number of households, actions or requests."""
    now = now or timezone.now()
    # Only the work queue's annotations: not the list's columns, which the sums do not need.
    households = households_visible_to(actor, now=now).annotate(**_work_queue(actor, now)).order_by()
    # Aliases of their own: an aggregate named like the annotation it sums would replace that annotation.
    totals = households.aggregate(
        total_overdue_actions=Sum("overdue_actions"),
        total_evaluations_due=Sum("evaluations_due"),
        total_requests_open=Sum("requests_open"),
        total_requests_answered=Sum("requests_answered"),
        total_emergency_households=Count("pk", filter=Q(is_emergency=True)),
        total_handed_over_households=Count("pk", filter=Q(handovers_to_me__gt=0)),
    )
    return AttentionTotals(**{name.removeprefix("total_"): value or 0 for name, value in totals.items()})


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
