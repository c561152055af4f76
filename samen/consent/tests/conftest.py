import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import DataCategory
from samen.consent.tests.factories import (
    BreakTheGlassFactory,
    ConsentGrantFactory,
    RepresentativeFactory,
    TeamMemberFactory,
)
from samen.core.actor import ANONYMOUS, SYSTEM, Actor
from samen.households.models import Relation
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory

GENERAL, FINANCES, SAFETY, YOUTH = (
    DataCategory.GENERAL,
    DataCategory.FINANCES,
    DataCategory.SAFETY,
    DataCategory.YOUTH,
)


class Clock:
    """The time ``django.utils.timezone.now()`` answers while the ``clock`` fixture is active."""

    def __init__(self, start: datetime.datetime):
        self.now = start

    def advance(self, **delta) -> datetime.datetime:
        self.now += datetime.timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def act(user, **kwargs) -> Actor:
    return actor_for_user(user, **kwargs)


@dataclass
class World:
    """One household with every kind of person around it, and a second household next door."""

    household: object
    other_household: object
    actors: dict[str, Actor] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)


@pytest.fixture
def world(db) -> World:
    now = timezone.now()
    month_ago = now - datetime.timedelta(days=30)
    household = HouseholdFactory(name="Familie Bakker")
    other_household = HouseholdFactory(name="Familie Jansen")
    w = World(household=household, other_household=other_household)
    a = w.actors

    citizen = HouseholdMemberFactory(household=household, user=UserFactory(), date_of_birth=datetime.date(1985, 5, 17))
    child = HouseholdMemberFactory(
        household=household,
        user=UserFactory(),
        relation=Relation.CHILD,
        date_of_birth=datetime.date(now.year - 12, 1, 1),
    )
    grandmother = HouseholdMemberFactory(
        household=household, relation=Relation.GRANDPARENT, date_of_birth=datetime.date(1940, 3, 1)
    )
    neighbour = HouseholdMemberFactory(household=other_household, user=UserFactory())
    a["citizen"] = act(citizen.user)
    a["child_citizen"] = act(child.user)
    a["citizen_of_other_household"] = act(neighbour.user)

    a["representative"] = act(RepresentativeFactory(member=grandmother, scope=[GENERAL, FINANCES]).user)
    a["representative_expired"] = act(
        RepresentativeFactory(
            member=grandmother,
            valid_from=now - datetime.timedelta(days=400),
            valid_until=now - datetime.timedelta(days=1),
        ).user
    )
    a["representative_ended"] = act(
        RepresentativeFactory(member=grandmother, ended_at=now - datetime.timedelta(days=1)).user
    )

    informal = TeamMemberFactory(household=household, informal=True)
    ConsentGrantFactory(household=household, organisation=None, team_member=informal, category=GENERAL)
    a["informal_with_personal_grant"] = act(informal.user)
    a["informal_without_grant"] = act(TeamMemberFactory(household=household, informal=True).user)
    informal_left = TeamMemberFactory(household=household, informal=True, joined_at=month_ago, left_at=now)
    ConsentGrantFactory(household=household, organisation=None, team_member=informal_left, category=GENERAL)
    a["informal_who_left_the_team"] = act(informal_left.user)

    professional = TeamMemberFactory(household=household)
    organisation = professional.organisation
    w.objects["organisation_with_consent"] = organisation
    for category in (GENERAL, FINANCES):
        ConsentGrantFactory(household=household, organisation=organisation, category=category)
    # A grant for the same organisation next door does not count: nobody of it is in that team.
    ConsentGrantFactory(household=other_household, organisation=organisation, category=GENERAL)
    a["professional_with_consent"] = act(professional.user)
    a["colleague_not_in_the_team"] = act(MembershipFactory(organisation=organisation).user)

    expired = TeamMemberFactory(household=household)
    ConsentGrantFactory(household=household, organisation=expired.organisation, expired=True)
    a["professional_with_expired_consent"] = act(expired.user)

    revoked = TeamMemberFactory(household=household)
    ConsentGrantFactory(household=household, organisation=revoked.organisation, revoked=True)
    a["professional_with_revoked_consent"] = act(revoked.user)

    future = TeamMemberFactory(household=household)
    ConsentGrantFactory(
        household=household, organisation=future.organisation, valid_from=now + datetime.timedelta(days=1)
    )
    a["professional_with_consent_from_tomorrow"] = act(future.user)

    left = TeamMemberFactory(household=household, joined_at=month_ago, left_at=now)
    ConsentGrantFactory(household=household, organisation=left.organisation)
    a["professional_who_left_the_team"] = act(left.user)

    # In the team for the consented organisation, but now acting for another organisation of theirs.
    double = TeamMemberFactory(household=household, organisation=organisation)
    elsewhere = MembershipFactory(user=double.user)
    a["team_professional_acting_for_another_organisation"] = act(double.user, membership_id=elsewhere.pk)

    coordinator = TeamMemberFactory(household=household, coordinator=True)
    for category in (GENERAL, YOUTH, SAFETY):
        ConsentGrantFactory(household=household, organisation=coordinator.organisation, category=category)
    a["coordinator"] = act(coordinator.user)

    supporter = TeamMemberFactory(household=household, supporter=True)
    for category in (GENERAL, FINANCES):
        ConsentGrantFactory(household=household, organisation=None, team_member=supporter, category=category)
    a["supporter_with_personal_grant"] = act(supporter.user)
    a["supporter_without_grant"] = act(TeamMemberFactory(household=household, supporter=True).user)

    facilitator = MembershipFactory(facilitator=True, organisation=organisation)
    NetworkFactory(organisations=[organisation], facilitators=[facilitator.user])
    a["facilitator"] = act(facilitator.user)
    a["policy_advisor"] = act(MembershipFactory(policy_advisor=True).user)
    a["functional_admin"] = act(MembershipFactory(functional_admin=True).user)
    a["anonymous"] = ANONYMOUS
    a["system"] = SYSTEM

    for name, trait in (
        ("break_the_glass_active", {}),
        ("break_the_glass_expired", {"expired": True}),
        ("break_the_glass_ended", {"ended_at": now - datetime.timedelta(minutes=5)}),
    ):
        membership = MembershipFactory(organisation=OrganisationFactory())
        BreakTheGlassFactory(household=household, user=membership.user, organisation=membership.organisation, **trait)
        a[name] = act(membership.user)
    return w


def synthetic_bsn(seed: int = 0) -> str:
    """A made-up BSN that passes the elfproef (9·d1 + … + 2·d8 − d9 divisible by 11), different per seed."""
    number = 99_990_000 + seed * 7
    while True:
        digits = f"{number:08d}"
        check = sum(weight * int(digit) for weight, digit in zip(range(9, 1, -1), digits, strict=True)) % 11
        if check < 10:
            return f"{digits}{check}"
        number += 1
