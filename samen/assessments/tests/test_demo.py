import datetime

import pytest
from django.utils import timezone

from samen.assessments.demo import add_demo_assessments
from samen.assessments.models import Spinnenweb, ZrmAssessment, ZrmScore
from samen.core.testing import count_queries
from samen.households.tests.factories import CitizenFactory, HouseholdFactory, HouseholdMemberFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 6, 1, 12, 0))


@pytest.fixture
def households():
    ids = []
    for index in range(4):
        household = HouseholdFactory()
        if index != 3:  # the last one has no team
            CitizenFactory(household=household)
            TeamMemberFactory(household=household, coordinator=index == 0)
        else:
            HouseholdMemberFactory(household=household)
        ids.append(household.pk)
    return ids


def _snapshot():
    return (
        list(ZrmAssessment.objects.order_by("household_id", "assessed_on").values_list("household_id", "assessed_on")),
        list(
            ZrmScore.objects.order_by("assessment__household_id", "assessment__assessed_on", "domain").values_list(
                "domain", "score"
            )
        ),
        list(
            Spinnenweb.objects.order_by("household_id", "filled_on").values_list("filled_on", "body", "feelings", "day")
        ),
    )


def test_a_year_of_assessments_telling_the_debt_story(households):
    written = add_demo_assessments(household_ids=households, seed=2026, now=NOW)
    showcase = min(households)
    zrms = list(ZrmAssessment.objects.filter(household_id=showcase).order_by("assessed_on"))
    assert len(zrms) == 5 and (zrms[-1].assessed_on - zrms[0].assessed_on).days >= 350
    finances = [ZrmScore.objects.get(assessment=zrm, domain="finances").score for zrm in zrms]
    assert finances == [1, 1, 2, 3, 4]
    assert all(zrm.scores.count() == 13 for zrm in zrms)
    webs = Spinnenweb.objects.filter(household_id=showcase).order_by("filled_on")
    assert webs.count() == 13 and webs.first().feelings < webs.last().feelings
    # Households with a team get a few; the one without a team gets no ZRM.
    assert ZrmAssessment.objects.filter(household_id=households[1]).count() == 2
    assert not ZrmAssessment.objects.filter(household_id=households[3]).exists()
    assert written == ZrmAssessment.objects.count() + Spinnenweb.objects.count()
    assert all(zrm.assessed_on <= NOW.date() for zrm in ZrmAssessment.objects.all())


def test_deterministic(households):
    add_demo_assessments(household_ids=households, seed=7, now=NOW)
    first = _snapshot()
    ZrmAssessment.objects.all().delete()
    Spinnenweb.objects.all().delete()
    add_demo_assessments(household_ids=households, seed=7, now=NOW)
    assert _snapshot() == first


def test_a_fixed_number_of_queries(households):
    few = count_queries(add_demo_assessments, household_ids=households[:2], seed=1, now=NOW)
    more = count_queries(add_demo_assessments, household_ids=households, seed=1, now=NOW)
    assert few == more


def test_nothing_to_do():
    assert add_demo_assessments(household_ids=[], seed=1, now=NOW) == 0
