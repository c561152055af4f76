"""THE access policy for household data (conventions.md, convention 3). Deny by default.

Who sees a household, and which of its data categories:

- a citizen: their own household as a member - every category from the day they turn 16 (``FULL_VIEW_AGE``);
  a member under 16, or whose date of birth is not known, sees only general and youth (what is written about
  them as a child: ``CHILD_CATEGORIES``); the age is taken on the Dutch calendar day (Europe/Amsterdam);
- a representative: the households of the members they represent, during the representation's
  period - the categories of its scope (an empty scope means all);
- an informal network member, or the independent client supporter: a household where they are in
  the team and the citizen gave them, personally, an active grant - those categories;
- a professional or coordinator: a household where they are in the team for the organisation they
  act for and that organisation has an active grant - the granted categories; plus the categories of
  their own active break-the-glass access (which needs no team membership and no consent);
- everybody else (facilitator, policy advisor, functional administrator, anonymous, system): nothing.

The role is the hat the actor wears (``samen.core.actor``): household membership, representation and the
informal network count only for someone acting as a citizen; team membership and grants only for the
organisation the professional acts for now.

"Active" is evaluated when the function is called (``now``), so a revocation or an expiry takes effect
on the very next request. ``household_for`` answers 404 for both "missing" and "forbidden".

A household page asks ``household_access`` once: the household and the answers of the functions below for it, in
one query for a professional, passed on to the rules (``(household, visible)``) and to ``writable_categories``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from samen.accounts.models import User
from samen.consent.models import ALL_CATEGORIES, BreakTheGlass, ConsentGrant, DataCategory
from samen.core.actor import Actor, Role
from samen.core.aggregates import GroupConcat
from samen.core.audit import dutch_day
from samen.core.policy import rule
from samen.core.prepared import PreparedQuery
from samen.households.models import Household, HouseholdMember, Representative, TeamMember, TeamRole
from samen.organisations.models import Organisation

# The roles that work in a household's team for an organisation and can receive an organisation's grant.
PROFESSIONAL_ROLES = frozenset({Role.PROFESSIONAL, Role.COORDINATOR})
ADULT_AGE = 18
# A member of the household sees every category of it from this age; before it only ``CHILD_CATEGORIES``.
FULL_VIEW_AGE = 16
CHILD_CATEGORIES: frozenset[DataCategory] = frozenset({DataCategory.GENERAL, DataCategory.YOUTH})
NO_CATEGORIES: frozenset[DataCategory] = frozenset()

_ID_PATTERN = re.compile(r"[0-9]{1,19}")
_MAX_ID = 2**63 - 1  # the largest value a BigAutoField holds on every supported database


# --- "active", as query conditions (evaluated at ``now``) ------------------------------------------------


def active_grant_q(now: datetime.datetime, prefix: str = "") -> Q:
    """A grant is active when it is not revoked and ``valid_from <= now < valid_until`` (or no end)."""
    return Q(**{f"{prefix}revoked_at__isnull": True, f"{prefix}valid_from__lte": now}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": now})
    )


def active_representation_q(now: datetime.datetime, prefix: str = "") -> Q:
    """A representation counts from ``valid_from`` until ``valid_until``, unless it was ended
    (the same test as ``Representative.is_active_at``)."""
    return Q(**{f"{prefix}ended_at__isnull": True, f"{prefix}valid_from__lte": now}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": now})
    )


def active_break_the_glass_q(now: datetime.datetime) -> Q:
    return Q(ended_at__isnull=True, started_at__lte=now, expires_at__gt=now)


def parse_id(value: Any) -> int | None:
    """A primary key from a URL or a form (digits only, in range), or None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ID_PATTERN.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 0 < number <= _MAX_ID else None


def _household_id(household: Household | int | None) -> int | None:
    if household is None:
        return None
    if isinstance(household, Household):
        return household.pk
    return parse_id(household)


def _category(value: Any) -> DataCategory | None:
    try:
        return DataCategory(value)
    except ValueError:
        return None


def _works_for_an_organisation(actor: Actor) -> bool:
    return actor.user_id is not None and actor.organisation_id is not None


# --- which households --------------------------------------------------------------------------------------


def households_visible_to(actor: Actor, *, now: datetime.datetime | None = None) -> QuerySet[Household]:
    """The households ``actor`` may see at all (one query when evaluated, whatever the number of households).

    The visible ids come from a UNION of small, indexed lookups starting at the actor (their memberships,
    representations, team places, grants), never from a scan of all households.
    """
    user_id = actor.user_id
    if user_id is None:
        return Household.objects.none()
    now = now or timezone.now()
    if actor.role == Role.CITIZEN:
        sources = _citizen_sources(user_id, now)
    elif actor.role == Role.CLIENT_SUPPORTER and actor.organisation_id is not None:
        sources = [
            _personal_grants(
                user_id=user_id, role=TeamRole.SUPPORTER, organisation_id=actor.organisation_id, now=now
            ).values("household_id")
        ]
    elif actor.role in PROFESSIONAL_ROLES and actor.organisation_id is not None:
        organisation_grant = ConsentGrant.objects.filter(
            active_grant_q(now), household_id=OuterRef("household_id"), organisation_id=actor.organisation_id
        )
        sources = [
            _professional_places(actor).filter(Exists(organisation_grant)).values("household_id"),
            BreakTheGlass.objects.filter(
                active_break_the_glass_q(now), user_id=user_id, organisation_id=actor.organisation_id
            ).values("household_id"),
        ]
    else:
        return Household.objects.none()
    first, *rest = (source.order_by() for source in sources)
    return Household.objects.filter(pk__in=first.union(*rest) if rest else first)


def _citizen_sources(user_id: int, now: datetime.datetime) -> list[QuerySet]:
    """The ids of the households a citizen sees: as a member, as a representative now, and as informal network
    with a personal grant (three indexed lookups, for a UNION)."""
    return [
        HouseholdMember.objects.filter(user_id=user_id).values("household_id"),
        Representative.objects.filter(active_representation_q(now), user_id=user_id).values("member__household_id"),
        _personal_grants(user_id=user_id, role=TeamRole.INFORMAL, now=now).values("household_id"),
    ]


def household_for(actor: Actor, household_id: Any, *, now: datetime.datetime | None = None) -> Household:
    """The household with ``household_id`` if ``actor`` may see it; ``Http404`` when it is missing, forbidden,
    or the id is not an id at all (one query, none for a malformed id)."""
    pk = parse_id(household_id)
    if pk is None:
        raise Http404
    household = households_visible_to(actor, now=now).filter(pk=pk).first()
    if household is None:
        raise Http404
    return household


@dataclass(frozen=True)
class HouseholdAccess:
    """What a household page needs to know about the actor's access, asked once per request (``household_access``).

    - ``visible``: the categories the actor may see now (``categories_visible_to``);
    - ``consented``: for a professional, the categories their organisation has consent for while they are in the
      team (``consented_categories``: where they may work; break-the-glass access only reads); empty for others;
    - ``emergency``: the actor has an active break-the-glass access of their own (``break_the_glass_of``);
    - ``citizen``: the actor's relation to the household as a citizen (``citizen_relation``).
    """

    household: Household
    visible: frozenset[DataCategory]
    consented: frozenset[DataCategory] = NO_CATEGORIES
    emergency: bool = False
    citizen: CitizenRelation = field(default_factory=lambda: CitizenRelation())


def household_access(actor: Actor, household_id: Any, *, now: datetime.datetime | None = None) -> HouseholdAccess:
    """``household_for`` and the answers of ``categories_visible_to``, ``consented_categories``,
    ``break_the_glass_of`` and ``citizen_relation`` for the same household, at the same moment, in as few queries
    as the role allows: one for a professional (two while they have break-the-glass access), two for a citizen
    (three for an informal network member), two for the client supporter. ``Http404`` like ``household_for``.

    The functions it stands for stay the definition: ``tests/test_household_access.py`` checks for everyone around
    a household that the answers are theirs.
    """
    pk = parse_id(household_id)
    if pk is None:
        raise Http404
    now = now or timezone.now()
    if actor.role in PROFESSIONAL_ROLES and _works_for_an_organisation(actor):
        return _professional_access(actor, pk, now)
    if actor.role == Role.CITIZEN and actor.user_id is not None:
        rows = CITIZEN_GATE.rows(pk=pk, user_id=actor.user_id, now=now)
        if not rows:
            raise Http404
        household = Household.from_db("default", HOUSEHOLD_FIELDS, rows[0])
    else:
        household = household_for(actor, pk, now=now)
    relation = citizen_relation(actor, household, now=now)
    visible = categories_visible_to(actor, household, now=now, relation=relation)
    return HouseholdAccess(household=household, visible=visible, citizen=relation)


def _citizen_gate(pk: int, user_id: int, now: datetime.datetime):
    """The household, if the citizen may see it (``households_visible_to``: a member, a representative now, or
    with a personal grant as its informal network): one row or none."""
    first, *rest = (source.order_by() for source in _citizen_sources(user_id, now))
    return Household.objects.filter(pk=pk, id__in=first.union(*rest)).order_by().values_list(*HOUSEHOLD_FIELDS)


CITIZEN_GATE = PreparedQuery(_citizen_gate, pk=int, user_id=int, now=datetime.datetime)


def _professional_gate(pk: int, user_id: int, organisation_id: int, now: datetime.datetime):
    """The household with, as annotations, whether the professional has a place in its team for the organisation,
    the categories that organisation has consent for (comma-separated) and whether they have break-the-glass
    access: one row, or none for a household that does not exist."""
    granted = (
        ConsentGrant.objects.filter(active_grant_q(now), household_id=OuterRef("pk"), organisation_id=organisation_id)
        .order_by()
        .values("household_id")
        .annotate(categories=GroupConcat("category"))
        .values("categories")
    )
    emergency = BreakTheGlass.objects.filter(
        active_break_the_glass_q(now), household_id=OuterRef("pk"), user_id=user_id, organisation_id=organisation_id
    )
    return (
        Household.objects.filter(pk=pk)
        .annotate(
            in_team=Exists(_places_of(user_id, organisation_id).filter(household_id=OuterRef("pk"))),
            granted=Subquery(granted),
            emergency=Exists(emergency),
        )
        .order_by()
        .values_list(*HOUSEHOLD_FIELDS, "in_team", "granted", "emergency")
    )


# Built and compiled once per connection (``samen.core.prepared``): the ORM's building cost is most of its cost.
PROFESSIONAL_GATE = PreparedQuery(_professional_gate, pk=int, user_id=int, organisation_id=int, now=datetime.datetime)
HOUSEHOLD_FIELDS = tuple(field.attname for field in Household._meta.concrete_fields)


def _professional_access(actor: Actor, pk: int, now: datetime.datetime) -> HouseholdAccess:
    """A professional's access in one query (``_professional_gate``)."""
    rows = PROFESSIONAL_GATE.rows(pk=pk, user_id=actor.user_id, organisation_id=actor.organisation_id, now=now)
    if not rows:
        raise Http404
    *household_values, in_team, granted, emergency = rows[0]
    consented = _as_categories(granted.split(",")) if in_team and granted else NO_CATEGORIES
    visible = consented
    if emergency:
        for categories in break_the_glass_of(actor, pk, now=now).values_list("categories", flat=True):
            visible |= _as_categories(categories or ())
    if not consented and not emergency:
        raise Http404
    household = Household.from_db("default", HOUSEHOLD_FIELDS, household_values)
    return HouseholdAccess(household=household, visible=visible, consented=consented, emergency=bool(emergency))


# --- which categories --------------------------------------------------------------------------------------


def categories_visible_to(
    actor: Actor,
    household: Household | int | None,
    *,
    now: datetime.datetime | None = None,
    relation: CitizenRelation | None = None,
) -> frozenset[DataCategory]:
    """The data categories of ``household`` that ``actor`` may see now. At most two queries (one fewer when a
    citizen's ``relation`` to the household, asked at the same moment, is passed)."""
    household_id = _household_id(household)
    user_id = actor.user_id
    if household_id is None or user_id is None:
        return NO_CATEGORIES
    now = now or timezone.now()
    if actor.role == Role.CITIZEN:
        relation = relation or citizen_relation(actor, household_id, now=now)
        visible = relation.member_categories | relation.represented_categories
        if visible == ALL_CATEGORIES:
            return visible
        personal = INFORMAL_GRANTS.rows(household_id=household_id, user_id=user_id, now=now)
        return visible | _as_categories(category for (category,) in personal)
    if actor.role == Role.CLIENT_SUPPORTER and actor.organisation_id is not None:
        personal = _personal_grants(
            user_id=user_id,
            role=TeamRole.SUPPORTER,
            organisation_id=actor.organisation_id,
            now=now,
            household_id=household_id,
        )
        return _as_categories(personal.values_list("category", flat=True))
    if actor.role in PROFESSIONAL_ROLES and actor.organisation_id is not None:
        visible = consented_categories(actor, household_id, now=now)
        for categories in break_the_glass_of(actor, household_id, now=now).values_list("categories", flat=True):
            visible |= _as_categories(categories or ())
        return visible
    return NO_CATEGORIES


def consented_categories(
    actor: Actor, household: Household | int | None, *, now: datetime.datetime | None = None
) -> frozenset[DataCategory]:
    """The categories of ``household`` that the organisation a professional acts for has an active grant for,
    while they are in its team for that organisation. Without break-the-glass access (which only reads): the
    categories a professional may work in. One query."""
    household_id = _household_id(household)
    if household_id is None or actor.user_id is None or actor.organisation_id is None:
        return NO_CATEGORIES
    if actor.role not in PROFESSIONAL_ROLES:
        return NO_CATEGORIES
    granted = ConsentGrant.objects.filter(
        active_grant_q(now or timezone.now()), household_id=household_id, organisation_id=actor.organisation_id
    ).filter(Exists(_professional_places(actor).filter(household_id=household_id)))
    return _as_categories(granted.values_list("category", flat=True))


def _as_categories(values) -> frozenset[DataCategory]:
    return frozenset(category for value in values if (category := _category(value)) is not None)


def _personal_grants(
    *,
    user_id: int,
    role: TeamRole,
    now: datetime.datetime,
    organisation_id: int | None = None,
    household_id: int | None = None,
) -> QuerySet[ConsentGrant]:
    """Active grants to the user personally, as an active team member in ``role`` of the grant's household."""
    grants = ConsentGrant.objects.filter(
        active_grant_q(now),
        team_member__user_id=user_id,
        team_member__role=role,
        team_member__left_at__isnull=True,
        team_member__household_id=F("household_id"),
    )
    if organisation_id is not None:
        grants = grants.filter(team_member__organisation_id=organisation_id)
    if household_id is not None:
        grants = grants.filter(household_id=household_id)
    return grants


def _informal_grants(household_id: int, user_id: int, now: datetime.datetime):
    """The categories of the household the household granted the user personally, as its informal network."""
    return _personal_grants(user_id=user_id, role=TeamRole.INFORMAL, now=now, household_id=household_id).values_list(
        "category"
    )


INFORMAL_GRANTS = PreparedQuery(_informal_grants, household_id=int, user_id=int, now=datetime.datetime)


def _professional_places(actor: Actor) -> QuerySet[TeamMember]:
    """The actor's active places in teams as a professional of the organisation they act for now."""
    return _places_of(actor.user_id, actor.organisation_id)


def _places_of(user_id: int | None, organisation_id: int | None) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(
        user_id=user_id, organisation_id=organisation_id, role=TeamRole.PROFESSIONAL, left_at__isnull=True
    )


def break_the_glass_of(
    actor: Actor, household: Household | int, *, now: datetime.datetime | None = None
) -> QuerySet[BreakTheGlass]:
    """The actor's own active break-the-glass accesses to ``household`` (for the organisation they act for)."""
    household_id = _household_id(household)
    if household_id is None or actor.user_id is None or actor.organisation_id is None:
        return BreakTheGlass.objects.none()
    return BreakTheGlass.objects.filter(
        active_break_the_glass_q(now or timezone.now()),
        household_id=household_id,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
    )


# --- the citizen's relation to a household -----------------------------------------------------------------


@dataclass(frozen=True)
class CitizenRelation:
    """How a citizen relates to one household: member (adult or not) and/or representative of members."""

    is_member: bool = False
    is_adult_member: bool = False
    # What the member sees of their own household: every category from 16 on, else ``CHILD_CATEGORIES``.
    member_categories: frozenset[DataCategory] = NO_CATEGORIES
    # One entry per active representation of a member of this household: its categories.
    representations: tuple[frozenset[DataCategory], ...] = field(default_factory=tuple)

    @property
    def represented_categories(self) -> frozenset[DataCategory]:
        return frozenset().union(*self.representations)

    @property
    def manageable_categories(self) -> frozenset[DataCategory]:
        """The categories whose consent this citizen decides on: all for an adult member, else the scope."""
        return ALL_CATEGORIES if self.is_adult_member else self.represented_categories


def _age(date_of_birth: datetime.date, today: datetime.date) -> int:
    had_birthday = (today.month, today.day) >= (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - (0 if had_birthday else 1)


def member_categories(date_of_birth: datetime.date | None, today: datetime.date) -> frozenset[DataCategory]:
    """What a member of a household sees of it on ``today`` (a Dutch calendar day): every category from their 16th
    birthday on; before it, or without a known date of birth (deny by default), general and youth."""
    if date_of_birth is not None and _age(date_of_birth, today) >= FULL_VIEW_AGE:
        return ALL_CATEGORIES
    return CHILD_CATEGORIES


def full_view_born_on_or_before(today: datetime.date) -> datetime.date:
    """The latest date of birth of someone who is 16 on ``today``, for queries (``member_categories`` in SQL). Born
    on 29 February: 16 on 1 March in a year without that day, as ``_age`` counts."""
    try:
        return today.replace(year=today.year - FULL_VIEW_AGE)
    except ValueError:  # today is 29 February and that year has none
        return today.replace(year=today.year - FULL_VIEW_AGE, day=28)


def citizen_relation(
    actor: Actor, household: Household | int, *, now: datetime.datetime | None = None
) -> CitizenRelation:
    """The actor's relation to ``household`` as a citizen (one query; none for other roles)."""
    household_id = _household_id(household)
    user_id = actor.user_id
    if actor.role != Role.CITIZEN or user_id is None or household_id is None:
        return CitizenRelation()
    now = now or timezone.now()
    today = dutch_day(now)
    rows = CITIZEN_RELATION.rows(household_id=household_id, user_id=user_id, now=now)
    is_member = is_adult = False
    seen = NO_CATEGORIES
    representations = []
    for member_user_id, date_of_birth, representation_id, scope in rows:
        if member_user_id == user_id:
            is_member = True
            # Deny by default: without a known date of birth nobody counts as an adult.
            is_adult = is_adult or (date_of_birth is not None and _age(date_of_birth, today) >= ADULT_AGE)
            seen = seen | member_categories(date_of_birth, today)
        if representation_id is not None:
            representations.append(_as_categories(scope) if scope else ALL_CATEGORIES)
    return CitizenRelation(
        is_member=is_member,
        is_adult_member=is_adult,
        member_categories=seen,
        representations=tuple(representations),
    )


def _citizen_relation_rows(household_id: int, user_id: int, now: datetime.datetime):
    """The household's members that are the user, or that the user represents now: (member's user id, date of
    birth, representation id, representation scope)."""
    return (
        HouseholdMember.objects.filter(household_id=household_id)
        .annotate(
            representation=FilteredRelation(
                "representatives",
                condition=Q(representatives__user_id=user_id) & active_representation_q(now, "representatives__"),
            )
        )
        .filter(Q(user_id=user_id) | Q(representation__id__isnull=False))
        .values_list("user_id", "date_of_birth", "representation__id", "representation__scope")
        .order_by()
    )


CITIZEN_RELATION = PreparedQuery(_citizen_relation_rows, household_id=int, user_id=int, now=datetime.datetime)


def is_active_coordinator(actor: Actor, household: Household | int) -> bool:
    """The actor is the household's active coordinator, acting for that organisation (one query)."""
    household_id = _household_id(household)
    if household_id is None or actor.role not in PROFESSIONAL_ROLES or not _works_for_an_organisation(actor):
        return False
    return _professional_places(actor).filter(household_id=household_id, is_coordinator=True).exists()


# --- the household workspace -------------------------------------------------------------------------------


def _places(household_id: int, user_id: int):
    """The household's active team rows that are its coordinator or ``user_id``'s places, with the names the
    workspace shows (``household_places``)."""
    return (
        TeamMember.objects.filter(Q(is_coordinator=True) | Q(user_id=user_id), household_id=household_id)
        .filter(left_at__isnull=True)
        .order_by()
        .values_list(*PLACE_FIELDS, *(f"user__{name}" for name in PLACE_USER_FIELDS), "organisation__name")
    )


PLACE_FIELDS = ("id", "household_id", "user_id", "organisation_id", "role", "is_coordinator")
PLACE_USER_FIELDS = ("id", "email", "full_name")
PLACES = PreparedQuery(_places, household_id=int, user_id=int)


def _place_from_row(row: tuple) -> TeamMember:
    """A team row with the fields of ``PLACE_FIELDS``, its user's name and its organisation's (the other fields load
    when asked for)."""
    place = TeamMember.from_db("default", PLACE_FIELDS, row[: len(PLACE_FIELDS)])
    user_values = row[len(PLACE_FIELDS) : len(PLACE_FIELDS) + len(PLACE_USER_FIELDS)]
    place.user = User.from_db("default", PLACE_USER_FIELDS, user_values)
    if place.organisation_id is not None:
        place.organisation = Organisation.from_db("default", ("id", "name"), (place.organisation_id, row[-1]))
    return place


@dataclass(frozen=True)
class HouseholdPlaces:
    """What every household page shows above its content (``samen.consent.workspace``): the household's active
    coordinator, and whether the actor may open "Wie helpt mee" (the rule ``households.view_team``) and "Wie mag
    wat zien" / "Wie keek" (``consent.view``)."""

    coordinator: TeamMember | None
    may_view_team: bool
    may_view_consent: bool


def household_places(
    actor: Actor,
    household: Household,
    *,
    now: datetime.datetime | None = None,
    relation: CitizenRelation | None = None,
) -> HouseholdPlaces:
    """The facts of ``HouseholdPlaces`` in one query (two for a citizen without ``relation``, their relation to the
    household asked at the same moment), instead of one or two per rule: the
    household's team rows that are its coordinator or the actor's own places, and for a citizen their relation to
    the household. Only asked after ``household_for``; ``tests/test_policies.py`` checks for everyone around a
    household that the answers are the rules' own."""
    signed_in = actor.user_id is not None and actor.is_authenticated
    rows = [
        _place_from_row(row)
        for row in PLACES.rows(household_id=household.pk, user_id=actor.user_id if signed_in else 0)
    ]
    coordinator = next((row for row in rows if row.is_coordinator), None)
    mine = [row for row in rows if signed_in and row.user_id == actor.user_id]
    may_view_team = may_view_consent = False
    if actor.role == Role.CITIZEN:
        relation = relation or citizen_relation(actor, household, now=now)
        delegate = relation.is_member or bool(relation.representations)
        may_view_team = delegate or any(row.role == TeamRole.INFORMAL for row in mine)
        may_view_consent = delegate
    elif actor.organisation_id is not None:
        here = [row for row in mine if row.organisation_id == actor.organisation_id]
        if actor.role == Role.CLIENT_SUPPORTER:
            may_view_team = any(row.role == TeamRole.SUPPORTER for row in here)
        elif actor.role in PROFESSIONAL_ROLES:
            professional = [row for row in here if row.role == TeamRole.PROFESSIONAL]
            may_view_team = bool(professional)
            may_view_consent = any(row.is_coordinator for row in professional)
    return HouseholdPlaces(coordinator=coordinator, may_view_team=may_view_team, may_view_consent=may_view_consent)


# --- rules -------------------------------------------------------------------------------------------------


@rule("households.view_category")
def view_category(actor: Actor, obj: tuple[Household, str] | None) -> bool:
    """May ``actor`` see ``category`` of ``household``? ``obj`` is ``(household, category)``.

    Up to two queries per call: a page that shows several categories asks ``categories_visible_to`` once.
    """
    if not isinstance(obj, tuple) or len(obj) != 2:
        return False
    household, category = obj
    category = _category(category)
    return category is not None and category in categories_visible_to(actor, household)


@rule("consent.view")
def view_consent(actor: Actor, household: Household | None) -> bool:
    """The consent matrix, its history, open requests and break-the-glass accesses of a household: for its
    members, its active representatives, and its active coordinator (who must know who may see what)."""
    if household is None or actor.user_id is None:
        return False
    if actor.role == Role.CITIZEN:
        relation = citizen_relation(actor, household)
        return relation.is_member or bool(relation.representations)
    return is_active_coordinator(actor, household)


@rule("consent.manage")
def manage_consent(actor: Actor, household: Household | None) -> bool:
    """Granting and revoking consent for a household: an adult member with an account, or an active
    representative of one of its members (for the categories of their scope, see ``consent.manage_category``)."""
    if household is None:
        return False
    return bool(citizen_relation(actor, household).manageable_categories)


@rule("consent.manage_category")
def manage_category(actor: Actor, obj: tuple[Household, str] | None) -> bool:
    """Granting and revoking one category: ``obj`` is ``(household, category)``."""
    if not isinstance(obj, tuple) or len(obj) != 2:
        return False
    household, category = obj
    category = _category(category)
    if household is None or category is None:
        return False
    return category in citizen_relation(actor, household).manageable_categories


@rule("consent.request")
def request_consent(actor: Actor, team_member: TeamMember | None) -> bool:
    """Asking the household for consent for a professional in its team: that professional or a colleague of
    the same organisation, the household's active coordinator (who brought them in), or the system."""
    if team_member is None or team_member.role != TeamRole.PROFESSIONAL or team_member.left_at is not None:
        return False
    if actor.role == Role.SYSTEM:
        return True
    if actor.role not in PROFESSIONAL_ROLES or not _works_for_an_organisation(actor):
        return False
    return actor.organisation_id == team_member.organisation_id or is_active_coordinator(
        actor, team_member.household_id
    )


@rule("consent.withdraw_request")
def withdraw_request(actor: Actor, request) -> bool:
    """Withdrawing an open request: a professional of the asking organisation, or the system."""
    if request is None:
        return False
    if actor.role == Role.SYSTEM:
        return True
    return (
        actor.role in PROFESSIONAL_ROLES
        and _works_for_an_organisation(actor)
        and actor.organisation_id == request.organisation_id
    )


def _may_break_the_glass(actor: Actor) -> bool:
    if actor.role not in PROFESSIONAL_ROLES or not _works_for_an_organisation(actor):
        return False
    membership_active = actor.membership is None or actor.membership.is_active
    return bool(actor.organisation.is_active and membership_active and actor.user.is_active)


@rule("consent.break_the_glass")
def break_the_glass(actor: Actor, household: Household | None) -> bool:
    """Access without consent: only a professional or coordinator acting for an active organisation. The
    reason and legal ground are checked by the service; the access is flagged and shown to the household."""
    return household is not None and _may_break_the_glass(actor)


@rule("consent.break_the_glass_lookup")
def break_the_glass_lookup(actor: Actor, obj: None = None) -> bool:
    """Looking up a household by a member's BSN to start access without consent ("Noodtoegang"): the same
    people who may break the glass. The service limits how often (so the form cannot probe BSNs)."""
    return _may_break_the_glass(actor)


@rule("consent.end_break_the_glass")
def end_break_the_glass(actor: Actor, access: BreakTheGlass | None) -> bool:
    """Ending a break-the-glass access early: the professional who started it, for the same organisation."""
    return (
        access is not None
        and actor.role in PROFESSIONAL_ROLES
        and actor.user_id == access.user_id
        and actor.organisation_id == access.organisation_id
    )


def writable_categories(
    actor: Actor,
    household: Household | None,
    *,
    visible: frozenset[DataCategory] | None = None,
    now: datetime.datetime | None = None,
    access: HouseholdAccess | None = None,
) -> frozenset[DataCategory]:
    """The categories in which ``actor`` may write in ``household`` now: a note, a goal, a message (at most four
    queries; none with ``access``, the household's ``household_access`` of this request).

    Pass ``visible`` when the caller already asked ``categories_visible_to`` for the same moment.
    """
    if household is None or actor.user_id is None or not actor.is_authenticated:
        return NO_CATEGORIES
    now = now or timezone.now()
    if access is not None:
        visible = access.visible
    elif visible is None:
        visible = categories_visible_to(actor, household, now=now)
    if not visible:
        return NO_CATEGORIES
    if actor.role == Role.CITIZEN:
        relation = access.citizen if access is not None else citizen_relation(actor, household, now=now)
        if relation.is_member:
            return visible
        # A representative writes within the scope of the representation; a personal grant to an informal
        # network member only lets them read.
        return visible & relation.represented_categories
    if actor.role == Role.CLIENT_SUPPORTER and actor.organisation_id is not None:
        return visible  # the supporter sees only what the household granted them personally
    if actor.role in PROFESSIONAL_ROLES and actor.organisation_id is not None:
        consented = access.consented if access is not None else consented_categories(actor, household, now=now)
        return visible & consented
    return NO_CATEGORIES
