"""THE access policy: who sees which household and which of its data categories, and who decides on consent.

The matrix below is the specification: every kind of person around a household × every data category.
A kind of person missing from the table, or a role nobody in it has, fails ``test_the_matrix_covers_every_role``.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

import pytest
from django.http import Http404

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import ALL_CATEGORIES, DataCategory
from samen.consent.policies import (
    categories_visible_to,
    household_for,
    households_visible_to,
    parse_id,
)
from samen.consent.selectors import emergency_access_for
from samen.consent.tests.conftest import FINANCES, GENERAL, SAFETY, YOUTH, act
from samen.consent.tests.factories import (
    BreakTheGlassFactory,
    ConsentGrantFactory,
    RepresentativeFactory,
    TeamMemberFactory,
)
from samen.core.actor import Actor, Role
from samen.core.policy import can
from samen.core.testing import assert_max_queries, count_queries
from samen.households.tests.factories import HouseholdMemberFactory
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

NONE: frozenset[DataCategory] = frozenset()


class Row(NamedTuple):
    who: str
    sees: frozenset  # the categories of the household this person may see; none means "404"
    manages: frozenset = NONE  # the categories whose consent this person decides on
    views_consent: bool = False  # sees the consent matrix, its history and break-the-glass accesses


MATRIX = [
    Row("citizen", ALL_CATEGORIES, manages=ALL_CATEGORIES, views_consent=True),
    Row("child_citizen", frozenset({GENERAL, YOUTH}), views_consent=True),  # 12: general and youth only
    Row("citizen_of_other_household", NONE),
    Row("representative", frozenset({GENERAL, FINANCES}), manages=frozenset({GENERAL, FINANCES}), views_consent=True),
    Row("representative_expired", NONE),
    Row("representative_ended", NONE),
    Row("informal_with_personal_grant", frozenset({GENERAL})),
    Row("informal_without_grant", NONE),
    Row("informal_who_left_the_team", NONE),
    Row("professional_with_consent", frozenset({GENERAL, FINANCES})),
    Row("colleague_not_in_the_team", NONE),
    Row("professional_with_expired_consent", NONE),
    Row("professional_with_revoked_consent", NONE),
    Row("professional_with_consent_from_tomorrow", NONE),
    Row("professional_who_left_the_team", NONE),
    Row("team_professional_acting_for_another_organisation", NONE),
    Row("coordinator", frozenset({GENERAL, YOUTH, SAFETY}), views_consent=True),
    Row("supporter_with_personal_grant", frozenset({GENERAL, FINANCES})),
    Row("supporter_without_grant", NONE),
    Row("facilitator", NONE),
    Row("policy_advisor", NONE),
    Row("functional_admin", NONE),
    Row("anonymous", NONE),
    Row("system", NONE),
    Row("break_the_glass_active", frozenset({SAFETY})),
    Row("break_the_glass_expired", NONE),
    Row("break_the_glass_ended", NONE),
]


def test_the_matrix_covers_every_person_and_every_role(world):
    assert [row.who for row in MATRIX] == list(dict.fromkeys(row.who for row in MATRIX)), "a row appears twice"
    assert {row.who for row in MATRIX} == set(world.actors)
    assert {actor.role for actor in world.actors.values()} == set(Role)


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.who)
def test_access_matrix(world, row):
    actor, household = world.actors[row.who], world.household

    allowed = {category: can(actor, "households.view_category", (household, category)) for category in DataCategory}
    assert allowed == {category: category in row.sees for category in DataCategory}
    assert categories_visible_to(actor, household) == row.sees
    assert categories_visible_to(actor, household.pk) == row.sees

    assert (household in households_visible_to(actor)) == bool(row.sees)
    if row.sees:
        assert household_for(actor, household.pk) == household
        assert household_for(actor, str(household.pk)) == household
    else:
        with pytest.raises(Http404):
            household_for(actor, household.pk)

    manages = {category: can(actor, "consent.manage_category", (household, category)) for category in DataCategory}
    assert manages == {category: category in row.manages for category in DataCategory}
    assert can(actor, "consent.manage", household) == bool(row.manages)
    assert can(actor, "consent.view", household) == row.views_consent


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.who)
def test_nobody_sees_the_household_next_door_except_its_own_member(world, row):
    actor, other = world.actors[row.who], world.other_household
    expected = ALL_CATEGORIES if row.who == "citizen_of_other_household" else NONE
    assert categories_visible_to(actor, other) == expected
    assert (other in households_visible_to(actor)) == bool(expected)
    if not expected:
        with pytest.raises(Http404):
            household_for(actor, other.pk)


def test_missing_and_forbidden_look_the_same(world):
    citizen = world.actors["citizen"]
    missing_id = world.other_household.pk + 1000
    for household_id in (missing_id, world.other_household.pk):
        with pytest.raises(Http404) as raised:
            household_for(citizen, household_id)
        assert str(raised.value) == ""


@pytest.mark.parametrize(
    "bad_id",
    ["abc", "", " ", None, "1.5", "-1", "0", 0, -3, "1e3", " 1", "1 ", "٣", True, 2**70, "9" * 40, [1], {"id": 1}, 1.0],
    ids=repr,
)
def test_a_malformed_household_id_is_a_404_without_touching_the_database(world, bad_id):
    with assert_max_queries(0), pytest.raises(Http404):
        household_for(world.actors["citizen"], bad_id)


def test_parse_id_accepts_digits_only():
    assert parse_id("42") == 42
    assert parse_id(42) == 42
    assert parse_id(2**63 - 1) == 2**63 - 1
    assert parse_id(2**63) is None
    assert parse_id("٤٢") is None  # other scripts' digits are digits to str.isdigit, not to us


def test_view_category_refuses_malformed_questions(world):
    citizen, household = world.actors["citizen"], world.household
    for obj in (None, household, (household,), (household, "nonsense"), (None, GENERAL), (household, GENERAL, 1)):
        assert not can(citizen, "households.view_category", obj)
    assert not can(citizen, "consent.manage_category", (household, "nonsense"))
    assert not can(citizen, "consent.manage", None)
    assert not can(citizen, "consent.view", None)


def test_a_category_given_as_text_is_understood(world):
    assert can(world.actors["professional_with_consent"], "households.view_category", (world.household, "finances"))


# --- time: revocation, expiry, break the glass ------------------------------------------------------------


def test_a_revocation_counts_on_the_very_next_call(world):
    actor, household = world.actors["professional_with_consent"], world.household
    assert FINANCES in categories_visible_to(actor, household)
    grant = household.consent_grants.get(organisation=world.objects["organisation_with_consent"], category=FINANCES)
    grant.revoked_at, grant.revoked_by = grant.valid_from + datetime.timedelta(days=1), grant.granted_by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    assert categories_visible_to(actor, household) == {GENERAL}
    assert not can(actor, "households.view_category", (household, FINANCES))


def test_a_grant_counts_until_its_end_and_not_a_moment_longer(clock):
    member = TeamMemberFactory()
    end = clock.now + datetime.timedelta(days=30)
    ConsentGrantFactory(household=member.household, organisation=member.organisation, valid_until=end)
    actor = act(member.user)
    clock.now = end - datetime.timedelta(seconds=1)
    assert categories_visible_to(actor, member.household) == {GENERAL}
    assert household_for(actor, member.household.pk) == member.household
    clock.now = end
    assert categories_visible_to(actor, member.household) == NONE
    with pytest.raises(Http404):
        household_for(actor, member.household.pk)


def test_break_the_glass_expires_after_24_hours(clock):
    membership = MembershipFactory()
    access = BreakTheGlassFactory(
        user=membership.user, organisation=membership.organisation, started_at=clock.now, categories=["safety", "youth"]
    )
    actor = act(membership.user)
    clock.advance(hours=23, minutes=59, seconds=59)
    assert categories_visible_to(actor, access.household) == {SAFETY, YOUTH}
    assert access.household in households_visible_to(actor)
    clock.advance(seconds=1)
    assert categories_visible_to(actor, access.household) == NONE
    assert access.household not in households_visible_to(actor)


def test_break_the_glass_counts_only_for_the_organisation_it_was_started_for():
    membership = MembershipFactory()
    access = BreakTheGlassFactory(user=membership.user, organisation=membership.organisation)
    other = MembershipFactory(user=membership.user)
    acting_elsewhere = act(membership.user, membership_id=other.pk)
    assert categories_visible_to(acting_elsewhere, access.household) == NONE
    assert access.household not in households_visible_to(acting_elsewhere)
    with pytest.raises(Http404):
        household_for(acting_elsewhere, access.household.pk)
    assert household_for(act(membership.user), access.household.pk) == access.household


def test_break_the_glass_adds_to_what_the_consent_allows(world):
    professional = world.actors["professional_with_consent"]
    BreakTheGlassFactory(
        household=world.household,
        user=professional.user,
        organisation=professional.organisation,
        categories=["justice"],
    )
    assert categories_visible_to(professional, world.household) == {GENERAL, FINANCES, DataCategory.JUSTICE}


def test_a_representative_in_force_later_or_with_full_scope(clock):
    later = RepresentativeFactory(valid_from=clock.now + datetime.timedelta(days=1))
    full = RepresentativeFactory(member=later.member, scope=[])
    assert categories_visible_to(act(later.user), later.member.household) == NONE
    assert categories_visible_to(act(full.user), full.member.household) == ALL_CATEGORIES
    assert can(act(full.user), "consent.manage_category", (full.member.household, "justice"))
    clock.advance(days=1)
    assert categories_visible_to(act(later.user), later.member.household) == ALL_CATEGORIES


def test_a_member_without_a_known_date_of_birth_does_not_decide_on_consent():
    member = HouseholdMemberFactory(user=UserFactory(), date_of_birth=None)
    actor = act(member.user)
    # Deny by default: without a known age, a member sees what a child sees (general and youth).
    assert categories_visible_to(actor, member.household) == {GENERAL, YOUTH}
    assert can(actor, "consent.view", member.household)
    assert not can(actor, "consent.manage", member.household)


def test_a_member_decides_on_consent_from_their_eighteenth_birthday(clock):
    clock.now = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)
    adult = HouseholdMemberFactory(user=UserFactory(), date_of_birth=datetime.date(2008, 6, 15))
    almost = HouseholdMemberFactory(
        household=adult.household, user=UserFactory(), date_of_birth=datetime.date(2008, 6, 16)
    )
    assert can(act(adult.user), "consent.manage", adult.household)
    assert not can(act(almost.user), "consent.manage", adult.household)
    assert categories_visible_to(act(almost.user), adult.household) == ALL_CATEGORIES


# --- other rules -----------------------------------------------------------------------------------------


def test_only_a_professional_of_an_active_organisation_may_break_the_glass(world):
    household = world.household
    allowed = {who for who, actor in world.actors.items() if can(actor, "consent.break_the_glass", household)}
    professionals = {who for who, actor in world.actors.items() if actor.role in {Role.PROFESSIONAL, Role.COORDINATOR}}
    assert allowed == professionals
    assert "supporter_with_personal_grant" not in allowed and "citizen" not in allowed
    membership = MembershipFactory(organisation=OrganisationFactory(is_active=False))
    inactive = Actor(user=membership.user, role=Role.PROFESSIONAL, organisation=membership.organisation)
    assert not can(inactive, "consent.break_the_glass", household)
    assert not can(world.actors["professional_with_consent"], "consent.break_the_glass", None)


def test_only_the_one_who_broke_the_glass_ends_it(world):
    actor = world.actors["break_the_glass_active"]
    access = world.household.break_the_glass.get(user=actor.user)
    assert can(actor, "consent.end_break_the_glass", access)
    for who in ("coordinator", "citizen", "professional_with_consent", "functional_admin"):
        assert not can(world.actors[who], "consent.end_break_the_glass", access)


def test_who_may_ask_consent_for_a_professional(world):
    newcomer = TeamMemberFactory(household=world.household)
    colleague = MembershipFactory(organisation=newcomer.organisation)
    assert can(act(newcomer.user), "consent.request", newcomer)
    assert can(act(colleague.user), "consent.request", newcomer)
    assert can(world.actors["coordinator"], "consent.request", newcomer)
    assert can(world.actors["system"], "consent.request", newcomer)
    for who in ("professional_with_consent", "citizen", "supporter_with_personal_grant", "functional_admin"):
        assert not can(world.actors[who], "consent.request", newcomer)
    informal = TeamMemberFactory(household=world.household, informal=True)
    assert not can(world.actors["system"], "consent.request", informal)


# --- cost: a fixed number of queries, whatever the number of households ------------------------------------


def _people_in_many_households(n: int) -> dict[str, Actor]:
    """One person of each kind, each with a place in ``n`` households (with grants), and ``n`` unrelated ones."""
    professional = TeamMemberFactory()
    supporter = TeamMemberFactory(household=professional.household, supporter=True)
    informal = TeamMemberFactory(household=professional.household, informal=True)
    mentor = RepresentativeFactory(member__household=professional.household)
    glass = MembershipFactory()
    citizen = HouseholdMemberFactory(household=professional.household, user=UserFactory())
    for index in range(n):
        household = professional.household if index == 0 else HouseholdMemberFactory().household
        if index:
            TeamMemberFactory(household=household, user=professional.user, organisation=professional.organisation)
            supporter_place = TeamMemberFactory(
                household=household, user=supporter.user, organisation=supporter.organisation, supporter=True
            )
            informal_place = TeamMemberFactory(household=household, user=informal.user, informal=True)
            RepresentativeFactory(member=household.members.first(), user=mentor.user)
        else:
            supporter_place, informal_place = supporter, informal
        for category in (GENERAL, FINANCES):
            ConsentGrantFactory(household=household, organisation=professional.organisation, category=category)
            ConsentGrantFactory(household=household, organisation=None, team_member=supporter_place, category=category)
            ConsentGrantFactory(household=household, organisation=None, team_member=informal_place, category=category)
        BreakTheGlassFactory(household=household, user=glass.user, organisation=glass.organisation)
        ConsentGrantFactory(household=HouseholdMemberFactory().household)  # someone else's
    return {
        "citizen": act(citizen.user),
        "representative": act(mentor.user),
        "informal": act(informal.user),
        "professional": act(professional.user),
        "supporter": act(supporter.user),
        "break_the_glass": act(glass.user),
    }


def _cost(actor: Actor, household) -> tuple[int, int]:
    return (
        count_queries(lambda: list(households_visible_to(actor))),
        count_queries(categories_visible_to, actor, household),
    )


def test_the_cost_does_not_grow_with_the_number_of_households():
    small = _people_in_many_households(10)
    small_household = small["professional"].user.team_memberships.order_by("pk").first().household
    small_costs = {who: _cost(actor, small_household) for who, actor in small.items()}

    large = _people_in_many_households(200)
    large_household = large["professional"].user.team_memberships.order_by("pk").first().household
    large_costs = {who: _cost(actor, large_household) for who, actor in large.items()}

    assert small_costs == large_costs
    for who, (visible, categories) in large_costs.items():
        assert visible == 1, who
        assert categories <= 2, who
    # The data did grow: each person (but the citizen, in one household) now sees 200 households.
    assert {who: households_visible_to(actor).count() for who, actor in large.items()} == {
        "citizen": 1,
        "representative": 200,
        "informal": 200,
        "professional": 200,
        "supporter": 200,
        "break_the_glass": 200,
    }


def test_household_for_is_one_query():
    member = TeamMemberFactory()
    ConsentGrantFactory(household=member.household, organisation=member.organisation)
    actor = act(member.user)
    with assert_max_queries(1):
        assert household_for(actor, member.household.pk) == member.household


def test_only_professionals_and_coordinators_may_look_up_a_bsn_for_emergency_access(world):
    allowed = {who for who, actor in world.actors.items() if can(actor, "consent.break_the_glass_lookup")}
    professionals = {who for who, actor in world.actors.items() if actor.role in {Role.PROFESSIONAL, Role.COORDINATOR}}
    assert allowed == professionals and "coordinator" in allowed
    membership = MembershipFactory(organisation=OrganisationFactory(is_active=False))
    inactive = Actor(user=membership.user, role=Role.PROFESSIONAL, organisation=membership.organisation)
    assert not can(inactive, "consent.break_the_glass_lookup")


def test_an_ended_break_the_glass_gives_nothing_and_is_no_emergency_any_more(world):
    household = world.household
    for who in ("break_the_glass_ended", "break_the_glass_expired"):
        actor = world.actors[who]
        assert categories_visible_to(actor, household) == NONE
        assert emergency_access_for(actor, household) is None
        with pytest.raises(Http404):
            household_for(actor, household.pk)
    active = world.actors["break_the_glass_active"]
    assert emergency_access_for(active, household) == household.break_the_glass.get(user=active.user)
    # Someone else's access is not yours, and a citizen has none (without a query).
    assert emergency_access_for(world.actors["coordinator"], household) is None
    assert count_queries(emergency_access_for, world.actors["citizen"], household) == 0


def test_break_the_glass_is_gone_at_24_hours_also_for_a_coordinator_elsewhere(clock):
    """A coordinator (of another household) breaking the glass: the same 24 hours."""
    coordinator = TeamMemberFactory(coordinator=True)
    actor = act(coordinator.user)
    assert actor.role == Role.COORDINATOR
    access = BreakTheGlassFactory(
        user=coordinator.user, organisation=coordinator.organisation, started_at=clock.now, categories=["health"]
    )
    assert categories_visible_to(actor, access.household) == {DataCategory.HEALTH}
    clock.advance(hours=24)
    assert categories_visible_to(actor, access.household) == NONE
