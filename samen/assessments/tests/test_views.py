import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samen.assessments.domains import SpinnenwebTheme, ZrmDomain, domain_label
from samen.assessments.models import Spinnenweb, ZrmAssessment, ZrmScore
from samen.assessments.tests.factories import SpinnenwebFactory, ZrmAssessmentFactory
from samen.core.models import AuditAction, AuditEntry, AuditPurpose
from samen.core.testing import count_queries
from samen.households.tests.factories import CitizenFactory, HouseholdMemberFactory

from .helpers import actor, member_of, professional_scores, web_scores

pytestmark = pytest.mark.django_db


def _url(name, household_id) -> str:
    return reverse(f"assessments:{name}", args=[household_id])


@pytest.fixture
def history(setting):
    """Four ZRMs of the citizen (finances improving) and two spinnenwebs."""
    member = member_of(setting.citizen)
    for month, finances in ((1, 1), (4, 2), (7, 3), (10, 4)):
        ZrmAssessmentFactory(
            member=member, assessed_on=datetime.date(2025, month, 1), scores={"finances": finances, "mental_health": 2}
        )
    SpinnenwebFactory(member=member, filled_on=datetime.date(2025, 6, 1), body=4)
    SpinnenwebFactory(member=member, filled_on=datetime.date(2025, 9, 1), body=7)
    return member


def test_the_professional_sees_the_domains_of_their_consent_only(setting, history, login):
    response = login(setting.professional).get(_url("overview", setting.household.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Finances" in html and "Housing" in html
    assert "You have no permission for:" in html
    assert 'role="img"' in html and "ZRM of Fatima: the latest moments (table)" in html
    assert "Spinnenweb of Fatima over time" in html
    assert "Relationships at home" not in html  # safety: not granted
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.data_category) == (AuditAction.READ, "general,finances")
    # The trend chart shows finances by default, the table has its figures in order.
    assert "ZRM of Fatima over time: Finances" in html


def test_the_mental_health_scores_are_not_on_the_professionals_page(setting, history, login):
    html = login(setting.professional).get(_url("overview", setting.household.pk)).content.decode()
    # The chart axes and tables name only the visible domains.
    assert ">Mental health<" not in html


def test_the_citizen_sees_all_13_domains(setting, history, login):
    html = login(setting.citizen).get(_url("overview", setting.household.pk)).content.decode()
    for domain in ZrmDomain:  # in plain words for a resident, not the ZRM's own names
        assert domain_label(domain, plain=True) in html
    assert "(ADL)" not in html and "(IADL)" not in html
    assert AuditEntry.objects.get().data_category == "general,health,mental_health,finances,safety,justice"


def test_break_the_glass_sees_only_the_safety_domain_without_names(setting, history, login):
    html = login(setting.emergency).get(_url("overview", setting.household.pk)).content.decode()
    assert "Relationships at home" in html
    assert "Fatima" not in html and "Household member 1" in html
    assert "Spinnenweb" not in html
    entry = AuditEntry.objects.get()
    assert (entry.data_category, entry.purpose) == ("safety", AuditPurpose.BREAK_THE_GLASS)
    assert "Emergency access" in html


def test_choosing_another_trend_domain(setting, history, login):
    client = login(setting.professional)
    html = client.get(_url("overview", setting.household.pk), {"domein": "housing"}).content.decode()
    assert "ZRM of Fatima over time: Housing" in html
    # A domain the reader may not see, or nonsense, falls back to the first one.
    for value in ("mental_health", "<script>", "x" * 500):
        html = client.get(_url("overview", setting.household.pk), {"domein": value}).content.decode()
        assert "ZRM of Fatima over time: Finances" in html


@pytest.mark.parametrize("who", ["stranger", "revoked", "expired", "other_citizen", "informal_without_grant"])
def test_others_get_404_and_no_entry(setting, history, login, who):
    for name in ("overview", "zrm_new", "spinnenweb_new"):
        assert login(getattr(setting, who)).get(_url(name, setting.household.pk)).status_code == 404
    assert not AuditEntry.objects.exists()


def test_anonymous_is_sent_to_the_login_page(setting, login):
    client = login(None)
    for name in ("overview", "zrm_new", "spinnenweb_new"):
        response = client.get(_url(name, setting.household.pk))
        assert response.status_code == 302 and "/account/" in response["Location"]
    response = client.post(_url("zrm_new", setting.household.pk), {})
    assert response.status_code == 302


@pytest.mark.parametrize("household_id", ["abc", "0", "-1", "9" * 30, "1%00"])
def test_a_malformed_household_id_is_404(setting, login, household_id):
    assert login(setting.professional).get(f"/huishoudens/{household_id}/zelfredzaamheid/").status_code == 404


def test_names_are_escaped(setting, login):
    HouseholdMemberFactory(household=setting.household, given_name="<script>alert(1)</script>", family_name="X")
    html = login(setting.citizen).get(_url("overview", setting.household.pk)).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def _zrm_post(member, **overrides) -> dict:
    return {"member": str(member.pk), "assessed_on": "2026-03-01", **professional_scores(), **overrides}


def test_recording_a_zrm(setting, login):
    client = login(setting.professional)
    page = client.get(_url("zrm_new", setting.household.pk))
    assert page.status_code == 200 and "1 acute problems" in page.content.decode()
    assert AuditEntry.objects.get().data_category == "general"
    response = client.post(_url("zrm_new", setting.household.pk), _zrm_post(member_of(setting.citizen), finances="2"))
    assert response.status_code == 302 and response["Location"] == _url("overview", setting.household.pk)
    assessment = ZrmAssessment.objects.get()
    assert ZrmScore.objects.get(assessment=assessment, domain="finances").score == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"finances": ""}, "Choose a score for this domain."),
        ({"finances": "6"}, "Choose a score from 1 to 5."),
        ({"finances": "0"}, "Choose a score from 1 to 5."),
        ({"assessed_on": "2999-01-01"}, "The date cannot be in the future."),
        ({"assessed_on": "yesterday"}, "Enter a valid date"),
        ({"member": "<script>"}, "Choose a member of this household from the list."),
        ({"member": ""}, "Choose who it is about."),
    ],
)
def test_bad_zrm_input_keeps_the_choices(setting, login, changes, message):
    client = login(setting.professional)
    data = {**_zrm_post(member_of(setting.citizen), housing="5"), **changes}
    response = client.post(_url("zrm_new", setting.household.pk), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    before, after = html.split('id="id_housing_4"')
    assert "checked" in before.rsplit("<input", 1)[1] + after.split(">", 1)[0]  # what was chosen is kept
    assert not ZrmAssessment.objects.exists()


def test_a_member_of_another_household_cannot_be_chosen(setting, login):
    other = CitizenFactory(household=setting.other_household)
    response = login(setting.professional).post(_url("zrm_new", setting.household.pk), _zrm_post(other))
    assert response.status_code == 200
    assert "Choose a member of this household from the list." in response.content.decode()
    assert not ZrmAssessment.objects.exists()


def test_a_domain_outside_consent_sent_anyway_is_ignored(setting, login):
    data = _zrm_post(member_of(setting.citizen), mental_health="1")
    assert login(setting.professional).post(_url("zrm_new", setting.household.pk), data).status_code == 302
    assert not ZrmScore.objects.filter(domain="mental_health").exists()


@pytest.mark.parametrize("who", ["citizen", "informal", "supporter", "emergency"])
def test_who_may_not_record_a_zrm_gets_403(setting, login, who):
    client = login(getattr(setting, who))
    assert client.get(_url("zrm_new", setting.household.pk)).status_code == 403
    assert client.post(_url("zrm_new", setting.household.pk), _zrm_post(member_of(setting.citizen))).status_code == 403
    assert not ZrmAssessment.objects.exists()


def test_the_citizen_fills_in_the_spinnenweb(setting, login):
    client = login(setting.citizen)
    page = client.get(_url("spinnenweb_new", setting.household.pk)).content.decode()
    assert "How I feel" in page
    data = {"member": str(member_of(setting.citizen).pk), "filled_on": "2026-03-01", **web_scores(7)}
    response = client.post(_url("spinnenweb_new", setting.household.pk), data)
    assert response.status_code == 302
    assert Spinnenweb.objects.get().scores() == web_scores(7)


@pytest.mark.parametrize("changes", [{"day": "11"}, {"body": ""}, {"meaning": "-1"}, {"filled_on": ""}])
def test_bad_spinnenweb_input(setting, login, changes):
    data = {"member": str(member_of(setting.citizen).pk), "filled_on": "2026-03-01", **web_scores(7), **changes}
    response = login(setting.citizen).post(_url("spinnenweb_new", setting.household.pk), data)
    assert response.status_code == 200
    assert not Spinnenweb.objects.exists()


def test_wrong_methods(setting, login):
    client = login(setting.professional)
    assert client.put(_url("zrm_new", setting.household.pk)).status_code == 405
    assert client.post(_url("overview", setting.household.pk)).status_code == 405


def _many_assessments(member, count: int, recorder) -> None:
    start = datetime.date(2000, 1, 1)
    assessments = ZrmAssessment.objects.bulk_create(
        ZrmAssessment(
            household_id=member.household_id,
            member=member,
            instrument_version="ZRM 2017",
            assessed_on=start + datetime.timedelta(days=index),
            recorded_by=recorder,
        )
        for index in range(count)
    )
    ZrmScore.objects.bulk_create(
        ZrmScore(assessment=assessment, domain=domain.value, score=1 + index % 5)
        for index, assessment in enumerate(assessments)
        for domain in ZrmDomain
    )
    Spinnenweb.objects.bulk_create(
        Spinnenweb(
            household_id=member.household_id,
            member=member,
            filled_on=start + datetime.timedelta(days=index),
            filled_by=recorder,
            **{theme.value: index % 11 for theme in SpinnenwebTheme},
        )
        for index in range(count)
    )


@pytest.mark.parametrize("who", ["citizen", "professional"])
def test_the_page_queries_do_not_grow(setting, login, who):
    client = login(getattr(setting, who))
    member = member_of(setting.citizen)
    url = _url("overview", setting.household.pk)
    _many_assessments(member, 10, setting.professional)
    client.get(url)
    few = count_queries(client.get, url)
    _many_assessments(member, 990, setting.professional)
    many = count_queries(client.get, url)
    assert few == many, f"{few} queries with 10 assessments, {many} with 1,000"
    assert client.get(url).content.decode().count('<tr class="utrecht-table__row">') < 200


def test_the_dates_are_not_in_the_future_by_default(setting, login):
    html = login(setting.citizen).get(_url("spinnenweb_new", setting.household.pk)).content.decode()
    assert timezone.localdate().isoformat() in html
    assert actor(setting.citizen).role == "citizen"
