"""The spinnenweb's themes each have a data category: "My body" is health, "How I feel" mental health, the other
four general. Whoever may see general but not health (or mental health) does not see that theme: not on the chart,
not in its table, not in the trend, and the selector does not even read it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samen.assessments import selectors
from samen.assessments.domains import THEME_CATEGORY, SpinnenwebTheme, themes_in
from samen.assessments.tests.factories import SpinnenwebFactory
from samen.consent.models import ALL_CATEGORIES, DataCategory
from samen.consent.tests.factories import ConsentGrantFactory
from samen.core.models import AuditEntry
from samen.households.models import Relation
from samen.households.tests.factories import CitizenFactory, TeamMemberFactory

from .helpers import member_of

pytestmark = pytest.mark.django_db

G = DataCategory
BODY, FEELINGS = "My body", "How I feel"
GENERAL_THEMES = ("What matters to me", "How my life is", "Taking part", "My day")


def _overview(client, household) -> str:
    response = client.get(reverse("assessments:overview", args=[household.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def webs(setting):
    member = member_of(setting.citizen)
    SpinnenwebFactory(member=member, filled_on=datetime.date(2025, 6, 1), body=4, feelings=2)
    SpinnenwebFactory(member=member, filled_on=datetime.date(2025, 9, 1), body=7, feelings=3)
    return member


def test_the_two_themes_have_their_own_category():
    assert THEME_CATEGORY[SpinnenwebTheme.BODY] == G.HEALTH
    assert THEME_CATEGORY[SpinnenwebTheme.FEELINGS] == G.MENTAL_HEALTH
    assert themes_in({G.GENERAL}) == [
        SpinnenwebTheme.MEANING,
        SpinnenwebTheme.LIFE,
        SpinnenwebTheme.TAKING_PART,
        SpinnenwebTheme.DAY,
    ]
    assert themes_in({G.GENERAL, G.HEALTH})[0] == SpinnenwebTheme.BODY
    assert SpinnenwebTheme.FEELINGS not in themes_in({G.GENERAL, G.HEALTH})
    assert themes_in(ALL_CATEGORIES) == list(SpinnenwebTheme)
    # The spinnenweb names who filled it in and when: general. Health alone shows no theme.
    assert themes_in({G.HEALTH, G.MENTAL_HEALTH}) == []


def test_a_professional_with_consent_for_general_only_sees_neither(setting, webs, login):
    buurtwerk = TeamMemberFactory(household=setting.household, organisation__name="Buurtwerk")
    ConsentGrantFactory(household=setting.household, organisation=buurtwerk.organisation, category=G.GENERAL)
    html = _overview(login(buurtwerk.user), setting.household)
    assert "Spinnenweb of Fatima" in html
    for theme in GENERAL_THEMES:
        assert theme in html
    assert BODY not in html and FEELINGS not in html
    assert AuditEntry.objects.get().data_category == "general"


def test_a_professional_with_general_and_finances_sees_neither(setting, webs, login):
    html = _overview(login(setting.professional), setting.household)
    assert "Spinnenweb of Fatima over time" in html and "My day" in html
    assert BODY not in html and FEELINGS not in html


def test_with_health_my_body_is_shown_but_not_how_i_feel(setting, webs, login):
    html = _overview(login(setting.supporter), setting.household)  # personal grants for general and health
    assert BODY in html
    assert FEELINGS not in html


def test_with_mental_health_how_i_feel_is_shown_but_not_my_body(setting, webs, login):
    ConsentGrantFactory(household=setting.household, organisation=setting.schuldhulp, category=G.MENTAL_HEALTH)
    html = _overview(login(setting.professional), setting.household)
    assert FEELINGS in html
    assert BODY not in html


def test_the_household_itself_sees_all_six(setting, webs, login):
    html = _overview(login(setting.citizen), setting.household)
    for theme in (BODY, FEELINGS, *GENERAL_THEMES):
        assert theme in html


def test_the_selector_reads_only_the_themes_asked_for(setting, webs):
    moments = selectors.spinnenweb_moments(setting.household, themes_in({G.GENERAL}))[webs.pk]
    assert [moment.scores for moment in moments] == [
        {"meaning": 6, "life": 6, "taking_part": 6, "day": 6},
        {"meaning": 6, "life": 6, "taking_part": 6, "day": 6},
    ]
    assert selectors.spinnenweb_moments(setting.household, []) == {}
    everything = selectors.spinnenweb_moments(setting.household)[webs.pk]
    assert [moment.scores["body"] for moment in everything] == [4, 7]


def test_a_child_of_the_household_sees_neither_nor_the_health_domains(setting, webs, login):
    today = timezone.localdate()
    child = CitizenFactory(
        household=setting.household,
        given_name="Sem",
        relation=Relation.CHILD,
        date_of_birth=datetime.date(today.year - 12, 1, 1),
    )
    html = _overview(login(child.user), setting.household)
    assert "Spinnenweb of Fatima" in html
    assert BODY not in html and FEELINGS not in html
    for plain in ("Your health", "How you feel", "Money and debts", "Police and justice", "Alcohol and drugs"):
        assert plain not in html
    assert AuditEntry.objects.get().data_category == "general"
