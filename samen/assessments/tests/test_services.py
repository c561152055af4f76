import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samen.assessments import services
from samen.assessments.models import Spinnenweb, ZrmAssessment
from samen.core.actor import ANONYMOUS
from samen.core.models import AuditAction, AuditEntry
from samen.households.tests.factories import CitizenFactory

from .helpers import TODAY, actor, general_web_scores, grandmother, member_of, professional_scores, web_scores

pytestmark = pytest.mark.django_db


def _zrm(setting, user=None, **overrides):
    arguments = {
        "actor": actor(user or setting.professional),
        "member": member_of(setting.citizen),
        "assessed_on": TODAY,
        "scores": professional_scores(),
        **overrides,
    }
    return services.zrm_record(**arguments)


def test_a_professional_records_the_domains_they_may_write(setting):
    assessment = _zrm(setting, scores={**professional_scores(4), "finances": 2})
    assert assessment.instrument_version == "ZRM 2017"
    assert assessment.organisation == setting.schuldhulp
    stored = dict(assessment.scores.values_list("domain", "score"))
    assert stored == {**professional_scores(4), "finances": 2}
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.CREATE
    assert entry.data_category == "general,finances"
    assert entry.household_id == setting.household.pk


def test_the_coordinator_records_the_general_domains(setting):
    scores = professional_scores()
    del scores["finances"]
    assessment = _zrm(setting, setting.coordinator, scores=scores)
    assert assessment.scores.count() == 5


def test_a_missing_domain_is_named(setting):
    scores = professional_scores()
    del scores["housing"]
    with pytest.raises(ValidationError) as error:
        _zrm(setting, scores=scores)
    assert "housing" in error.value.message_dict
    assert not ZrmAssessment.objects.exists()


@pytest.mark.parametrize("bad", [0, 6, "6", "three", None, True, 2.5])
def test_a_score_outside_the_scale_is_refused(setting, bad):
    with pytest.raises(ValidationError) as error:
        _zrm(setting, scores={**professional_scores(), "finances": bad})
    assert "finances" in error.value.message_dict
    assert not ZrmAssessment.objects.exists()


def test_a_domain_outside_the_actors_consent_is_refused(setting):
    with pytest.raises(ValidationError) as error:
        _zrm(setting, scores={**professional_scores(), "mental_health": 3})
    assert "scores" in error.value.message_dict


def test_a_date_in_the_future_is_refused(setting):
    with pytest.raises(ValidationError) as error:
        _zrm(setting, assessed_on=timezone.localdate() + datetime.timedelta(days=1))
    assert "assessed_on" in error.value.message_dict


def test_a_member_of_another_household_is_refused(setting):
    other = CitizenFactory(household=setting.other_household)
    with pytest.raises(ValidationError) as error:
        _zrm(setting, member=other, household=setting.household)
    assert "member" in error.value.message_dict
    # Without the household to compare, the actor may not record for the other household at all.
    with pytest.raises(PermissionDenied):
        _zrm(setting, member=other)
    assert not ZrmAssessment.objects.exists()


def test_an_unknown_instrument_is_refused(setting):
    with pytest.raises(ValidationError):
        _zrm(setting, instrument_version="ZRM 1999")


@pytest.mark.parametrize(
    "who", ["citizen", "representative", "informal", "supporter", "emergency", "stranger", "revoked", "expired"]
)
def test_only_the_team_with_consent_records_a_zrm(setting, who):
    with pytest.raises(PermissionDenied):
        _zrm(setting, getattr(setting, who))
    assert not AuditEntry.objects.exists()


def test_anonymous_records_nothing(setting):
    with pytest.raises(PermissionDenied):
        services.zrm_record(
            actor=ANONYMOUS, member=member_of(setting.citizen), assessed_on=TODAY, scores=professional_scores()
        )


def test_the_citizen_fills_in_their_own_spinnenweb(setting):
    web = services.spinnenweb_record(
        actor=actor(setting.citizen),
        member=member_of(setting.citizen),
        filled_on=TODAY,
        scores={**web_scores(), "day": 0, "body": 10},
    )
    assert web.scores() == {**web_scores(), "day": 0, "body": 10}
    assert web.organisation is None
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.data_category) == (AuditAction.CREATE, "general,health,mental_health")


def test_a_representative_fills_it_in_for_the_member_they_represent_only(setting):
    # The representation's scope is general and finances: the four general themes.
    web = services.spinnenweb_record(
        actor=actor(setting.representative), member=grandmother(setting), filled_on=TODAY, scores=general_web_scores()
    )
    assert web.member == grandmother(setting)
    assert (web.body, web.feelings) == (None, None)
    with pytest.raises(PermissionDenied):
        services.spinnenweb_record(
            actor=actor(setting.representative), member=member_of(setting.citizen), filled_on=TODAY, scores=web_scores()
        )


def test_a_professional_fills_it_in_with_the_resident(setting):
    web = services.spinnenweb_record(
        actor=actor(setting.professional),
        member=member_of(setting.citizen),
        filled_on=TODAY,
        scores=general_web_scores(),
    )
    assert web.organisation == setting.schuldhulp


@pytest.mark.parametrize("who", ["informal", "supporter", "emergency", "stranger", "revoked", "other_citizen"])
def test_others_fill_in_no_spinnenweb(setting, who):
    with pytest.raises(PermissionDenied):
        services.spinnenweb_record(
            actor=actor(getattr(setting, who)), member=member_of(setting.citizen), filled_on=TODAY, scores=web_scores()
        )
    assert not Spinnenweb.objects.exists()


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({**web_scores(), "day": 11}, "day"),
        ({**web_scores(), "body": -1}, "body"),
        ({key: value for key, value in web_scores().items() if key != "life"}, "life"),
        ({**web_scores(), "wellbeing": 5}, "scores"),
    ],
)
def test_bad_spinnenweb_input_is_explained(setting, scores, field):
    with pytest.raises(ValidationError) as error:
        services.spinnenweb_record(
            actor=actor(setting.citizen), member=member_of(setting.citizen), filled_on=TODAY, scores=scores
        )
    assert field in error.value.message_dict
    assert not Spinnenweb.objects.exists()


def test_a_spinnenweb_for_a_member_of_another_household_is_refused(setting):
    other = CitizenFactory(household=setting.other_household)
    with pytest.raises(ValidationError):
        services.spinnenweb_record(
            actor=actor(setting.citizen),
            member=other,
            household=setting.household,
            filled_on=TODAY,
            scores=web_scores(),
        )
