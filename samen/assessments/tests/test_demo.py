"""The demo's self-assessments: the showcase's debt story, and for every household with a professional up to a
year of quarterly ZRMs and monthly or two-monthly spinnenwebs with a trend; recorded only as the rules allow;
deterministic for a seed, a fixed number of queries, nothing added twice."""

import datetime
from collections import defaultdict
from itertools import pairwise
from statistics import mean

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from samen.accounts.models import User
from samen.assessments.demo import SHOWCASE_ZRM, WEB_INTERVALS, add_demo_assessments
from samen.assessments.domains import DOMAIN_CATEGORY, SpinnenwebTheme, ZrmDomain
from samen.assessments.models import Spinnenweb, ZrmAssessment, ZrmScore
from samen.consent.models import ConsentGrant, DataCategory
from samen.core.actor import Role
from samen.demo.logins import DEMO_LOGINS
from samen.dossier.tests.test_demo import bulk_query_profile
from samen.households.models import Household, TeamMember, TeamRole

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _demo(households: int = 60) -> list[int]:
    call_command("demo_municipality", households=households, seed=2026, verbosity=0)
    return sorted(Household.objects.values_list("pk", flat=True))


@pytest.fixture
def demo() -> list[int]:
    """A small demo town, made by ``manage.py demo_municipality`` (which writes the self-assessments)."""
    return _demo()


def _forget() -> None:
    ZrmAssessment.objects.all().delete()
    Spinnenweb.objects.all().delete()


def _snapshot():
    return (
        list(
            ZrmAssessment.objects.order_by("household_id", "assessed_on").values_list(
                "household_id", "assessed_on", "recorded_by_id", "organisation_id"
            )
        ),
        list(
            ZrmScore.objects.order_by("assessment__household_id", "assessment__assessed_on", "domain").values_list(
                "domain", "score"
            )
        ),
        list(
            Spinnenweb.objects.order_by("household_id", "filled_on").values_list(
                "household_id", "filled_on", "filled_by_id", *SpinnenwebTheme.values
            )
        ),
    )


def _with_professionals(household_ids) -> set[int]:
    return set(
        TeamMember.objects.filter(
            household_id__in=household_ids, role=TeamRole.PROFESSIONAL, organisation__isnull=False
        ).values_list("household_id", flat=True)
    )


def _scores(household_id) -> list[dict[str, int]]:
    """The household's ZRMs, oldest first, as {domain: score}."""
    result = []
    for zrm in (
        ZrmAssessment.objects.filter(household_id=household_id).order_by("assessed_on").prefetch_related("scores")
    ):
        result.append({score.domain: score.score for score in zrm.scores.all()})
    return result


def _in_team(household_id, user_id, organisation_id, day: datetime.date) -> bool:
    places = TeamMember.objects.filter(
        household_id=household_id, user_id=user_id, organisation_id=organisation_id, role=TeamRole.PROFESSIONAL
    )
    return any(
        timezone.localdate(place.joined_at) <= day
        and (place.left_at is None or day <= timezone.localdate(place.left_at))
        for place in places
    )


def test_the_showcase_tells_the_debt_story(demo):
    showcase = demo[0]
    zrms = list(ZrmAssessment.objects.filter(household_id=showcase).order_by("assessed_on"))
    assert len(zrms) == 5 and (zrms[-1].assessed_on - zrms[0].assessed_on).days >= 350
    scores = _scores(showcase)
    assert [zrm["finances"] for zrm in scores] == list(SHOWCASE_ZRM[ZrmDomain.FINANCES])
    assert all(len(zrm) == 13 for zrm in scores)
    webs = Spinnenweb.objects.filter(household_id=showcase).order_by("filled_on")
    assert webs.count() == 13 and webs.first().feelings < webs.last().feelings
    citizen = User.objects.get(email=next(login.email for login in DEMO_LOGINS if login.role == Role.CITIZEN))
    assert set(webs.values_list("filled_by_id", flat=True)) == {citizen.pk}
    # Each ZRM by a professional who was in the team that day: the first coordinator a year ago, the current
    # one now.
    for zrm in zrms:
        assert _in_team(showcase, zrm.recorded_by_id, zrm.organisation_id, zrm.assessed_on)
    assert zrms[0].recorded_by_id == TeamMember.objects.get(household_id=showcase, left_at__isnull=False).user_id
    assert zrms[-1].recorded_by_id == TeamMember.objects.get(household_id=showcase, is_coordinator=True).user_id


def test_households_with_a_professional_get_quarterly_zrms_and_regular_spinnenwebs(demo):
    others = _with_professionals(demo) - {demo[0]}
    today = timezone.localdate()
    with_zrms = defaultdict(list)
    for household_id, day in ZrmAssessment.objects.filter(household_id__in=others).values_list(
        "household_id", "assessed_on"
    ):
        with_zrms[household_id].append(day)
    assert len([days for days in with_zrms.values() if len(days) >= 2]) >= len(others) * 3 // 4
    assert not ZrmAssessment.objects.exclude(household_id__in=_with_professionals(demo)).exists()
    year_long = 0
    for household_id, days in with_zrms.items():
        days.sort()
        assert days[-1] <= today and (today - days[0]).days <= 366
        gaps = [(later - earlier).days for earlier, later in pairwise(days)]
        assert all(gap in (90, 91, 92) for gap in gaps[:-1])  # every quarter, then the latest
        started = min(
            TeamMember.objects.filter(household_id=household_id, role=TeamRole.PROFESSIONAL).values_list(
                "joined_at", flat=True
            )
        )
        assert timezone.localdate(started) <= days[0]
        year_long += (days[-1] - days[0]).days >= 300
    assert year_long >= len(with_zrms) // 3
    intervals = set()
    for household_id in with_zrms:
        days = sorted(Spinnenweb.objects.filter(household_id=household_id).values_list("filled_on", flat=True))
        gaps = {(later - earlier).days for earlier, later in pairwise(days[:-1])}
        assert len(gaps) <= 1 and gaps <= set(WEB_INTERVALS)
        intervals |= gaps
    assert intervals == set(WEB_INTERVALS)


def _mean_filled_in(web) -> float:
    """The mean of the themes filled in ("My body" and "How I feel" may be empty)."""
    return mean(value for value in web.scores().values() if value is not None)


def test_some_improve_some_stay_and_a_few_get_worse(demo):
    others = _with_professionals(demo) - {demo[0]}
    changes = []
    for household_id in others:
        zrms = _scores(household_id)
        if len(zrms) < 2:
            continue
        first, last = zrms[0], zrms[-1]
        changes.append(sum(last[domain] - first[domain] for domain in first.keys() & last.keys()))
    assert sum(change > 0 for change in changes) > sum(change < 0 for change in changes) > 0
    assert any(abs(change) <= 1 for change in changes)
    web_changes = []
    for household_id in others:
        webs = list(Spinnenweb.objects.filter(household_id=household_id).order_by("filled_on"))
        if len(webs) >= 2:
            web_changes.append(_mean_filled_in(webs[-1]) - _mean_filled_in(webs[0]))
    assert any(change > 1 for change in web_changes) and any(change < -0.5 for change in web_changes)


def test_zrm_scores_only_in_domains_the_recorders_organisation_had_consent_for(demo):
    others = _with_professionals(demo) - {demo[0]}
    zrms = ZrmAssessment.objects.filter(household_id__in=others).prefetch_related("scores")
    assert zrms.exists()
    for zrm in zrms:
        moment = zrm.created_at
        categories = {
            grant.category
            for grant in ConsentGrant.objects.filter(household_id=zrm.household_id, organisation_id=zrm.organisation_id)
            if grant.valid_from <= moment
            and (grant.valid_until is None or moment < grant.valid_until)
            and (grant.revoked_at is None or moment < grant.revoked_at)
        }
        assert DataCategory.GENERAL in categories
        domains = {score.domain for score in zrm.scores.all()}
        assert domains == {domain.value for domain in ZrmDomain if DOMAIN_CATEGORY[domain] in categories}
        assert _in_team(zrm.household_id, zrm.recorded_by_id, zrm.organisation_id, zrm.assessed_on)
    for web in Spinnenweb.objects.filter(household_id__in=others).select_related("member"):
        if web.organisation_id is None:
            assert web.filled_by_id == web.member.user_id
        else:
            assert _in_team(web.household_id, web.filled_by_id, web.organisation_id, web.filled_on)
            granted = set(
                ConsentGrant.objects.filter(
                    household_id=web.household_id, organisation_id=web.organisation_id
                ).values_list("category", flat=True)
            )
            # "My body" only with consent for health, "How I feel" only with consent for mental health.
            assert web.body is None or DataCategory.HEALTH in granted
            assert web.feelings is None or DataCategory.MENTAL_HEALTH in granted


def test_deterministic_for_a_seed(demo):
    now = timezone.now()
    _forget()
    add_demo_assessments(household_ids=demo, seed=7, now=now)
    first = _snapshot()
    assert first[0] and first[2]
    _forget()
    add_demo_assessments(household_ids=list(reversed(demo)), seed=7, now=now)
    assert _snapshot() == first
    _forget()
    add_demo_assessments(household_ids=demo, seed=8, now=now)
    assert _snapshot() != first


def test_a_second_run_adds_nothing(demo):
    before = _snapshot()
    assert add_demo_assessments(household_ids=demo, seed=2026, now=timezone.now()) == 0
    call_command("demo_municipality", households=len(demo), seed=2026, verbosity=0)
    assert _snapshot() == before


def test_the_number_of_queries_does_not_grow_with_the_households():
    ids = _demo(200)
    _forget()
    now = timezone.now()
    profiles = []
    for household_ids in (ids[:20], ids):
        with transaction.atomic():
            profiles.append(bulk_query_profile(add_demo_assessments, household_ids=household_ids, seed=1, now=now))
            transaction.set_rollback(True)
    (few_reads, few_rows), (many_reads, many_rows) = profiles
    assert few_reads == many_reads
    assert set(few_rows) == set(many_rows)
    assert many_rows["assessments_zrmscore"] > 5 * few_rows["assessments_zrmscore"]


def test_nothing_to_do(db):
    assert add_demo_assessments(household_ids=[], seed=1, now=timezone.now()) == 0
