"""The daily job: referrals that stalled (requested and not answered within 5 working days; accepted or in progress
without a change for 20) become case events for the network, once per stall, without the household. The clock is
frozen; the first referral is asked on a Friday, so the weekend lies in between."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from samen.core.models import AuditEntry
from samen.organisations.models import CaseEvent, CaseEventKind
from samen.organisations.tests.factories import NetworkFactory, OrganisationFactory
from samen.referrals import tasks
from samen.referrals.models import Referral, ReferralStatus
from samen.referrals.services import referrals_report_stalled, stalled_before
from samen.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
S = ReferralStatus
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
FRIDAY = datetime.datetime(2026, 3, 6, 10, 0, tzinfo=AMSTERDAM)  # no public holidays in the weeks after


def at(day: int, hour: int = 8) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def network():
    wijkteam, ggz = OrganisationFactory(name="Wijkteam Noord"), OrganisationFactory(name="GGZ Oost")
    NetworkFactory(organisations=[wijkteam, ggz])
    return wijkteam, ggz


def _requested_on_friday(network) -> Referral:
    wijkteam, ggz = network
    with freeze_time(FRIDAY + datetime.timedelta(hours=1)):
        return ReferralFactory(from_organisation=wijkteam, to_organisation=ggz, status=S.REQUESTED)


def test_working_days_skip_the_weekend():
    assert stalled_before(datetime.date(2026, 3, 13), 5) == datetime.datetime(2026, 3, 9, tzinfo=AMSTERDAM)
    assert stalled_before(datetime.date(2026, 3, 12), 5) == datetime.datetime(2026, 3, 6, tzinfo=AMSTERDAM)
    # On a Sunday the count starts at Friday.
    assert stalled_before(datetime.date(2026, 3, 15), 1) == datetime.datetime(2026, 3, 13, tzinfo=AMSTERDAM)


def test_king_s_day_is_no_working_day():
    # 27 April 2026 (Monday) is King's Day: five working days back from Friday 1 May start on Friday 24 April.
    assert stalled_before(datetime.date(2026, 5, 1), 5) == datetime.datetime(2026, 4, 24, tzinfo=AMSTERDAM)


def test_a_request_is_stalled_after_five_working_days_not_five_days(network):
    referral = _requested_on_friday(network)
    with freeze_time(at(11)):  # Wednesday: 5 days, 3 working days
        assert referrals_report_stalled() == 0
    with freeze_time(at(12)):  # Thursday: 4 working days
        assert referrals_report_stalled() == 0
    with freeze_time(at(13)):  # Friday: 5 working days
        assert referrals_report_stalled() == 1
    (event,) = CaseEvent.objects.all()
    assert event.kind == CaseEventKind.REFERRAL_STALLED
    assert event.occurred_on == datetime.date(2026, 3, 13)
    assert {event.organisation_a_id, event.organisation_b_id} == {
        referral.from_organisation_id,
        referral.to_organisation_id,
    }
    assert event.hours == 7 * 24 - 2  # from Friday 10:00 to Friday 08:00 a week later
    # Nothing of the household in the network's record, nor in the audit entry of the job.
    assert not AuditEntry.objects.filter(object_type="organisations.caseevent", household_id__isnull=False).exists()


def test_the_job_is_idempotent(network):
    _requested_on_friday(network)
    with freeze_time(at(13)):
        assert referrals_report_stalled() == 1
        assert referrals_report_stalled() == 0
    with freeze_time(at(16)):
        assert referrals_report_stalled() == 0
    assert CaseEvent.objects.count() == 1


def test_a_referral_that_moved_and_stalled_again_is_reported_again(network):
    referral = _requested_on_friday(network)
    with freeze_time(at(13)):
        assert referrals_report_stalled() == 1
    with freeze_time(at(16, 9)):  # accepted on Monday 16 March
        Referral.objects.filter(pk=referral.pk).update(
            status=S.ACCEPTED,
            accepted_at=at(16, 9),
            changed_at=at(16, 9),
            handled_by=referral.requested_by,
            version=2,
        )
    # Good Friday (3 April) and Easter Monday (6 April) are no working days: 19 on Tuesday 14 April, 20 a day later.
    with freeze_time(datetime.datetime(2026, 4, 14, 8, tzinfo=AMSTERDAM)):
        assert referrals_report_stalled() == 0
    with freeze_time(datetime.datetime(2026, 4, 15, 8, tzinfo=AMSTERDAM)):
        assert referrals_report_stalled() == 1
    assert CaseEvent.objects.filter(kind=CaseEventKind.REFERRAL_STALLED).count() == 2


@pytest.mark.parametrize("status", [S.DRAFT, S.REJECTED, S.COMPLETED, S.CANCELLED])
def test_closed_and_waiting_referrals_never_stall(network, status):
    wijkteam, ggz = network
    with freeze_time(FRIDAY):
        ReferralFactory(from_organisation=wijkteam, to_organisation=ggz, status=status)
    with freeze_time(datetime.datetime(2026, 6, 1, 8, tzinfo=AMSTERDAM)):
        assert referrals_report_stalled() == 0


def test_the_task_and_the_command_run_the_job(network, capsys):
    _requested_on_friday(network)
    with freeze_time(at(13)):
        result = tasks.run_daily_referral_check.enqueue()
        assert result.return_value == {"stalled": 1}
        call_command("check_referrals")
    assert "0 stalled referral(s)" in capsys.readouterr().out
