"""Self-assessment in a browser (issue 4, part 6): a professional records a ZRM with the household, the citizen
fills in their own spinnenweb, and both see the radar and trend charts with the same figures in tables.

Every page is checked with axe at 1280 and 360 px.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD
from samen.assessments.domains import SpinnenwebTheme, ZrmDomain, ZrmScale
from samen.assessments.models import Spinnenweb, ZrmAssessment
from samen.assessments.tests.factories import SpinnenwebFactory, ZrmAssessmentFactory
from tests_e2e.helpers import bakker_household, check_page, log_in, log_out, nl, one_run, open_disclosures

pytestmark = pytest.mark.e2e

WRITABLE = [ZrmDomain.FINANCES, ZrmDomain.WORK_EDUCATION, ZrmDomain.TIME_USE, ZrmDomain.HOUSING,
            ZrmDomain.SOCIAL_NETWORK, ZrmDomain.PARTICIPATION]  # fmt: skip


@pytest.fixture
def household(live_server):
    household, citizen, professional = bakker_household()
    # Earlier moments, so the trend charts have a line.
    ZrmAssessmentFactory(member=citizen, assessed_on=datetime.date(2026, 1, 10), scores={"finances": 1})
    SpinnenwebFactory(member=citizen, filled_on=datetime.date(2026, 1, 10), feelings=3)
    return household, citizen, professional.user


def _dutch(label) -> str:
    with translation.override("nl"):
        return str(label)


def _domain(domain: ZrmDomain) -> str:
    return capfirst(_dutch(domain.label))


@one_run
def test_a_zrm_with_the_professional_and_the_citizens_own_spinnenweb(page, household):
    household, citizen, professional = household
    overview = f"/huishoudens/{household.pk}/zelfredzaamheid/"

    # 1. The debt counsellor records a ZRM with Fatima: finances went from 1 to 3.
    log_in(page, professional.email, DEFAULT_PASSWORD)
    page.goto(overview)
    expect(page.get_by_role("heading", level=1, name=nl("How are things going?"), exact=True)).to_be_visible()
    check_page(page)
    page.get_by_role("link", name=nl("Record a ZRM"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Record a ZRM"), exact=True)).to_be_visible()
    check_page(page)
    page.get_by_label(nl("Who is it about?")).select_option(str(citizen.pk))
    page.get_by_label(nl("Date of the conversation")).fill("2026-04-10")
    # Saving without every score explains what is missing and keeps what was chosen.
    three = f"3 {_dutch(ZrmScale.LIMITED.label)}"
    page.get_by_role("group", name=_domain(ZrmDomain.FINANCES), exact=True).get_by_label(three).check()
    page.get_by_role("button", name=nl("Save ZRM"), exact=True).click()
    expect(page.get_by_text(nl("Choose a score for this domain.")).first).to_be_visible()
    expect(page.get_by_role("group", name=_domain(ZrmDomain.FINANCES), exact=True).get_by_label(three)).to_be_checked()
    assert not ZrmAssessment.objects.filter(assessed_on=datetime.date(2026, 4, 10)).exists()
    check_page(page)
    for domain in WRITABLE[1:]:
        four = f"4 {_dutch(ZrmScale.SUFFICIENT.label)}"
        page.get_by_role("group", name=_domain(domain), exact=True).get_by_label(four).check()
    page.get_by_role("button", name=nl("Save ZRM"), exact=True).click()
    expect(page.get_by_role("main").get_by_role("status").filter(has_text=nl("The ZRM is saved."))).to_be_visible()
    radar_title = nl("ZRM of %(name)s: the latest moments") % {"name": "Fatima"}
    expect(page.get_by_role("img", name=radar_title, exact=True)).to_be_visible()
    open_disclosures(page, nl("The figures in a table"))  # each chart's table is behind a disclosure
    table = page.get_by_role("table", name=nl("%(title)s (table)") % {"title": radar_title})
    finances_row = table.get_by_role("row").filter(has_text=_domain(ZrmDomain.FINANCES))
    expect(finances_row).to_contain_text("1")
    expect(finances_row).to_contain_text("3")
    trend = nl("ZRM of %(name)s over time: %(domain)s") % {"name": "Fatima", "domain": _domain(ZrmDomain.FINANCES)}
    expect(page.get_by_role("img", name=trend, exact=True)).to_be_visible()
    # Mental health is not shared with Schuldhulp Zuid: not on the page.
    expect(table.get_by_role("row").filter(has_text=_domain(ZrmDomain.MENTAL_HEALTH))).to_have_count(0)
    check_page(page)
    log_out(page)

    # 2. Fatima fills in her own spinnenweb. She reads the same scores in her own words (no "ZRM", no domain names).
    log_in(page, citizen.user.email, DEFAULT_PASSWORD)
    page.goto(overview)
    citizen_title = nl("How %(name)s is doing: the latest scores") % {"name": "Fatima"}
    expect(page.get_by_role("img", name=citizen_title, exact=True)).to_be_visible()
    expect(page.get_by_role("main").get_by_text("ZRM", exact=False)).to_have_count(0)
    check_page(page)
    page.get_by_role("link", name=nl("Fill in a spinnenweb"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Fill in a spinnenweb"), exact=True)).to_be_visible()
    check_page(page)
    page.get_by_label(nl("Date"), exact=True).fill("2026-04-12")
    for theme in SpinnenwebTheme:
        group = page.get_by_role("group", name=_dutch(theme.label), exact=True)
        group.get_by_label("7" if theme != SpinnenwebTheme.FEELINGS else "6", exact=True).check()
    page.get_by_role("button", name=nl("Save spinnenweb"), exact=True).click()
    expect(
        page.get_by_role("main").get_by_role("status").filter(has_text=nl("The spinnenweb is saved."))
    ).to_be_visible()
    assert Spinnenweb.objects.filter(member=citizen, filled_on=datetime.date(2026, 4, 12), feelings=6).exists()
    web_title = nl("Spinnenweb of %(name)s: the latest moments") % {"name": "Fatima"}
    expect(page.get_by_role("img", name=web_title, exact=True)).to_be_visible()
    open_disclosures(page, nl("The figures in a table"))
    web_table = page.get_by_role("table", name=nl("%(title)s (table)") % {"title": web_title})
    expect(web_table.get_by_role("row").filter(has_text=_dutch(SpinnenwebTheme.FEELINGS.label))).to_contain_text("6")
    trend_title = nl("Spinnenweb of %(name)s over time") % {"name": "Fatima"}
    expect(page.get_by_role("img", name=trend_title, exact=True)).to_be_visible()
    expect(page.get_by_role("table", name=nl("%(title)s (table)") % {"title": trend_title})).to_be_visible()
    check_page(page)


@one_run
def test_a_professional_without_health_consent_fills_in_only_the_general_themes(page, household):
    """Schuldhulp Zuid may see general and finances, not health or mental health: filling in a spinnenweb with
    Fatima, Sanne gets only the four general themes. Fatima then reads, for that day, that "Mijn lichaam" and
    "Hoe ik me voel" were not filled in - never a made-up zero."""
    household, citizen, professional = household
    overview = f"/huishoudens/{household.pk}/zelfredzaamheid/"
    general = [SpinnenwebTheme.MEANING, SpinnenwebTheme.LIFE, SpinnenwebTheme.TAKING_PART, SpinnenwebTheme.DAY]

    log_in(page, professional.email, DEFAULT_PASSWORD)
    page.goto(overview)
    page.get_by_role("link", name=nl("Fill in a spinnenweb"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Fill in a spinnenweb"), exact=True)).to_be_visible()
    for theme in (SpinnenwebTheme.BODY, SpinnenwebTheme.FEELINGS):
        expect(page.get_by_role("group", name=_dutch(theme.label), exact=True)).to_have_count(0)
    check_page(page)
    page.get_by_label(nl("Whose spinnenweb is it?")).select_option(str(citizen.pk))
    page.get_by_label(nl("Date"), exact=True).fill("2026-04-14")
    for theme in general:
        page.get_by_role("group", name=_dutch(theme.label), exact=True).get_by_label("5", exact=True).check()
    page.get_by_role("button", name=nl("Save spinnenweb"), exact=True).click()
    expect(
        page.get_by_role("main").get_by_role("status").filter(has_text=nl("The spinnenweb is saved."))
    ).to_be_visible()
    saved = Spinnenweb.objects.get(member=citizen, filled_on=datetime.date(2026, 4, 14))
    assert (saved.body, saved.feelings, saved.meaning, saved.day) == (None, None, 5, 5)
    check_page(page)
    log_out(page)

    log_in(page, citizen.user.email, DEFAULT_PASSWORD)
    page.goto(overview)
    open_disclosures(page, nl("The figures in a table"))
    trend_title = nl("Spinnenweb of %(name)s over time") % {"name": "Fatima"}
    table = page.get_by_role("table", name=nl("%(title)s (table)") % {"title": trend_title})
    # One row per day: Sanne's day has "niet ingevuld" in the columns "Mijn lichaam" and "Hoe ik me voel".
    day = table.get_by_role("row").filter(has_text=nl("not filled in"))
    expect(day).to_have_count(1)
    expect(day).to_contain_text("14")
    expect(day.get_by_role("cell").filter(has_text=nl("not filled in"))).to_have_count(2)
    check_page(page)
