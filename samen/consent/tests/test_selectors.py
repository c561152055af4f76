"""The consent reads: the matrix, the history, open requests, break-the-glass accesses; a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samen.consent.models import ConsentRequestStatus, DataCategory
from samen.consent.selectors import CellState, break_the_glass_history, consent_history, consent_matrix, open_requests
from samen.consent.tests.conftest import FINANCES, GENERAL, SAFETY
from samen.consent.tests.factories import (
    BreakTheGlassFactory,
    ConsentGrantFactory,
    ConsentRequestFactory,
    TeamMemberFactory,
)
from samen.core.testing import count_queries
from samen.households.tests.factories import HouseholdFactory
from samen.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def cells_of(row):
    return {cell.category: cell.state.value for cell in row.cells if cell.grant}


def test_the_matrix_shows_every_organisation_in_the_team_and_every_person(world):
    matrix = consent_matrix(world.household)
    assert matrix.categories == tuple(DataCategory)
    by_organisation = {row.organisation: row for row in matrix.organisations}
    consented = by_organisation[world.objects["organisation_with_consent"]]
    assert cells_of(consented) == {GENERAL: "active", FINANCES: "active"}
    assert consented.granted_categories == {GENERAL, FINANCES}
    assert consented.in_team and not consented.is_independent
    assert all(len(row.cells) == len(DataCategory) for row in matrix.organisations + matrix.people)
    # Expired: shown as such; revoked: not shown at all; from tomorrow: open but not active.
    states = [tuple(cells_of(row).values()) for row in matrix.organisations]
    assert ("expired",) in states and ("scheduled",) in states
    # An organisation whose only professional left still holds an open grant: listed so it can be revoked.
    assert [row.in_team for row in matrix.organisations].count(False) == 1
    supporters = [row for row in matrix.people if row.is_independent]
    assert len(supporters) == 2
    assert {cell.category for row in supporters for cell in row.cells if cell.is_active} == {GENERAL, FINANCES}
    left = [row for row in matrix.people if not row.in_team]
    assert len(left) == 1 and cells_of(left[0]) == {GENERAL: "active"}


def test_an_organisation_in_the_team_without_any_grant_has_an_empty_row():
    member = TeamMemberFactory()
    [row] = consent_matrix(member.household).organisations
    assert row.organisation == member.organisation
    assert all(cell.grant is None and cell.state is CellState.NONE for cell in row.cells)
    assert consent_matrix(member.household).people == []


def test_the_matrix_takes_two_queries_whatever_the_size_of_the_team():
    def grow(household, n):
        for _ in range(n):
            member = TeamMemberFactory(household=household)
            for category in (GENERAL, FINANCES, SAFETY):
                ConsentGrantFactory(household=household, organisation=member.organisation, category=category)
            informal = TeamMemberFactory(household=household, informal=True)
            ConsentGrantFactory(household=household, organisation=None, team_member=informal)

    small, large = HouseholdFactory(), HouseholdFactory()
    grow(small, 2)
    grow(large, 25)
    assert count_queries(consent_matrix, small) == count_queries(consent_matrix, large) == 2
    assert len(consent_matrix(large).organisations) == 25 and len(consent_matrix(large).people) == 25


def test_the_history_keeps_everything_newest_first(clock):
    member = TeamMemberFactory()
    household = member.household
    old = ConsentGrantFactory(household=household, organisation=member.organisation, revoked=True)
    clock.advance(minutes=1)
    new = ConsentGrantFactory(household=household, organisation=member.organisation, valid_from=clock.now, replaces=old)
    ConsentGrantFactory(organisation=member.organisation)  # another household's
    history = list(consent_history(household))
    assert history == [new, old]
    assert [grant.was_renewed for grant in history] == [False, True]


def test_history_requests_and_break_the_glass_are_one_query_each():
    household = HouseholdFactory()
    for _ in range(10):
        member = TeamMemberFactory(household=household)
        ConsentGrantFactory(household=household, organisation=member.organisation, revoked=True)
        ConsentRequestFactory(team_member=member)
        BreakTheGlassFactory(household=household)

    def read_history(household):
        return [
            (g.organisation and g.organisation.name, g.team_member and g.team_member.user.full_name, g.granted_by.email)
            for g in consent_history(household)
        ] + [g.revoked_by.email for g in consent_history(household) if g.revoked_by]

    def read_requests(household):
        return [
            (r.organisation.name, r.team_member.user.full_name, r.requested_by.email) for r in open_requests(household)
        ]

    def read_break_the_glass(household):
        return [(a.user.full_name, a.organisation.name) for a in break_the_glass_history(household)]

    assert count_queries(read_history, household) == 2  # the history read twice, one query each
    assert count_queries(read_requests, household) == 1
    assert count_queries(read_break_the_glass, household) == 1
    assert len(read_requests(household)) == 10 and len(read_break_the_glass(household)) == 10


def test_open_requests_are_only_the_open_ones_oldest_first(clock):
    member = TeamMemberFactory()
    first = ConsentRequestFactory(team_member=member)
    clock.advance(minutes=5)
    second = ConsentRequestFactory(team_member=TeamMemberFactory(household=member.household))
    ConsentRequestFactory(
        team_member=TeamMemberFactory(household=member.household),
        status=ConsentRequestStatus.DECLINED,
        answered_at=timezone.now(),
    )
    ConsentRequestFactory()  # another household's
    assert list(open_requests(member.household)) == [first, second]


def test_break_the_glass_history_shows_every_access_newest_first(clock):
    household = HouseholdFactory()
    expired = BreakTheGlassFactory(household=household, expired=True)
    active = BreakTheGlassFactory(household=household)
    BreakTheGlassFactory(organisation=OrganisationFactory())
    assert list(break_the_glass_history(household)) == [active, expired]
    assert active.is_active_at(clock.now) and not expired.is_active_at(clock.now)
    assert not active.is_active_at(active.expires_at)
    assert expired.expires_at - expired.started_at == datetime.timedelta(hours=24)
