"""Who may see and do what with a household's meetings: the household sees them by default; the team's
professionals with consent for general and the household plan them; putting an outcome in the plan follows the
plan's own rule; nobody outside the household (another organisation, a revoked consent, anonymous) sees anything."""

from __future__ import annotations

import pytest

from samen.consent.models import DataCategory
from samen.consent.policies import household_access
from samen.core.actor import ANONYMOUS
from samen.core.policy import can

pytestmark = pytest.mark.django_db
G = DataCategory

# who: (view, manage, apply general, see finances items, apply finances)
EXPECTED = {
    "citizen": (True, True, True, True, True),
    "representative": (True, True, True, True, True),  # general and finances
    "informal": (True, False, False, False, False),  # reads general only
    "informal_without_grant": (False, False, False, False, False),
    "professional": (True, True, True, True, True),  # general and finances
    "coordinator": (True, True, True, False, False),  # general and youth
    "supporter": (True, False, True, False, False),  # writes in the plan, does not plan meetings
    "emergency": (False, False, False, False, False),  # safety only, by break the glass
    "expired": (False, False, False, False, False),
    "revoked": (False, False, False, False, False),
    "stranger": (False, False, False, False, False),
    "other_citizen": (False, False, False, False, False),
}


@pytest.mark.parametrize("who", EXPECTED)
def test_who_may_what(setting, actor, who):
    person = actor(getattr(setting, who))
    household = setting.household
    answers = (
        can(person, "meetings.view", household),
        can(person, "meetings.manage", household),
        can(person, "meetings.apply", (household, G.GENERAL)),
        can(person, "meetings.view_item", (household, G.FINANCES)),
        can(person, "meetings.apply", (household, G.FINANCES)),
    )
    assert answers == EXPECTED[who]


@pytest.mark.parametrize("who", [who for who, answers in EXPECTED.items() if answers[0]])
def test_the_rules_answer_the_same_with_the_requests_access(setting, actor, who):
    person = actor(getattr(setting, who))
    access = household_access(person, setting.household.pk)
    household = access.household
    assert can(person, "meetings.view", (household, access.visible)) == can(person, "meetings.view", setting.household)
    assert can(person, "meetings.manage", (household, access)) == can(person, "meetings.manage", setting.household)
    assert can(person, "meetings.view_item", (household, G.FINANCES, access.visible)) == can(
        person, "meetings.view_item", (setting.household, G.FINANCES)
    )


def test_anonymous_and_nonsense_are_refused(setting):
    household = setting.household
    for permission, obj in [
        ("meetings.view", household),
        ("meetings.manage", household),
        ("meetings.view_item", (household, G.GENERAL)),
        ("meetings.apply", (household, G.GENERAL)),
    ]:
        assert not can(ANONYMOUS, permission, obj)


def test_malformed_objects_are_refused(setting, actor):
    citizen = actor(setting.citizen)
    assert not can(citizen, "meetings.view", None)
    assert not can(citizen, "meetings.view", "household")
    assert not can(citizen, "meetings.view_item", (setting.household, "no-such-category"))
    assert not can(citizen, "meetings.view_item", setting.household)
    assert not can(citizen, "meetings.apply", (setting.household,))
    assert not can(citizen, "meetings.manage", (setting.household, "not an access"))
    other = household_access(actor(setting.other_citizen), setting.other_household.pk)
    assert not can(citizen, "meetings.manage", (setting.household, other))  # another household's answers


def test_a_child_member_sees_general_items_but_not_health(setting, actor):
    from samen.households.models import Relation
    from samen.households.tests.factories import CitizenFactory

    child = CitizenFactory(household=setting.household, relation=Relation.CHILD, date_of_birth=None).user
    person = actor(child)
    assert can(person, "meetings.view", setting.household)
    assert not can(person, "meetings.view_item", (setting.household, G.HEALTH))
