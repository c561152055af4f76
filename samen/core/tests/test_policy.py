import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from samen.accounts.tests.factories import UserFactory
from samen.core import policy
from samen.core.actor import ANONYMOUS, SYSTEM, Actor, Role
from samen.households.tests.factories import HouseholdMemberFactory
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory


def test_an_unregistered_permission_is_denied_for_everyone():
    assert not policy.can(SYSTEM, "nobody.registered.this")
    assert not policy.can(ANONYMOUS, "nobody.registered.this")
    with pytest.raises(PermissionDenied):
        policy.require(SYSTEM, "nobody.registered.this")
    with pytest.raises(Http404):
        policy.require(SYSTEM, "nobody.registered.this", hide=True)


def test_a_registered_rule_decides(monkeypatch):
    monkeypatch.setattr(policy, "_RULES", {})

    @policy.rule("test.only_citizens")
    def only_citizens(actor, obj):
        return actor.role == Role.CITIZEN

    assert policy.can(Actor(user=None, role=Role.CITIZEN), "test.only_citizens")
    assert not policy.can(ANONYMOUS, "test.only_citizens")
    assert policy.registered_permissions() == ["test.only_citizens"]


def test_registering_a_second_rule_for_the_same_permission_fails(monkeypatch):
    monkeypatch.setattr(policy, "_RULES", {})
    policy.rule("test.once")(lambda actor, obj: True)
    with pytest.raises(RuntimeError):
        policy.rule("test.once")(lambda actor, obj: False)


@pytest.mark.django_db
def test_actor_for_a_professional_uses_the_membership():
    membership = MembershipFactory(coordinator=True)
    actor = actor_for_user(membership.user, ip_address="192.0.2.1")
    assert actor.role == Role.COORDINATOR
    assert actor.organisation == membership.organisation
    assert actor.is_professional
    assert actor.ip_address == "192.0.2.1"


@pytest.mark.django_db
def test_actor_with_two_memberships_acts_for_the_chosen_one():
    first = MembershipFactory()
    second = MembershipFactory(user=first.user, coordinator=True)
    assert actor_for_user(first.user).membership == first
    assert actor_for_user(first.user, membership_id=second.pk).membership == second
    other = MembershipFactory()
    assert actor_for_user(first.user, membership_id=other.pk).membership == first


@pytest.mark.django_db
def test_actor_for_a_user_without_membership_is_a_citizen():
    member = HouseholdMemberFactory(user=UserFactory())
    actor = actor_for_user(member.user)
    assert actor.role == Role.CITIZEN
    assert not actor.is_professional
    assert actor.organisation is None


@pytest.mark.django_db
def test_an_inactive_membership_gives_no_professional_role():
    membership = MembershipFactory(is_active=False)
    assert actor_for_user(membership.user).role == Role.CITIZEN


def test_anonymous_actor():
    from django.contrib.auth.models import AnonymousUser

    actor = actor_for_user(AnonymousUser())
    assert actor.role == Role.ANONYMOUS
    assert not actor.is_authenticated
