import pytest
from django.db import IntegrityError, transaction

from samen.assessments.models import Spinnenweb, ZrmAssessment, ZrmScore
from samen.assessments.tests.factories import SpinnenwebFactory, ZrmAssessmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("score", [0, 6])
def test_a_score_outside_1_to_5_is_refused_by_the_database(score):
    assessment = ZrmAssessmentFactory(scores={})
    ZrmScore.objects.filter(assessment=assessment, domain="finances").delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        ZrmScore.objects.create(assessment=assessment, domain="finances", score=score)


def test_one_score_per_domain_and_only_known_domains():
    assessment = ZrmAssessmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ZrmScore.objects.create(assessment=assessment, domain="finances", score=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        ZrmScore.objects.create(assessment=assessment, domain="criteria text", score=2)


def test_the_instrument_version_is_stored_and_required():
    assessment = ZrmAssessmentFactory()
    assert ZrmAssessment.objects.get().instrument_version == "ZRM 2017"
    assert assessment.scores.count() == 13
    with pytest.raises(IntegrityError), transaction.atomic():
        ZrmAssessment.objects.filter(pk=assessment.pk).update(instrument_version="")


@pytest.mark.parametrize("field", ["body", "day"])
@pytest.mark.parametrize("value", [-1, 11])
def test_a_spinnenweb_theme_is_0_to_10(field, value):
    web = SpinnenwebFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Spinnenweb.objects.filter(pk=web.pk).update(**{field: value})


def test_a_spinnenweb_is_general_information():
    web = SpinnenwebFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Spinnenweb.objects.filter(pk=web.pk).update(category="health")
