"""The household workspace: its tabs are the pages the policy lets the actor open, for everyone around a household.

``household_places`` answers "Wie helpt mee" and "Wie mag wat zien" with one query instead of asking the rules
``households.view_team`` and ``consent.view``; here it must give the rules' own answers for every member of the
authorization matrix's cast, and the workspace must list exactly the pages they may open.
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from samen.consent.policies import categories_visible_to, household_access, household_places
from samen.consent.tests.test_authorization_matrix import CAST_ROLES, cast_for_module
from samen.consent.workspace import TABS, workspace
from samen.core.policy import can
from samen.core.testing import count_queries
from samen.households.selectors import active_coordinator


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    with cast_for_module(django_db_blocker) as built:
        yield built


@pytest.mark.django_db
@pytest.mark.parametrize("who", CAST_ROLES)
def test_household_places_gives_the_rules_own_answers(cast, who):
    actor = cast.actor(who)
    places = household_places(actor, cast.household)
    assert places.may_view_team == can(actor, "households.view_team", cast.household)
    assert places.may_view_consent == can(actor, "consent.view", cast.household)
    assert places.coordinator == active_coordinator(cast.household)


@pytest.mark.django_db
@pytest.mark.parametrize("who", CAST_ROLES)
def test_the_tabs_are_the_pages_the_actor_may_open(cast, who):
    actor = cast.actor(who)
    visible = categories_visible_to(actor, cast.household)
    if not visible:
        return  # the household is not shown to them at all (404): no workspace
    request = RequestFactory().get("/")
    request.actor = actor
    built = workspace(request, cast.household, current="overview", visible=visible)
    shown = {tab.url for tab in built["tabs"]}
    by_visible = (cast.household, visible)
    rules = {
        "plan": can(actor, "plans.view", by_visible),
        "story": can(actor, "dossier.view_intake", by_visible),
        "assessments": can(actor, "assessments.view", by_visible),
        "team": can(actor, "households.view_team", cast.household),
        "consent": can(actor, "consent.view", cast.household),
        "access_log": can(actor, "consent.view", cast.household),
    }
    from django.urls import reverse

    for spec in TABS:
        if spec.key in rules:
            assert (reverse(spec.url_name, args=[cast.household.pk]) in shown) == rules[spec.key], spec.key


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["citizen", "coordinator", "informal_with_grant", "supporter"])
def test_the_workspace_takes_one_or_two_queries(cast, who):
    actor = cast.actor(who)
    visible = categories_visible_to(actor, cast.household)
    request = RequestFactory().get("/")
    request.actor = actor
    queries = count_queries(workspace, request, cast.household, current="overview", visible=visible)
    assert queries == (2 if who in ("citizen", "informal_with_grant") else 1)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["citizen", "representative", "coordinator", "informal_with_grant", "supporter"])
def test_with_the_requests_access_the_workspace_takes_one_query(cast, who):
    actor = cast.actor(who)
    access = household_access(actor, cast.household.pk)
    request = RequestFactory().get("/")
    request.actor = actor
    assert count_queries(workspace, request, cast.household, current="overview", access=access) == 1
    with_access = workspace(request, cast.household, current="overview", access=access)
    without = workspace(request, cast.household, current="overview", visible=access.visible)
    # "Het loopt niet goed" is offered only where the request's access answers who may raise a signal.
    assert with_access.pop("signal_url") == f"/huishoudens/{cast.household.pk}/gesprek/loopt-niet-goed/"
    assert without.pop("signal_url") == ""
    assert with_access == without
