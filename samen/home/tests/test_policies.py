"""The rules behind the home pages: who may, and especially who may not."""

import pytest

from samen.accounts.tests.factories import UserFactory
from samen.core.actor import ANONYMOUS, SYSTEM
from samen.core.policy import can
from samen.households.selectors import household_of
from samen.households.tests.factories import HouseholdMemberFactory
from samen.organisations.actors import actor_for_user
from samen.organisations.policies import networks_visible_to
from samen.organisations.tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def actor(user):
    return actor_for_user(user)


@pytest.fixture
def people():
    """One actor per role, plus a household member of a household nobody else belongs to."""
    return {
        "citizen": HouseholdMemberFactory(user=UserFactory()),
        "professional": MembershipFactory(),
        "coordinator": MembershipFactory(coordinator=True),
        "client_supporter": MembershipFactory(client_supporter=True),
        "facilitator": MembershipFactory(facilitator=True),
        "policy_advisor": MembershipFactory(policy_advisor=True),
        "functional_admin": MembershipFactory(functional_admin=True),
    }


def test_home_is_for_logged_in_people_only(people):
    assert not can(ANONYMOUS, "home.view_home")
    assert not can(SYSTEM, "home.view_home")
    for person in people.values():
        assert can(actor(person.user), "home.view_home")


def test_citizen_sees_only_their_own_household(people):
    citizen = people["citizen"]
    other = HouseholdMemberFactory(user=UserFactory())
    own = household_of(citizen.user)
    assert own == citizen.household
    assert can(actor(citizen.user), "households.view_household", own)
    assert not can(actor(citizen.user), "households.view_household", household_of(other.user))
    assert not can(actor(citizen.user), "households.view_household", other.household)
    assert not can(actor(citizen.user), "households.view_household", None)


def test_no_professional_role_sees_a_household_yet(people):
    household = people["citizen"].household
    for role in (
        "professional",
        "coordinator",
        "client_supporter",
        "facilitator",
        "policy_advisor",
        "functional_admin",
    ):
        assert not can(actor(people[role].user), "households.view_household", household), role
    assert not can(ANONYMOUS, "households.view_household", household)


def test_a_professional_who_is_also_a_household_member_acts_as_professional(people):
    membership = people["professional"]
    member = HouseholdMemberFactory(user=membership.user)
    assert not can(actor(membership.user), "households.view_household", member.household)


def test_work_overview_only_for_own_organisation_and_work_roles(people):
    for role in ("professional", "coordinator", "client_supporter"):
        membership = people[role]
        assert can(actor(membership.user), "organisations.view_work_overview", membership.organisation)
        assert not can(actor(membership.user), "organisations.view_work_overview", OrganisationFactory())
        assert not can(actor(membership.user), "organisations.view_work_overview", None)
    for role in ("facilitator", "policy_advisor", "functional_admin"):
        membership = people[role]
        assert not can(actor(membership.user), "organisations.view_work_overview", membership.organisation)
    assert not can(actor(people["citizen"].user), "organisations.view_work_overview", None)


def test_facilitator_sees_only_the_networks_they_facilitate(people):
    facilitator = people["facilitator"].user
    own = NetworkFactory(facilitators=[facilitator], organisations=[people["facilitator"].organisation])
    NetworkFactory(organisations=[people["facilitator"].organisation])  # their organisation's, not facilitated
    NetworkFactory(facilitators=[UserFactory()])
    assert list(networks_visible_to(actor(facilitator))) == [own]
    assert can(actor(facilitator), "organisations.view_facilitated_networks")
    assert not can(actor(people["professional"].user), "organisations.view_facilitated_networks")


def test_professionals_see_their_organisations_networks_only(people):
    membership = people["professional"]
    own = NetworkFactory(organisations=[membership.organisation])
    NetworkFactory(organisations=[OrganisationFactory()])
    assert list(networks_visible_to(actor(membership.user))) == [own]


def test_networks_visible_to_everyone_else(people):
    networks = NetworkFactory.create_batch(2, organisations=[OrganisationFactory()])
    assert set(networks_visible_to(actor(people["functional_admin"].user))) == set(networks)
    for role in ("citizen", "policy_advisor"):
        assert not networks_visible_to(actor(people[role].user)).exists(), role
    assert not networks_visible_to(ANONYMOUS).exists()


def test_aggregate_figures_only_for_the_policy_advisor(people):
    for role, person in people.items():
        allowed = role == "policy_advisor"
        assert can(actor(person.user), "households.view_aggregate_figures") is allowed, role
        assert can(actor(person.user), "organisations.view_type_figures") is allowed, role


def test_organisation_register_only_for_the_functional_admin(people):
    for role, person in people.items():
        assert can(actor(person.user), "organisations.view_register") is (role == "functional_admin"), role


def test_support_admin_link_needs_functional_admin_and_staff(people):
    admin = people["functional_admin"].user
    assert not can(actor(admin), "home.link_support_admin")
    admin.is_staff = True
    assert can(actor(admin), "home.link_support_admin")
    staff_professional = people["professional"].user
    staff_professional.is_staff = True
    assert not can(actor(staff_professional), "home.link_support_admin")
