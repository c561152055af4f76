"""The demo's referrals: one in every state, the showcase household's consent question, and a non-empty inbox for
the demo professional; every row passes the database's constraints (they are written past the services)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from samen.accounts.models import User
from samen.core.actor import Role
from samen.demo.logins import DEMO_LOGINS
from samen.households.models import Household
from samen.organisations.actors import actor_for_user
from samen.referrals.demo import add_demo_referrals
from samen.referrals.models import Referral, ReferralStatus, ReferralStatusChange
from samen.referrals.selectors import inbox
from samen.timeline.models import Entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo_municipality", households=10, seed=2026, verbosity=0)


def _login(role: Role) -> User:
    return User.objects.get(email=next(login.email for login in DEMO_LOGINS if login.role == role))


def test_every_state_is_in_the_demo(demo):
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus)
    showcase = Household.objects.order_by("pk").first()
    draft = Referral.objects.get(status=ReferralStatus.DRAFT)
    assert draft.household == showcase
    assert draft.to_organisation.name == "GGZ Voorbeeldstad"
    for referral in Referral.objects.all():
        steps = list(referral.changes.order_by("changed_at", "pk").values_list("to_status", flat=True))
        assert steps[-1] == referral.status
        assert len(steps) == referral.version
    assert (
        Entry.objects.filter(event_code__startswith="referral_").count()
        == ReferralStatusChange.objects.exclude(to_status=ReferralStatus.DRAFT).count()
    )


def test_the_demo_professional_has_requests_in_the_inbox(demo):
    rows = inbox(actor_for_user(_login(Role.PROFESSIONAL)))
    assert {row.status for row in rows} == {ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED}


def test_adding_them_again_adds_nothing(demo):
    ids = list(Household.objects.order_by("pk").values_list("pk", flat=True))
    count = Referral.objects.count()
    assert add_demo_referrals(household_ids=ids, now=Referral.objects.first().created_at) == 0
    assert Referral.objects.count() == count


def test_the_demo_logins_are_told_with_a_link_to_the_referral(demo):
    from samen.reminders.models import Notification, NotificationKind

    draft = Referral.objects.get(status=ReferralStatus.DRAFT)
    told = Notification.objects.get(recipient=_login(Role.CITIZEN), url__contains="/verwijzingen/")
    assert told.url == f"/huishoudens/{draft.household_id}/verwijzingen/{draft.pk}/"
    new = Notification.objects.get(
        recipient=_login(Role.PROFESSIONAL), kind=NotificationKind.REFERRAL_NEW, url__startswith="/verwijzingen/"
    )
    assert new.household_id is None
