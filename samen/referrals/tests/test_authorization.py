"""The receiving organisation's pages for everyone around a household: the cast of the authorization matrix
(``samen/consent/tests/test_authorization_matrix.py``) plus a professional of the organisation the cast household
was referred to (``receiver``), who is not in its team.

The inbox URLs carry no household id, so the matrix and its crawler (which walk the household URLs) do not list
them; this module asks the same questions of them: the answer per person and URL, and exactly one access entry for
a response that shows household data (none for a refusal, or an inbox without requests).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db.models import Max
from django.shortcuts import resolve_url
from django.urls import reverse

from samen.consent.tests.matrix_terms import GET, HIDDEN, LOGIN, OK, POST
from samen.consent.tests.test_authorization_matrix import CAST_ROLES, cast_for_module
from samen.core.actor import Role
from samen.core.models import AuditAction, AuditEntry
from samen.households.models import TeamMember
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from samen.referrals.models import Referral, ReferralStatus
from samen.referrals.tests.factories import ReferralFactory

ENDPOINTS = {
    "referrals:inbox": (GET, {}),
    "referrals:received": (GET, {}),
    "referrals:received_move": (POST, {"to": "no-such-status", "version": "1"}),  # nothing changes
}
# Who has an inbox: professionals and coordinators (for the organisation they act for); it is empty for all but the
# receiving organisation's professional. The referral itself is only theirs.
INBOX = {"professional_with_consent", "professional_expired_consent", "professional_revoked_consent"}
INBOX |= {"coordinator", "break_the_glass", "receiver"}
EXPECTED = {
    who: (
        dict.fromkeys(ENDPOINTS, LOGIN)
        if who == "anonymous"
        else {
            "referrals:inbox": OK if who in INBOX else HIDDEN,
            "referrals:received": OK if who == "receiver" else HIDDEN,
            "referrals:received_move": OK if who == "receiver" else HIDDEN,
        }
    )
    for who in [*CAST_ROLES, "receiver"]
}
CASES = [(who, name) for who, row in EXPECTED.items() for name in row]


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    """The matrix's cast, and the cast household's referral (general, by the coordinator) to GGZ Ontvangst, whose
    professional is ``receiver``."""
    with cast_for_module(django_db_blocker) as built:
        with django_db_blocker.unblock():
            organisation = OrganisationFactory(name="GGZ Ontvangst")
            built.users["receiver"] = MembershipFactory(organisation=organisation).user
            coordinator = TeamMember.objects.get(household=built.household, user=built.users["coordinator"])
            referral = ReferralFactory(
                household=built.household,
                from_organisation=coordinator.organisation,
                to_organisation=organisation,
                requested_by=coordinator.user,
                status=ReferralStatus.REQUESTED,
            )
            built.url_ids["referral_id"] = referral.pk
        yield built


def test_everyone_has_a_row():
    assert set(EXPECTED) == {*CAST_ROLES, "receiver"}
    assert {name for row in EXPECTED.values() for name in row} == set(ENDPOINTS)


def _url(name: str, cast) -> str:
    if name == "referrals:inbox":
        return reverse(name)
    return reverse(name, args=[cast.url_ids["referral_id"]])


def _last() -> int:
    return AuditEntry.objects.aggregate(last=Max("sequence"))["last"] or 0


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "name"), CASES, ids=[f"{who}-{name}" for who, name in CASES])
def test_page_and_endpoint_access(cast, who, name):
    method, data = ENDPOINTS[name]
    expected = EXPECTED[who][name]
    client = cast.client(who)
    before = _last()
    response = client.get(_url(name, cast)) if method == GET else client.post(_url(name, cast), data)
    entries = list(AuditEntry.objects.filter(sequence__gt=before))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    elif expected == HIDDEN:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
    shows_household_data = response.status_code == 200 and (name != "referrals:inbox" or who == "receiver")
    if shows_household_data:
        (entry,) = entries
        assert entry.action == AuditAction.READ
        assert entry.user_id == cast.users[who].pk
        assert entry.data_category == "general"
        if name != "referrals:inbox":
            assert entry.household_id == cast.household.pk
    else:
        assert entries == [], f"{name} as {who}: {response.status_code} without household data wrote an entry"
    assert Referral.objects.get(pk=cast.url_ids["referral_id"]).status == ReferralStatus.REQUESTED


@pytest.mark.django_db
def test_the_cast_acts_in_its_roles(cast):
    assert cast.actor("receiver").role == Role.PROFESSIONAL
