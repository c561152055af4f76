import pytest
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from samen.accounts.policies import membership_for
from samen.accounts.tests.factories import UserFactory
from samen.core.actor import ANONYMOUS
from samen.core.policy import can
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _verified(user, verified: bool):
    user.is_verified = lambda: verified
    return user


def test_only_professionals_use_a_second_factor():
    professional = actor_for_user(MembershipFactory().user)
    citizen = actor_for_user(UserFactory())
    assert can(professional, "accounts.use_second_factor")
    assert not can(citizen, "accounts.use_second_factor")
    assert not can(ANONYMOUS, "accounts.use_second_factor")


def test_first_app_may_be_set_up_freely_another_only_after_the_second_factor():
    user = MembershipFactory().user
    actor = actor_for_user(user)
    assert can(actor, "accounts.set_up_second_factor", _verified(user, False))
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    assert not can(actor, "accounts.set_up_second_factor", _verified(user, False))
    assert can(actor, "accounts.set_up_second_factor", _verified(user, True))


def test_an_unconfirmed_app_does_not_block_setting_up():
    user = MembershipFactory().user
    TOTPDevice.objects.create(user=user, name="phone", confirmed=False)
    assert can(actor_for_user(user), "accounts.set_up_second_factor", _verified(user, False))


def test_nobody_sets_up_an_app_for_someone_else_and_citizens_not_at_all():
    user = MembershipFactory().user
    other = MembershipFactory().user
    assert not can(actor_for_user(user), "accounts.set_up_second_factor", _verified(other, True))
    citizen = UserFactory()
    assert not can(actor_for_user(citizen), "accounts.set_up_second_factor", _verified(citizen, True))


def test_a_user_without_otp_middleware_counts_as_unverified():
    user = MembershipFactory().user
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    assert not can(actor_for_user(user), "accounts.set_up_second_factor", user)


def test_membership_for_returns_only_own_active_memberships():
    mine = MembershipFactory()
    actor = actor_for_user(mine.user)
    assert membership_for(actor, mine.pk) == mine
    assert can(actor, "accounts.choose_membership", mine)

    theirs = MembershipFactory()
    assert not can(actor, "accounts.choose_membership", theirs)
    with pytest.raises(Http404):
        membership_for(actor, theirs.pk)
    with pytest.raises(Http404):
        membership_for(ANONYMOUS, mine.pk)

    mine.organisation.is_active = False
    mine.organisation.save(update_fields=["is_active"])
    assert not can(actor, "accounts.choose_membership", mine)
    with pytest.raises(Http404):
        membership_for(actor, mine.pk)
