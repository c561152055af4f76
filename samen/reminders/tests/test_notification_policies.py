"""Who sees which notification: only its recipient, and only while they may see its data category of its household
now, in the role they act in (checked for everyone around a household and every category against
``categories_visible_to``, without break-the-glass access). One without a household: its recipient only. The
e-mails ask the same for a person in every capacity they have (``notifications_visible_to_person``)."""

import pytest
from django.http import Http404
from django.utils import timezone

from samen.consent.models import ConsentGrant, DataCategory
from samen.consent.policies import categories_visible_to
from samen.consent.tests.factories import ConsentGrantFactory
from samen.consent.tests.test_authorization_matrix import CAST_ROLES, CATEGORY_MATRIX, build_cast
from samen.core.actor import ANONYMOUS, SYSTEM, Role
from samen.core.policy import can
from samen.households.models import TeamMember
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory
from samen.reminders.models import Notification
from samen.reminders.policies import (
    capacities_of,
    notification_for,
    notifications_visible_to,
    notifications_visible_to_person,
)
from samen.reminders.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def visible(actor) -> set[int]:
    return set(notifications_visible_to(actor).values_list("pk", flat=True))


def test_everyone_sees_their_own_in_the_categories_they_may_see():
    cast = build_cast()
    others = NotificationFactory.create_batch(2, household=cast.household)  # somebody else's
    checked = 0
    for who in CAST_ROLES:
        user = cast.users[who]
        if user is None:
            assert visible(ANONYMOUS) == set()
            continue
        actor = actor_for_user(user)
        mine = {category: NotificationFactory(recipient=user, household=cast.household, category=category)
                for category in DataCategory}  # fmt: skip
        without_household = NotificationFactory(recipient=user, household=None)
        expected = CATEGORY_MATRIX[who] - ({DataCategory.SAFETY} if who == "break_the_glass" else set())
        if actor.role in (Role.CITIZEN, Role.CLIENT_SUPPORTER, Role.PROFESSIONAL, Role.COORDINATOR):
            # The same answer as the consent policy (break-the-glass access aside: it is not for notifications).
            assert expected == categories_visible_to(actor, cast.household) - (
                {DataCategory.SAFETY} if who == "break_the_glass" else set()
            )
        shown = visible(actor)
        assert shown == {mine[category].pk for category in expected} | {without_household.pk}, who
        assert not shown & {other.pk for other in others}
        checked += 1
    assert checked == len(CAST_ROLES) - 1


def test_a_revoked_consent_hides_it_at_once(setting):
    notification = NotificationFactory(recipient=setting.professional, household=setting.household, category="finances")
    actor = actor_for_user(setting.professional)
    assert notification_for(actor, notification.pk) == notification
    ConsentGrant.objects.filter(
        household=setting.household, organisation=setting.schuldhulp, category="finances"
    ).update(revoked_at=timezone.now(), revoked_by=setting.citizen)
    with pytest.raises(Http404):
        notification_for(actor, notification.pk)
    assert visible(actor) == set()
    assert not notifications_visible_to_person(setting.professional.pk).exists()
    assert not can(actor, "reminders.mark_notification_read", notification)


def test_leaving_the_team_hides_it(setting):
    notification = NotificationFactory(recipient=setting.professional, household=setting.household)
    actor = actor_for_user(setting.professional)
    assert visible(actor) == {notification.pk}
    TeamMember.objects.filter(user=setting.professional).update(left_at=timezone.now())
    assert visible(actor) == set()


def test_another_organisation_of_the_same_person_does_not_see_it(setting):
    """Someone who also works for another organisation sees it only while acting for the one with consent."""
    notification = NotificationFactory(recipient=setting.professional, household=setting.household)
    other = MembershipFactory(user=setting.professional)
    as_other = actor_for_user(setting.professional, membership_id=other.pk)
    assert as_other.organisation_id == other.organisation_id
    assert visible(as_other) == set()
    assert visible(actor_for_user(setting.professional)) == {notification.pk}
    # The e-mail counts it: the person may see it in one of their capacities.
    assert {actor.organisation_id for actor in capacities_of(setting.professional.pk)} == {
        setting.schuldhulp.pk,
        other.organisation_id,
    }
    assert list(notifications_visible_to_person(setting.professional.pk)) == [notification]


def test_a_grant_given_later_shows_it(setting):
    notification = NotificationFactory(recipient=setting.coordinator, household=setting.household, category="health")
    actor = actor_for_user(setting.coordinator)
    assert visible(actor) == set()
    ConsentGrantFactory(household=setting.household, organisation=setting.wijkteam, category="health")
    assert visible(actor) == {notification.pk}


def test_someone_else_s_notification_is_not_found(setting):
    theirs = NotificationFactory(recipient=setting.citizen, household=setting.household)
    facilitator_s = NotificationFactory(recipient=setting.stranger, household=None)
    for user in (setting.professional, setting.coordinator, setting.representative, setting.other_citizen):
        actor = actor_for_user(user)
        for notification in (theirs, facilitator_s):
            with pytest.raises(Http404):
                notification_for(actor, notification.pk)
            assert not can(actor, "reminders.mark_notification_read", notification)
    for bad in ("abc", "0", "-1", None, "1.5", "99999999999999999999999"):
        with pytest.raises(Http404):
            notification_for(actor_for_user(setting.citizen), bad)
    assert notification_for(actor_for_user(setting.citizen), str(theirs.pk)) == theirs
    assert can(actor_for_user(setting.citizen), "reminders.mark_notification_read", theirs)
    assert not can(ANONYMOUS, "reminders.mark_notification_read", theirs)
    assert not can(actor_for_user(setting.citizen), "reminders.mark_notification_read", None)


def test_without_a_household_only_the_recipient_sees_it(setting):
    facilitator = MembershipFactory(facilitator=True).user
    escalation = NotificationFactory(recipient=facilitator, household=None, kind="signal_escalated", params={})
    about_household = NotificationFactory(recipient=facilitator, household=setting.household)
    actor = actor_for_user(facilitator)
    assert actor.role == Role.NETWORK_FACILITATOR
    assert visible(actor) == {escalation.pk}  # a facilitator sees no household's notifications
    assert list(notifications_visible_to_person(facilitator.pk)) == [escalation]
    assert visible(actor_for_user(setting.citizen)) == set()
    assert about_household.pk not in visible(actor_for_user(setting.citizen))


def test_the_citizen_in_every_capacity(setting):
    """A member (from 16: everything), a representative within the scope, the informal network with a grant."""
    for user, category, shown in [
        (setting.citizen, "health", True),
        (setting.representative, "finances", True),
        (setting.representative, "health", False),  # outside the scope
        (setting.informal, "general", True),
        (setting.informal, "finances", False),
        (setting.informal_without_grant, "general", False),
        (setting.other_citizen, "general", False),
    ]:
        notification = NotificationFactory(recipient=user, household=setting.household, category=category)
        assert (notification.pk in visible(actor_for_user(user))) == shown, (user, category)
        person = notifications_visible_to_person(user.pk).filter(pk=notification.pk).exists()
        assert person == shown, (user, category)


def test_the_rules():
    assert can(SYSTEM, "reminders.notify")
    assert not can(ANONYMOUS, "reminders.notify")
    assert not can(ANONYMOUS, "reminders.change_preferences")
    assert not can(SYSTEM, "reminders.change_preferences")


def test_the_list_is_one_query(setting, django_assert_num_queries):
    NotificationFactory.create_batch(3, recipient=setting.coordinator, household=setting.household)
    actor = actor_for_user(setting.coordinator)
    with django_assert_num_queries(1):
        assert len(list(notifications_visible_to(actor))) == 3
    assert Notification.objects.count() == 3
