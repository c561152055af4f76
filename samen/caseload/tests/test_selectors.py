"""The caseload selector: only what the access policy lets through, annotated in one query."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samen.caseload import selectors
from samen.consent.models import DataCategory
from samen.consent.policies import households_visible_to
from samen.consent.tests.factories import ConsentGrantFactory, ConsentRequestFactory, TeamMemberFactory
from samen.core.actor import actor_for_user
from samen.core.testing import count_queries
from samen.households.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def names(households) -> list[str]:
    return [household.name for household in households]


def test_rows_are_exactly_the_households_the_policy_lets_through(world):
    rows = selectors.caseload(world.actor)
    assert names(rows) == ["Familie Aalbers", "Familie Bakker", "Familie Claassen"]
    assert {h.pk for h in rows} == set(households_visible_to(world.actor).values_list("pk", flat=True))


def test_never_revoked_expired_another_teams_or_without_a_place(world):
    shown = {household.pk for household in selectors.caseload(world.actor)}
    for hidden in (world.revoked, world.expired, world.other_team, world.other_org_grant, world.waiting):
        assert hidden.pk not in shown


def test_annotations(world):
    rows = {household.name: household for household in selectors.caseload(world.actor)}
    coordinated, member_of, emergency = rows["Familie Aalbers"], rows["Familie Bakker"], rows["Familie Claassen"]
    assert (coordinated.is_coordinator, coordinated.is_team_member, coordinated.is_emergency) == (True, True, False)
    assert coordinated.coordinator_organisation == "Wijkteam Noord"
    assert coordinated.team_size == 3
    assert coordinated.access_since == world.grant_start  # the earliest active grant
    assert (member_of.is_coordinator, member_of.is_team_member, member_of.is_emergency) == (False, True, False)
    assert member_of.coordinator_organisation == "Schuldhulp Voorbeeldstad"
    assert member_of.team_size == 2
    assert (emergency.is_coordinator, emergency.is_team_member, emergency.is_emergency) == (False, False, True)
    assert emergency.access_since is None
    assert emergency.team_size == 1


def test_one_query_for_a_page_of_rows(world):
    actor = world.actor
    assert count_queries(lambda: list(selectors.caseload(actor)[:25])) == 1


def test_search_is_case_insensitive_and_filters(world):
    assert names(selectors.caseload(world.actor, query="bakk")) == ["Familie Bakker"]
    assert names(selectors.caseload(world.actor, query="FAMILIE C")) == ["Familie Claassen"]
    assert names(selectors.caseload(world.actor, query="Gerritsen")) == []
    assert names(selectors.caseload(world.actor, only=selectors.FILTER_COORDINATOR)) == ["Familie Aalbers"]
    assert names(selectors.caseload(world.actor, only=selectors.FILTER_EMERGENCY)) == ["Familie Claassen"]
    assert names(selectors.caseload(world.actor, query="aalbers", only=selectors.FILTER_EMERGENCY)) == []


def test_a_revocation_takes_effect_at_once(world):
    grant = world.member_of.consent_grants.get()
    grant.revoked_at, grant.revoked_by = timezone.now(), world.user
    grant.save(update_fields=["revoked_at", "revoked_by"])
    assert "Familie Bakker" not in names(selectors.caseload(world.actor))


def test_the_supporter_sees_households_with_a_personal_grant_and_its_date():
    place = TeamMemberFactory(supporter=True, household=HouseholdFactory(name="Familie Jansen"))
    since = timezone.now() - datetime.timedelta(days=9)
    ConsentGrantFactory(household=place.household, organisation=None, team_member=place, valid_from=since)
    organisation_only = TeamMemberFactory(
        supporter=True,
        user=place.user,
        organisation=place.organisation,
        membership=False,
        household=HouseholdFactory(name="Familie Kok"),
    )
    ConsentGrantFactory(household=organisation_only.household, organisation=place.organisation)
    rows = list(selectors.caseload(actor_for_user(place.user)))
    assert names(rows) == ["Familie Jansen"]
    assert rows[0].access_since == since
    assert rows[0].is_team_member and not rows[0].is_coordinator


def test_waiting_for_permission_lists_places_with_an_open_request_only(world):
    waiting = selectors.waiting_for_permission(world.actor)
    assert [place.household_id for place in waiting] == [world.waiting.pk]
    assert waiting[0].asked_at == world.waiting.consent_requests.get().requested_at


def test_waiting_ends_when_the_household_grants(world):
    ConsentGrantFactory(household=world.waiting, organisation=world.wijkteam, category=DataCategory.GENERAL)
    assert selectors.waiting_for_permission(world.actor) == []


def test_waiting_is_one_query_and_not_for_other_organisations(world):
    other = TeamMemberFactory(household=world.waiting, organisation=world.schuldhulp)
    ConsentRequestFactory(team_member=other)
    actor = world.actor
    assert count_queries(selectors.waiting_for_permission, actor) == 1
    assert selectors.waiting_for_permission(actor_for_user(other.user))[0].household_id == world.waiting.pk
