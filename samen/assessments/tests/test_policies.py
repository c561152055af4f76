import pytest

from samen.assessments.domains import DOMAIN_CATEGORY, ZrmDomain, domains_in
from samen.assessments.policies import spinnenweb_members, zrm_domains_writable
from samen.consent.models import ConsentGrant, DataCategory
from samen.consent.policies import categories_visible_to
from samen.consent.services import consent_revoke
from samen.core.actor import ANONYMOUS
from samen.core.policy import can

from .helpers import GENERAL_DOMAINS, actor, grandmother, member_of

pytestmark = pytest.mark.django_db


def test_the_domain_map_covers_the_13_domains():
    assert len(ZrmDomain) == 13
    assert set(DOMAIN_CATEGORY) == set(ZrmDomain)
    assert DOMAIN_CATEGORY[ZrmDomain.FINANCES] == DataCategory.FINANCES
    assert DOMAIN_CATEGORY[ZrmDomain.MENTAL_HEALTH] == DataCategory.MENTAL_HEALTH
    assert DOMAIN_CATEGORY[ZrmDomain.JUSTICE] == DataCategory.JUSTICE
    assert DOMAIN_CATEGORY[ZrmDomain.DOMESTIC_RELATIONS] == DataCategory.SAFETY
    assert {d for d, c in DOMAIN_CATEGORY.items() if c == DataCategory.HEALTH} == {
        ZrmDomain.PHYSICAL_HEALTH,
        ZrmDomain.SUBSTANCE_USE,
        ZrmDomain.BASIC_ADL,
        ZrmDomain.INSTRUMENTAL_ADL,
    }


@pytest.mark.parametrize(
    "who", ["citizen", "representative", "informal", "professional", "coordinator", "supporter", "emergency"]
)
def test_who_sees_the_page(setting, who):
    assert can(actor(getattr(setting, who)), "assessments.view", setting.household)


@pytest.mark.parametrize("who", ["stranger", "revoked", "expired", "other_citizen", "informal_without_grant"])
def test_who_does_not(setting, who):
    assert not can(actor(getattr(setting, who)), "assessments.view", setting.household)


def test_anonymous_sees_nothing(setting):
    assert not can(ANONYMOUS, "assessments.view", setting.household)
    assert zrm_domains_writable(ANONYMOUS, setting.household) == []
    assert spinnenweb_members(ANONYMOUS, setting.household) == []


@pytest.mark.parametrize(
    ("who", "domains"),
    [
        ("professional", [ZrmDomain.FINANCES, *GENERAL_DOMAINS]),
        ("coordinator", GENERAL_DOMAINS),
        (
            "supporter",
            [
                *GENERAL_DOMAINS,
                ZrmDomain.PHYSICAL_HEALTH,
                ZrmDomain.SUBSTANCE_USE,
                ZrmDomain.BASIC_ADL,
                ZrmDomain.INSTRUMENTAL_ADL,
            ],
        ),
        ("emergency", [ZrmDomain.DOMESTIC_RELATIONS]),
        ("stranger", []),
    ],
)
def test_each_reader_sees_the_domains_of_their_categories(setting, who, domains):
    visible = categories_visible_to(actor(getattr(setting, who)), setting.household)
    assert set(domains_in(visible)) == set(domains)


def test_the_citizen_sees_every_domain(setting):
    assert domains_in(categories_visible_to(actor(setting.citizen), setting.household)) == list(ZrmDomain)


@pytest.mark.parametrize("who", ["professional", "coordinator"])
def test_the_team_with_consent_records_a_zrm(setting, who):
    assert can(actor(getattr(setting, who)), "assessments.record_zrm", setting.household)


@pytest.mark.parametrize(
    "who",
    [
        "citizen",
        "representative",
        "informal",
        "supporter",
        "emergency",
        "stranger",
        "revoked",
        "expired",
        "other_citizen",
    ],
)
def test_nobody_else_records_a_zrm(setting, who):
    assert not can(actor(getattr(setting, who)), "assessments.record_zrm", setting.household)


def test_who_fills_in_a_spinnenweb_for_whom(setting):
    citizen, oma = member_of(setting.citizen), grandmother(setting)
    assert can(actor(setting.citizen), "assessments.record_spinnenweb", (setting.household, citizen))
    assert can(actor(setting.representative), "assessments.record_spinnenweb", (setting.household, oma))
    assert not can(actor(setting.representative), "assessments.record_spinnenweb", (setting.household, citizen))
    assert can(actor(setting.professional), "assessments.record_spinnenweb", (setting.household, oma))
    for who in ("informal", "supporter", "emergency", "stranger", "revoked", "other_citizen"):
        assert not can(actor(getattr(setting, who)), "assessments.record_spinnenweb", (setting.household, citizen))


def test_a_revoked_grant_takes_effect_at_once(setting):
    for grant in ConsentGrant.objects.filter(organisation=setting.schuldhulp):
        consent_revoke(actor=actor(setting.citizen), grant=grant)
    assert not can(actor(setting.professional), "assessments.view", setting.household)
    assert not can(actor(setting.professional), "assessments.record_zrm", setting.household)
