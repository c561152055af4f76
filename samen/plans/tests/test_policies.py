import pytest

from samen.consent.models import DataCategory
from samen.core.actor import ANONYMOUS
from samen.core.policy import can
from samen.organisations.actors import actor_for_user

pytestmark = pytest.mark.django_db
G = DataCategory


def test_the_plan_is_for_whoever_sees_general(setting):
    household = setting.household
    for user in (setting.citizen, setting.representative, setting.informal, setting.professional, setting.coordinator):
        assert can(actor_for_user(user), "plans.view", household)
    for user in (setting.emergency, setting.expired, setting.revoked, setting.stranger, setting.other_citizen):
        assert not can(actor_for_user(user), "plans.view", household)
    assert not can(ANONYMOUS, "plans.view", household)


def test_another_organisation_without_consent_for_the_category_does_not_see_the_goal(setting):
    household = setting.household
    assert can(actor_for_user(setting.professional), "plans.view_goal", (household, G.FINANCES))
    # The coordinator's organisation has general and youth, not finances.
    assert not can(actor_for_user(setting.coordinator), "plans.view_goal", (household, G.FINANCES))
    assert not can(actor_for_user(setting.coordinator), "plans.write", (household, G.FINANCES))
    assert can(actor_for_user(setting.coordinator), "plans.write", (household, G.YOUTH))


def test_the_informal_network_and_break_the_glass_only_read(setting):
    household = setting.household
    assert can(actor_for_user(setting.informal), "plans.view_goal", (household, G.GENERAL))
    assert not can(actor_for_user(setting.informal), "plans.write", (household, G.GENERAL))
    assert not can(actor_for_user(setting.emergency), "plans.write", (household, G.SAFETY))


def test_revoked_anonymous_and_another_household_write_nothing(setting):
    household = setting.household
    for actor in (actor_for_user(setting.revoked), ANONYMOUS, actor_for_user(setting.other_citizen)):
        assert not can(actor, "plans.write", (household, G.GENERAL))
        assert not can(actor, "plans.view_goal", (household, G.GENERAL))
    assert not can(actor_for_user(setting.citizen), "plans.write", (household, "nonsense"))


def test_only_the_household_agrees(setting):
    household = setting.household
    assert can(actor_for_user(setting.citizen), "plans.agree", household)
    assert can(actor_for_user(setting.representative), "plans.agree", household)
    for user in (setting.professional, setting.coordinator, setting.informal, setting.other_citizen):
        assert not can(actor_for_user(user), "plans.agree", household)
