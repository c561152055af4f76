"""Who sees which reminder and which notification, and who may be reminded at all (rules for
``samen.core.policy``). Deny by default.

A reminder is shown only to its recipient, and only while they may still see what it is about, for the role and
organisation they act in now: the rule of ``plans.view_goal`` (the general category and the goal's category; an
evaluation moment is part of the plan's general parts). Break-the-glass access does not count: reminders are for
the people who work on the plan, not for an emergency look (so a reminder is never shown where the plan policy
would say no). A reminder about something that is no longer due (the action is done, the outcome of the
evaluation is written down, the date moved, the plan or goal was closed) is not shown either.

A notification (``services.notify``) is shown only to its recipient, and, when it is about a household, only while
they may see its data category there now, in the role and organisation they act in (the rules of
``samen.consent.policies.categories_visible_to`` without break-the-glass access): a revoked consent, an expired
representation or leaving the team hides it at once, everywhere (the list, the unread count, the e-mails). One
without a household (the network facilitator's escalations) is shown to its recipient only.

These questions are answered set-based, because one page shows many lines and the daily job handles many
households:

- ``reminders_visible_to(actor)`` and ``notifications_visible_to(actor)``: the actor's lines they may see now, each
  one queryset (Exists subqueries on the team places and consent grants; a citizen's representations are read
  first, in one small query, ``representations_of``, which a page reads once for both);
- ``notifications_visible_to_person(user_id)``: for the e-mails, which go to a person: what they may see in at
  least one of the capacities they can act in (``capacities_of``);
- ``RecipientFacts.load(household_ids)`` with ``facts.sees(audience, category)``: for the daily job, what is
  needed to decide for every candidate recipient in a batch of households, in a fixed number of queries.

The rules follow ``samen.consent.policies.categories_visible_to`` for each role (built on its query helpers);
``tests/test_policies.py`` and ``tests/test_notification_policies.py`` check them against the consent policy for
everyone around a household.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from samen.accounts.models import User
from samen.consent.models import ALL_CATEGORIES, ConsentGrant, DataCategory
from samen.consent.policies import (
    CHILD_CATEGORIES,
    PROFESSIONAL_ROLES,
    active_grant_q,
    active_representation_q,
    full_view_born_on_or_before,
    member_categories,
    parse_id,
)
from samen.core.actor import Actor, Role
from samen.core.audit import dutch_day
from samen.core.policy import rule
from samen.households.models import HouseholdMember, Representative, TeamMember, TeamRole
from samen.organisations.models import Membership, MembershipRole, Organisation
from samen.plans.models import ActionStatus, GoalStatus
from samen.reminders.models import Notification, Reminder, ReminderKind

GENERAL = DataCategory.GENERAL
NO_CATEGORIES: frozenset[DataCategory] = frozenset()
OPEN_GOAL_STATUSES = (GoalStatus.OPEN, GoalStatus.IN_PROGRESS)
# The membership roles in which someone works in a team as a professional (and so acts as one).
TEAM_PROFESSIONAL_ROLES = frozenset({MembershipRole.PROFESSIONAL, MembershipRole.COORDINATOR})


def _as_categories(values) -> frozenset[DataCategory]:
    found = set()
    for value in values or ():
        try:
            found.add(DataCategory(value))
        except ValueError:
            continue
    return frozenset(found)


def _scope(scope) -> frozenset[DataCategory]:
    """A representation's categories: its scope, or all of them when the scope is empty."""
    return _as_categories(scope) if scope else ALL_CATEGORIES


def sees_goal(categories: frozenset[DataCategory], category: Any) -> bool:
    """The rule of ``plans.view_goal``: the general category and the goal's own."""
    return GENERAL in categories and category in categories


# --- the reminders an actor sees now ----------------------------------------------------------------------------


def still_due_q() -> Q:
    """The reminder is about something still to do, on the date it names, in the household's current plan."""
    return Q(
        kind=ReminderKind.ACTION_DUE,
        action__status=ActionStatus.OPEN,
        action__due_date=F("due_date"),
        action__goal__status__in=OPEN_GOAL_STATUSES,
        action__goal__plan__is_current=True,
    ) | Q(
        kind=ReminderKind.EVALUATION_DUE,
        evaluation__outcome="",
        evaluation__date=F("due_date"),
        evaluation__plan__is_current=True,
    )


def reminder_category() -> Case:
    """The category of what a reminder is about: the goal's for an action, general for an evaluation."""
    return Case(
        When(kind=ReminderKind.ACTION_DUE, then=F("action__goal__category")),
        default=Value(GENERAL.value),
        output_field=CharField(),
    )


def _professional_sees(actor: Actor, now: datetime.datetime) -> Q:
    """In the team for the organisation they act for, which has an active grant for general and the category."""
    places = TeamMember.objects.filter(
        household_id=OuterRef("household_id"),
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        role=TeamRole.PROFESSIONAL,
        left_at__isnull=True,
    )
    grants = ConsentGrant.objects.filter(
        active_grant_q(now), household_id=OuterRef("household_id"), organisation_id=actor.organisation_id
    )
    return Q(
        Exists(places),
        Exists(grants.filter(category=GENERAL)),
        Exists(grants.filter(category=OuterRef("target_category"))),
    )


def _personal_grants(user_id: int, role: TeamRole, now: datetime.datetime) -> QuerySet[ConsentGrant]:
    """Active grants in the outer reminder's household to the user personally, as an active team member in
    ``role`` of that household (``samen.consent.policies._personal_grants``)."""
    return ConsentGrant.objects.filter(
        active_grant_q(now),
        household_id=OuterRef("household_id"),
        team_member__user_id=user_id,
        team_member__role=role,
        team_member__left_at__isnull=True,
        team_member__household_id=F("household_id"),
    )


def _supporter_sees(actor: Actor, now: datetime.datetime) -> Q:
    grants = _personal_grants(actor.user_id, TeamRole.SUPPORTER, now).filter(
        team_member__organisation_id=actor.organisation_id
    )
    return Q(Exists(grants.filter(category=GENERAL)), Exists(grants.filter(category=OuterRef("target_category"))))


Represented = dict[int, frozenset[DataCategory]]


def representations_of(actor: Actor, now: datetime.datetime) -> Represented:
    """A citizen's representations in force: per household, the union of their scopes (one small query). Read once
    per request and passed to ``reminders_visible_to`` and ``notifications_visible_to`` (``represented``)."""
    represented: dict[int, set[DataCategory]] = defaultdict(set)
    if actor.user_id is None or actor.role != Role.CITIZEN:
        return {}
    representations = Representative.objects.filter(active_representation_q(now), user_id=actor.user_id)
    for household_id, scope in representations.values_list("member__household_id", "scope").order_by():
        represented[household_id] |= _scope(scope)
    return {household_id: frozenset(categories) for household_id, categories in represented.items()}


def _citizen_sees(actor: Actor, now: datetime.datetime, represented: Represented | None = None) -> Q:
    """A member sees everything of their household from 16 on, general and youth before (``member_categories``);
    besides, the union of the scopes of their representations there and their personal grants in its informal
    network (``citizen_relation`` + ``_personal_grants``)."""
    user_id = actor.user_id
    membership = HouseholdMember.objects.filter(household_id=OuterRef("household_id"), user_id=user_id)
    full_view = Exists(membership.filter(date_of_birth__lte=full_view_born_on_or_before(dutch_day(now))))
    child_view = Q(Exists(membership), target_category__in=sorted(category.value for category in CHILD_CATEGORIES))
    informal = _personal_grants(user_id, TeamRole.INFORMAL, now)
    informal_general = Exists(informal.filter(category=GENERAL))
    informal_category = Exists(informal.filter(category=OuterRef("target_category")))
    sees = Q(full_view) | child_view | Q(informal_general, informal_category)
    if represented is None:
        represented = representations_of(actor, now)
    for household_id, categories in sorted(represented.items()):
        in_category = Q(target_category__in=sorted(value.value for value in categories)) | Q(informal_category)
        if GENERAL in categories:
            sees |= Q(household_id=household_id) & in_category
        else:
            sees |= Q(household_id=household_id) & Q(informal_general) & in_category
    return sees


def reminders_visible_to(
    actor: Actor, *, now: datetime.datetime | None = None, represented: Represented | None = None
) -> QuerySet[Reminder]:
    """The actor's own reminders that are still due and that they may see now. One query when evaluated (for a
    citizen, one small query first for their representations, unless ``represented`` holds them already), whatever
    the number of reminders."""
    if actor.user_id is None or not actor.is_authenticated:
        return Reminder.objects.none()
    now = now or timezone.now()
    if actor.role == Role.CITIZEN:
        sees = _citizen_sees(actor, now, represented)
    elif actor.role == Role.CLIENT_SUPPORTER and actor.organisation_id is not None:
        sees = _supporter_sees(actor, now)
    elif actor.role in PROFESSIONAL_ROLES and actor.organisation_id is not None:
        sees = _professional_sees(actor, now)
    else:
        return Reminder.objects.none()
    return (
        Reminder.objects.filter(recipient_id=actor.user_id)
        .filter(still_due_q())
        .annotate(target_category=reminder_category())
        .filter(sees)
    )


# The roles whose unread count is decided by their grants in force alone (``selectors.unread_count_with``).
WORKS_BY_GRANTS = PROFESSIONAL_ROLES | {Role.CLIENT_SUPPORTER}


def reminder_for(actor: Actor, reminder_id: Any, *, now: datetime.datetime | None = None) -> Reminder:
    """The reminder with ``reminder_id`` if it is the actor's and they may see it now; ``Http404`` when it is
    missing, someone else's, no longer shown, or the id is not an id at all (no query for a malformed id)."""
    pk = parse_id(reminder_id)
    if pk is None:
        raise Http404
    reminder = reminders_visible_to(actor, now=now).filter(pk=pk).first()
    if reminder is None:
        raise Http404
    return reminder


# --- the notifications an actor sees now ----------------------------------------------------------------------
#
# A notification about a household is shown to its recipient while they may see its data category there now, in
# the role and organisation they act in: a professional while their organisation has an active grant for that
# category and they are in the team for it; the independent client supporter with a personal grant for it; a
# citizen as a member (``member_categories``), a representative (the scope) or the informal network (a personal
# grant). Unlike a reminder (the rule of ``plans.view_goal``) the category alone decides: a notification is about a
# message or a meeting, not about a goal. Break-the-glass access does not count. A notification without a household
# (to the network facilitator) is shown to its recipient only, whatever their role.


def _notification_professional_sees(actor: Actor, now: datetime.datetime) -> Q:
    places = TeamMember.objects.filter(
        household_id=OuterRef("household_id"),
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        role=TeamRole.PROFESSIONAL,
        left_at__isnull=True,
    )
    grants = ConsentGrant.objects.filter(
        active_grant_q(now),
        household_id=OuterRef("household_id"),
        organisation_id=actor.organisation_id,
        category=OuterRef("category"),
    )
    return Q(Exists(places), Exists(grants))


def _notification_supporter_sees(actor: Actor, now: datetime.datetime) -> Q:
    grants = _personal_grants(actor.user_id, TeamRole.SUPPORTER, now).filter(
        team_member__organisation_id=actor.organisation_id, category=OuterRef("category")
    )
    return Q(Exists(grants))


def _notification_citizen_sees(actor: Actor, now: datetime.datetime, represented: Represented | None = None) -> Q:
    """As ``_citizen_sees``, for the notification's own category only."""
    user_id = actor.user_id
    membership = HouseholdMember.objects.filter(household_id=OuterRef("household_id"), user_id=user_id)
    full_view = Exists(membership.filter(date_of_birth__lte=full_view_born_on_or_before(dutch_day(now))))
    child_view = Q(Exists(membership), category__in=sorted(category.value for category in CHILD_CATEGORIES))
    informal = Exists(_personal_grants(user_id, TeamRole.INFORMAL, now).filter(category=OuterRef("category")))
    sees = Q(full_view) | child_view | Q(informal)
    if represented is None:
        represented = representations_of(actor, now)
    for household_id, categories in sorted(represented.items()):
        sees |= Q(household_id=household_id, category__in=sorted(value.value for value in categories))
    return sees


def _notification_sees(actor: Actor, now: datetime.datetime, represented: Represented | None = None) -> Q | None:
    """The condition under which ``actor`` sees a notification about a household, or None: none at all."""
    if actor.user_id is None or not actor.is_authenticated:
        return None
    if actor.role == Role.CITIZEN:
        return _notification_citizen_sees(actor, now, represented)
    if actor.role == Role.CLIENT_SUPPORTER and actor.organisation_id is not None:
        return _notification_supporter_sees(actor, now)
    if actor.role in PROFESSIONAL_ROLES and actor.organisation_id is not None:
        return _notification_professional_sees(actor, now)
    return None


def notifications_visible_to(
    actor: Actor, *, now: datetime.datetime | None = None, represented: Represented | None = None
) -> QuerySet[Notification]:
    """The actor's own notifications that they may see now. One query when evaluated (for a citizen, one small query
    first for their representations, unless ``represented`` holds them already), whatever the number of
    notifications."""
    if actor.user_id is None or not actor.is_authenticated:
        return Notification.objects.none()
    sees = _notification_sees(actor, now or timezone.now(), represented)
    without_household = Q(household_id__isnull=True)
    return Notification.objects.filter(recipient_id=actor.user_id).filter(
        without_household | sees if sees is not None else without_household
    )


def capacities_of(user_id: int) -> list[Actor]:
    """The Actors ``user_id`` can act as: one per active membership (organisation and role), or a citizen when they
    have none (someone with a membership acts as a professional, never as a citizen). One query. For the e-mails,
    which are sent to a person, not to a session."""
    user = User(pk=user_id)
    rows = (
        Membership.objects.filter(user_id=user_id, is_active=True, organisation__is_active=True)
        .order_by("created_at", "pk")
        .values_list("organisation_id", "role")
    )
    actors = [Actor(user=user, role=Role(role), organisation=Organisation(pk=org)) for org, role in rows]
    return actors or [Actor(user=user, role=Role.CITIZEN)]


def notifications_visible_to_person(user_id: int, *, now: datetime.datetime | None = None) -> QuerySet[Notification]:
    """The notifications of ``user_id`` that they may see now in at least one of their capacities
    (``capacities_of``): what an e-mail may count. One query for the capacities (and one per representation list of
    a citizen), then one when evaluated."""
    now = now or timezone.now()
    condition = Q(household_id__isnull=True)
    for actor in capacities_of(user_id):
        sees = _notification_sees(actor, now)
        if sees is not None:
            condition |= sees
    return Notification.objects.filter(recipient_id=user_id).filter(condition)


def notification_for(actor: Actor, notification_id: Any, *, now: datetime.datetime | None = None) -> Notification:
    """The notification with ``notification_id`` if it is the actor's and they may see it now; ``Http404`` when it
    is missing, someone else's, hidden, or the id is not an id at all (no query for a malformed id)."""
    pk = parse_id(notification_id)
    if pk is None:
        raise Http404
    notification = notifications_visible_to(actor, now=now).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification


# --- rules ---------------------------------------------------------------------------------------------------


@rule("reminders.view_list")
def view_list(actor: Actor, obj: None = None) -> bool:
    """The page "Herinneringen": for everyone who is logged in (it lists only their own reminders)."""
    return actor.user_id is not None and actor.is_authenticated and actor.role != Role.SYSTEM


@rule("reminders.mark_read")
def mark_read(actor: Actor, reminder: Reminder | None) -> bool:
    """Marking a reminder read: its recipient, while they may see it (one query; the views fetch it with
    ``reminder_for``, which already checked this)."""
    if not isinstance(reminder, Reminder) or reminder.pk is None or actor.user_id != reminder.recipient_id:
        return False
    return reminders_visible_to(actor).filter(pk=reminder.pk).exists()


@rule("reminders.mark_notification_read")
def mark_notification_read(actor: Actor, notification: Notification | None) -> bool:
    """Marking a notification read: its recipient, while they may see it (one query; the views fetch it with
    ``notification_for``, which already checked this)."""
    if (
        not isinstance(notification, Notification)
        or notification.pk is None
        or actor.user_id != notification.recipient_id
    ):
        return False
    return notifications_visible_to(actor).filter(pk=notification.pk).exists()


@rule("reminders.notify")
def notify(actor: Actor, obj: None = None) -> bool:
    """Telling people that something needs them: any part of Samen, acting for someone who is logged in or as the
    system. The caller decided already that the actor may do what the notification is about; who sees the
    notification is decided again when it is read (``notifications_visible_to``)."""
    return actor.role == Role.SYSTEM or (actor.user_id is not None and actor.is_authenticated)


@rule("reminders.change_preferences")
def change_preferences(actor: Actor, obj: None = None) -> bool:
    """A person's own e-mail choice: everyone who is logged in."""
    return view_list(actor)


@rule("reminders.create_due")
def create_due(actor: Actor, obj: None = None) -> bool:
    """The daily job runs as the system."""
    return actor.role == Role.SYSTEM


# --- who may be reminded: the daily job --------------------------------------------------------------------------

CITIZEN, PROFESSIONAL, SUPPORTER = "citizen", "professional", "supporter"


@dataclass(frozen=True, slots=True)
class Audience:
    """Someone who could be reminded about something in ``household_id``, in the capacity in which they would
    see it: as a citizen (member, representative, informal network), as a professional of ``organisation_id``,
    or as the independent supporter of ``organisation_id``."""

    user_id: int
    household_id: int
    capacity: str
    organisation_id: int | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """An active place in a household's team, of a person with an active account."""

    id: int
    household_id: int
    user_id: int
    role: str
    organisation_id: int | None
    is_coordinator: bool


class RecipientFacts:
    """Everything the daily job needs about a batch of households to decide who is reminded: their members with
    an account, their representatives in force, their teams now (people with an active account), the consent in
    force, and those people's active memberships. Five queries, whatever the number of households; the answers
    below are dictionary lookups."""

    def __init__(self) -> None:
        self._member_accounts: dict[int, list[int]] = defaultdict(list)  # member -> [user]
        self._household_accounts: dict[int, list[int]] = defaultdict(list)  # household -> [user]
        self._members: dict[tuple[int, int], object] = {}  # (household, user) -> date of birth (or None)
        self._today = None  # the Dutch calendar day of ``now`` (a member's age)
        self._representatives: dict[int, list[int]] = defaultdict(list)  # member -> [user]
        self._represented: dict[tuple[int, int], set[DataCategory]] = defaultdict(set)  # (household, user)
        self._places: dict[int, Place] = {}
        self._team: dict[int, list[Place]] = defaultdict(list)  # household -> places
        self._organisation_grants: dict[tuple[int, int], set[DataCategory]] = defaultdict(set)
        self._personal_grants: dict[int, set[DataCategory]] = defaultdict(set)  # place -> categories
        self._memberships: dict[int, set[tuple[int, str]]] = defaultdict(set)  # user -> {(organisation, role)}

    @classmethod
    def load(cls, household_ids, *, now: datetime.datetime) -> RecipientFacts:
        ids = sorted(set(household_ids))
        facts = cls()
        facts._today = dutch_day(now)
        if not ids:
            return facts
        accounts = HouseholdMember.objects.filter(household_id__in=ids, user__isnull=False, user__is_active=True)
        for household_id, member_id, user_id, date_of_birth in accounts.order_by().values_list(
            "household_id", "pk", "user_id", "date_of_birth"
        ):
            facts._member_accounts[member_id].append(user_id)
            facts._household_accounts[household_id].append(user_id)
            facts._members[(household_id, user_id)] = date_of_birth
        representatives = Representative.objects.filter(
            active_representation_q(now), member__household_id__in=ids, user__is_active=True
        )
        for household_id, member_id, user_id, scope in representatives.order_by().values_list(
            "member__household_id", "member_id", "user_id", "scope"
        ):
            facts._representatives[member_id].append(user_id)
            facts._represented[(household_id, user_id)] |= _scope(scope)
        team = TeamMember.objects.filter(household_id__in=ids, left_at__isnull=True, user__is_active=True)
        for row in team.order_by().values_list(
            "pk", "household_id", "user_id", "role", "organisation_id", "is_coordinator"
        ):
            place = Place(*row)
            facts._places[place.id] = place
            facts._team[place.household_id].append(place)
        grants = ConsentGrant.objects.filter(active_grant_q(now), household_id__in=ids)
        for household_id, organisation_id, place_id, place_household_id, category in grants.order_by().values_list(
            "household_id", "organisation_id", "team_member_id", "team_member__household_id", "category"
        ):
            categories = _as_categories([category])
            if organisation_id is not None:
                facts._organisation_grants[(household_id, organisation_id)] |= categories
            elif place_household_id == household_id:
                facts._personal_grants[place_id] |= categories
        users = (
            {user for users in facts._household_accounts.values() for user in users}
            | {user for users in facts._representatives.values() for user in users}
            | {place.user_id for place in facts._places.values()}
        )
        memberships = Membership.objects.filter(user_id__in=sorted(users), is_active=True, organisation__is_active=True)
        for user_id, organisation_id, role in memberships.order_by().values_list("user_id", "organisation_id", "role"):
            facts._memberships[user_id].add((organisation_id, role))
        return facts

    # --- who is who (for the job to find the people to remind) -------------------------------------------

    def accounts_of_member(self, member_id: int | None) -> list[int]:
        return self._member_accounts.get(member_id, []) if member_id is not None else []

    def representatives_of(self, member_id: int | None) -> list[int]:
        return self._representatives.get(member_id, []) if member_id is not None else []

    def accounts_in(self, household_id: int) -> list[int]:
        return self._household_accounts.get(household_id, [])

    def representatives_in(self, household_id: int) -> list[int]:
        """The accounts with a representation in force for a member of ``household_id``."""
        return sorted({user_id for (household, user_id) in self._represented if household == household_id})

    def place(self, place_id: int | None) -> Place | None:
        return self._places.get(place_id) if place_id is not None else None

    def team(self, household_id: int) -> list[Place]:
        return self._team.get(household_id, [])

    # --- what they may see ------------------------------------------------------------------------------------

    def categories(self, audience: Audience) -> frozenset[DataCategory]:
        """What ``audience`` may see of its household now, in its capacity (``categories_visible_to`` without
        break-the-glass)."""
        household_id, user_id, organisation_id = audience.household_id, audience.user_id, audience.organisation_id
        memberships = self._memberships.get(user_id, set())
        if audience.capacity == CITIZEN:
            if memberships:
                return NO_CATEGORIES  # someone with a membership acts as a professional, never as a citizen
            visible = set(self._represented.get((household_id, user_id), ()))
            if (household_id, user_id) in self._members:
                visible |= member_categories(self._members[(household_id, user_id)], self._today)
            for place in self.team(household_id):
                if place.user_id == user_id and place.role == TeamRole.INFORMAL:
                    visible |= self._personal_grants.get(place.id, set())
            return frozenset(visible)
        if audience.capacity == PROFESSIONAL:
            acts_there = any(o == organisation_id and role in TEAM_PROFESSIONAL_ROLES for o, role in memberships)
            in_team = any(
                place.user_id == user_id
                and place.organisation_id == organisation_id
                and place.role == TeamRole.PROFESSIONAL
                for place in self.team(household_id)
            )
            if not (acts_there and in_team):
                return NO_CATEGORIES
            return frozenset(self._organisation_grants.get((household_id, organisation_id), ()))
        if audience.capacity == SUPPORTER:
            if (organisation_id, MembershipRole.CLIENT_SUPPORTER) not in memberships:
                return NO_CATEGORIES
            visible = set()
            for place in self.team(household_id):
                if (
                    place.user_id == user_id
                    and place.organisation_id == organisation_id
                    and place.role == TeamRole.SUPPORTER
                ):
                    visible |= self._personal_grants.get(place.id, set())
            return frozenset(visible)
        return NO_CATEGORIES

    def sees(self, audience: Audience, category: Any) -> bool:
        return sees_goal(self.categories(audience), category)
