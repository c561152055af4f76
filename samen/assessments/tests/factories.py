import datetime

import factory

from samen.accounts.tests.factories import UserFactory
from samen.assessments.domains import ZRM_2017, ZrmDomain
from samen.assessments.models import Spinnenweb, ZrmAssessment, ZrmScore
from samen.households.tests.factories import HouseholdMemberFactory


class ZrmAssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment with a score for every domain (``scores={"finances": 2}`` overrides some; default 3)."""

    class Meta:
        model = ZrmAssessment
        skip_postgeneration_save = True

    member = factory.SubFactory(HouseholdMemberFactory)
    household = factory.SelfAttribute("member.household")
    instrument_version = ZRM_2017
    assessed_on = datetime.date(2026, 1, 15)
    recorded_by = factory.SubFactory(UserFactory)
    organisation = None

    @factory.post_generation
    def scores(self, create, extracted, **kwargs):
        if not create:
            return
        given = extracted or {}
        ZrmScore.objects.bulk_create(
            ZrmScore(assessment=self, domain=domain.value, score=given.get(domain.value, 3)) for domain in ZrmDomain
        )


class SpinnenwebFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Spinnenweb

    member = factory.SubFactory(HouseholdMemberFactory)
    household = factory.SelfAttribute("member.household")
    filled_on = datetime.date(2026, 1, 15)
    filled_by = factory.SubFactory(UserFactory)
    body = 6
    feelings = 6
    meaning = 6
    life = 6
    taking_part = 6
    day = 6
