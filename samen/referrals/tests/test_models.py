"""What the database itself refuses: the states and their timestamps, the reason, the pair of organisations, one open
referral per organisation, the version. Each bad row is written past the services, straight into the table."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from samen.referrals.models import TRANSITIONS, Referral, ReferralStatus, is_legal
from samen.referrals.tests.factories import ReferralFactory, ReferralStatusChangeFactory

pytestmark = pytest.mark.django_db
S = ReferralStatus


@pytest.mark.parametrize("status", list(S), ids=lambda status: status.value)
def test_every_status_with_its_own_timestamps_is_stored(status):
    assert ReferralFactory(status=status).pk


def _refused(**changes) -> None:
    referral = ReferralFactory(status=changes.pop("start", S.REQUESTED))
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(**changes)


NOW = timezone.now


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "stalled"},
        {"category": "secrets"},
        {"status": S.REJECTED, "rejected_at": NOW, "handled_by": None},  # no reason, no handler
        {"status_reason": "Een reden zonder afwijzing"},  # a reason on a requested referral
        {"status": S.COMPLETED},  # completed without being accepted and started
        {"accepted_at": NOW},  # requested, but with an answer
        {"status": S.DRAFT},  # a draft that was requested
        {"start": S.COMPLETED, "started_at": None},
        {"start": S.ACCEPTED, "handled_by": None},
        {"start": S.CANCELLED, "cancelled_at": None},
        {"start": S.REJECTED, "status_reason": ""},
        {"start": S.ACCEPTED, "accepted_at": "30 days ago"},  # accepted before it was asked
        {"version": 0},
    ],
    ids=lambda changes: ",".join(f"{k}={v if not callable(v) else 'now'}" for k, v in changes.items()),
)
def test_the_database_refuses_a_state_its_timestamps_do_not_match(changes):
    def value_of(value):
        if value == "30 days ago":
            return NOW() - datetime.timedelta(days=30)
        return value() if callable(value) else value

    _refused(**{key: value_of(value) for key, value in changes.items()})


def test_not_to_the_own_organisation():
    referral = ReferralFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(to_organisation=referral.from_organisation)


def test_one_open_referral_per_household_and_organisation():
    first = ReferralFactory(status=S.IN_PROGRESS)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralFactory(household=first.household, to_organisation=first.to_organisation, status=S.DRAFT)
    # A closed one does not count.
    ReferralFactory(household=first.household, to_organisation=first.to_organisation, status=S.COMPLETED)


def test_a_step_changes_something():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralStatusChangeFactory(from_status=S.ACCEPTED, to_status=S.ACCEPTED)


def test_the_machine_has_no_way_back_and_no_way_out_of_a_closed_referral():
    assert not any(S.DRAFT in targets for targets in TRANSITIONS.values())
    for closed in (S.REJECTED, S.COMPLETED, S.CANCELLED):
        assert TRANSITIONS[closed] == frozenset()
    assert is_legal("requested", "accepted") and not is_legal("requested", "completed")
    assert not is_legal("nonsense", "accepted") and not is_legal("requested", "nonsense")


def test_str_never_shows_the_question():
    referral = ReferralFactory(question="Geheim verhaal")
    assert "Geheim" not in str(referral)
