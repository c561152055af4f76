"""Who may open "Mijn huishoudens"."""

from __future__ import annotations

import pytest

from samen.consent.tests.factories import TeamMemberFactory
from samen.core.actor import ANONYMOUS, SYSTEM
from samen.core.policy import can
from samen.households.tests.factories import CitizenFactory
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("trait", ["professional", "coordinator", "client_supporter"])
def test_people_who_work_in_teams_may(trait):
    membership = MembershipFactory(**({trait: True} if trait != "professional" else {}))
    assert can(actor_for_user(membership.user), "caseload.view")


@pytest.mark.parametrize("trait", ["facilitator", "policy_advisor", "functional_admin"])
def test_other_professional_roles_may_not(trait):
    assert not can(actor_for_user(MembershipFactory(**{trait: True}).user), "caseload.view")


def test_a_citizen_anonymous_and_the_system_may_not():
    assert not can(actor_for_user(CitizenFactory().user), "caseload.view")
    assert not can(ANONYMOUS, "caseload.view")
    assert not can(SYSTEM, "caseload.view")


def test_an_informal_helper_may_not():
    informal = TeamMemberFactory(informal=True)
    assert not can(actor_for_user(informal.user), "caseload.view")
