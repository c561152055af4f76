import pytest

from samen.accounts.backends import SamenBackend
from samen.accounts.tests.factories import UserFactory
from samen.core.actor import Role
from samen.core.testing import count_queries
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_professional_and_their_memberships_load_in_one_query():
    membership = MembershipFactory(coordinator=True)
    MembershipFactory(user=membership.user)
    backend = SamenBackend()
    loaded = {}
    assert count_queries(lambda: loaded.setdefault("user", backend.get_user(membership.user.pk))) == 1
    user = loaded["user"]
    assert user == membership.user
    assert count_queries(lambda: loaded.setdefault("actor", actor_for_user(user))) == 0
    assert loaded["actor"].role == Role.COORDINATOR
    assert loaded["actor"].organisation == membership.organisation


def test_an_ended_membership_stops_counting_on_the_next_request():
    membership = MembershipFactory()
    backend = SamenBackend()
    assert actor_for_user(backend.get_user(membership.user.pk)).role == Role.PROFESSIONAL
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    assert actor_for_user(backend.get_user(membership.user.pk)).role == Role.CITIZEN


def test_an_inactive_user_is_not_loaded():
    membership = MembershipFactory()
    membership.user.is_active = False
    membership.user.save(update_fields=["is_active"])
    assert SamenBackend().get_user(membership.user.pk) is None
    citizen = UserFactory(is_active=False)
    assert SamenBackend().get_user(citizen.pk) is None


def test_a_user_without_memberships_is_a_citizen_without_extra_queries():
    user = UserFactory()
    backend = SamenBackend()
    loaded = backend.get_user(user.pk)
    assert count_queries(lambda: actor_for_user(loaded)) == 0
    assert actor_for_user(loaded).role == Role.CITIZEN
