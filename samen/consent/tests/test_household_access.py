"""``household_access`` answers, in one query for a professional, what ``household_for``, ``categories_visible_to``,
``consented_categories``, ``break_the_glass_of`` and ``citizen_relation`` answer one by one. Those functions stay the
definition of access: for everyone around a household (the authorization matrix's cast), and for the household next
door, its answers must be theirs, and it must refuse exactly whom ``household_for`` refuses."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.utils import timezone

from samen.consent.models import ConsentGrant
from samen.consent.policies import (
    break_the_glass_of,
    categories_visible_to,
    citizen_relation,
    consented_categories,
    household_access,
    household_for,
)
from samen.consent.tests.test_authorization_matrix import CAST_ROLES, cast_for_module
from samen.core.testing import count_queries
from samen.households.tests.factories import HouseholdFactory


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    with cast_for_module(django_db_blocker) as built:
        yield built


def _allowed(actor, household) -> bool:
    try:
        household_for(actor, household.pk)
    except Http404:
        return False
    return True


@pytest.mark.django_db
@pytest.mark.parametrize("who", CAST_ROLES)
def test_household_access_gives_the_policy_functions_own_answers(cast, who):
    actor = cast.actor(who)
    household = cast.household
    if not _allowed(actor, household):
        with pytest.raises(Http404):
            household_access(actor, household.pk)
        return
    access = household_access(actor, str(household.pk))
    assert access.household == household
    assert access.visible == categories_visible_to(actor, household)
    assert access.consented == consented_categories(actor, household)
    assert access.emergency == break_the_glass_of(actor, household).exists()
    assert access.citizen == citizen_relation(actor, household)


@pytest.mark.django_db
@pytest.mark.parametrize("who", CAST_ROLES)
def test_nobody_reaches_another_household_or_a_missing_one(cast, who):
    actor = cast.actor(who)
    next_door = HouseholdFactory(name="Familie de Buren")
    for household_id in (next_door.pk, next_door.pk + 1000, "abc", "", "1 OR 1=1", "<script>", -1, None):
        with pytest.raises(Http404):
            household_access(actor, household_id)


@pytest.mark.django_db
def test_a_revoked_grant_counts_at_once(cast):
    actor = cast.actor("coordinator")
    assert household_access(actor, cast.household.pk).visible
    ConsentGrant.objects.filter(household=cast.household, organisation=actor.organisation).update(
        revoked_at=timezone.now(), revoked_by=cast.users["citizen"]
    )
    with pytest.raises(Http404):
        household_access(actor, cast.household.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "queries"),
    [
        ("coordinator", 1),
        ("professional_with_consent", 1),
        ("break_the_glass", 2),  # the access's categories, only while it runs
        ("citizen", 2),
        ("representative", 3),  # a scope narrower than everything: their own grants are asked too
        ("informal_with_grant", 3),
        ("supporter", 2),
    ],
)
def test_household_access_takes_one_query_for_a_professional(cast, who, queries):
    actor = cast.actor(who)
    assert count_queries(household_access, actor, cast.household.pk) == queries
