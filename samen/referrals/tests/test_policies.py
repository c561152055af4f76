"""The referral rules: who sees a household's referrals, who may refer in which category, answer, cancel, and what
the receiving organisation may see and do, before and after it accepts."""

from __future__ import annotations

import pytest
from django.http import Http404

from samen.consent.policies import household_access
from samen.consent.tests.factories import ConsentGrantFactory
from samen.core.actor import ANONYMOUS
from samen.core.policy import can
from samen.core.vocabulary import DataCategory
from samen.households.tests.factories import HouseholdFactory
from samen.organisations.actors import actor_for_user
from samen.referrals import services
from samen.referrals.models import ReferralStatus
from samen.referrals.policies import (
    categories_to_refer,
    household_referral_for,
    received_referral_for,
    received_referrals,
)
from samen.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
S = ReferralStatus
G = DataCategory


def _access(user, household):
    try:
        return household_access(actor_for_user(user), household.pk)
    except Http404:
        return None


# fmt: off
REFER = {
    # who: the categories in which they may refer the household
    "citizen":               set(G),                       # decides on consent for all of it
    "representative":        {G.GENERAL, G.FINANCES},      # within the representation's scope
    "professional":          {G.GENERAL, G.FINANCES},      # Schuldhulp Zuid's consent
    "coordinator":           {G.GENERAL, G.YOUTH},         # Wijkteam Noord's consent
    "supporter":             set(),
    "informal":              set(),
    "emergency":             set(),                        # break the glass reads, it does not refer
    "expired":               set(),
    "revoked":               set(),
    "stranger":              set(),
    "other_citizen":         set(),
}
VIEW = {"citizen", "representative", "professional", "coordinator", "supporter"}
# fmt: on


@pytest.mark.parametrize("who", sorted(REFER))
def test_who_may_see_and_refer_in_which_category(setting, who):
    user = getattr(setting, who)
    access = _access(user, setting.household)
    actor = actor_for_user(user)
    assert set(categories_to_refer(actor, access)) == REFER[who]
    assert can(actor, "referrals.view", access) == (who in VIEW)
    assert can(actor, "referrals.start", access) == bool(REFER[who])
    for category in G:
        assert can(actor, "referrals.request", (access, category)) == (category in REFER[who])


def test_anonymous_may_do_nothing(setting, receiver):
    referral = ReferralFactory(household=setting.household, to_organisation=receiver.organisation)
    for permission in ("referrals.view", "referrals.start", "referrals.view_inbox"):
        assert not can(ANONYMOUS, permission, None)
    for permission in ("referrals.answer", "referrals.cancel", "referrals.handle", "referrals.view_received"):
        assert not can(ANONYMOUS, permission, referral)
    assert not received_referrals(ANONYMOUS).exists()


def test_a_revoked_consent_takes_the_right_to_refer_at_once(setting, receiver):
    coordinator = actor_for_user(setting.coordinator)
    grant = setting.household.consent_grants.get(organisation=setting.wijkteam, category=G.YOUTH)
    assert can(coordinator, "referrals.request", (_access(setting.coordinator, setting.household), G.YOUTH))
    grant.revoked_at, grant.revoked_by = grant.granted_at, setting.citizen
    grant.save()
    assert not can(coordinator, "referrals.request", (_access(setting.coordinator, setting.household), G.YOUTH))


def test_the_receiving_organisation_before_and_after_it_accepts(setting, receiver):
    ConsentGrantFactory(household=setting.household, organisation=receiver.organisation)
    referral = services.referral_request(
        actor=actor_for_user(setting.coordinator),
        household=setting.household,
        to_organisation=receiver.organisation,
        question="Intake graag",
    )
    ria, bas = actor_for_user(receiver.professional), actor_for_user(receiver.colleague)
    # Before: the referral in the inbox, nothing of the household itself.
    assert received_referral_for(ria, referral.pk) == referral
    assert list(received_referrals(bas)) == [referral]
    assert _access(receiver.professional, setting.household) is None
    assert can(ria, "referrals.handle", referral) and can(bas, "referrals.handle", referral)
    assert not can(ria, "referrals.cancel", referral)

    services.referral_accept(actor=ria, referral=referral)

    # After: Ria works in the household (within her organisation's consent); both still see it while it is open.
    access = _access(receiver.professional, setting.household)
    assert access is not None and access.consented == {G.GENERAL}
    assert household_referral_for(access, referral.pk) == referral
    assert _access(receiver.colleague, setting.household) is None
    services.referral_start(actor=bas, referral=referral)
    services.referral_complete(actor=ria, referral=referral)
    # Closed: only for the professional who handled it.
    assert received_referral_for(ria, referral.pk) == referral
    with pytest.raises(Http404):
        received_referral_for(bas, referral.pk)


def test_other_organisations_never_see_it(setting, receiver):
    referral = ReferralFactory(household=setting.household, to_organisation=receiver.organisation)
    for user in (setting.professional, setting.coordinator, setting.stranger, setting.emergency):
        actor = actor_for_user(user)
        assert not can(actor, "referrals.handle", referral)
        assert not can(actor, "referrals.view_received", referral)
        with pytest.raises(Http404):
            received_referral_for(actor, referral.pk)


def test_a_draft_is_not_the_receiving_organisations_yet(setting, receiver):
    referral = ReferralFactory(household=setting.household, to_organisation=receiver.organisation, status=S.DRAFT)
    ria = actor_for_user(receiver.professional)
    assert not can(ria, "referrals.view_received", referral)
    assert not received_referrals(ria).exists()


def test_an_ended_membership_ends_the_inbox(setting, receiver):
    referral = ReferralFactory(household=setting.household, to_organisation=receiver.organisation)
    ria = actor_for_user(receiver.professional)
    receiver.organisation.is_active = False
    receiver.organisation.save()
    ria.organisation.refresh_from_db()
    assert not can(ria, "referrals.view_inbox")
    assert not can(ria, "referrals.handle", referral)


def test_cancelling(setting, receiver):
    requested = ReferralFactory(
        household=setting.household,
        from_organisation=setting.schuldhulp,
        requested_by=setting.professional,
        to_organisation=receiver.organisation,
    )
    accepted = ReferralFactory(
        household=setting.household,
        from_organisation=setting.schuldhulp,
        requested_by=setting.professional,
        status=S.ACCEPTED,
    )
    for who, on_requested, on_accepted in (
        ("professional", True, True),  # asked for it
        ("coordinator", True, True),
        ("citizen", True, False),  # until it is accepted
        ("representative", True, False),
        ("supporter", False, False),
        ("informal", False, False),
        ("stranger", False, False),
    ):
        actor = actor_for_user(getattr(setting, who))
        assert can(actor, "referrals.cancel", requested) == on_requested, who
        assert can(actor, "referrals.cancel", accepted) == on_accepted, who


def test_a_referral_of_another_household_or_category_is_not_found(setting, receiver):
    access = _access(setting.coordinator, setting.household)
    other = ReferralFactory(household=HouseholdFactory(), to_organisation=receiver.organisation)
    finances = ReferralFactory(household=setting.household, to_organisation=receiver.organisation, category=G.FINANCES)
    for referral_id in (other.pk, finances.pk, "abc", None, 0):
        with pytest.raises(Http404):
            household_referral_for(access, referral_id)
