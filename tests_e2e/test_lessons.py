"""Lessons shared upwards in a browser: the municipality's policy advisor opens "Lessen" in the main menu on a phone,
reads the lesson a network shared (without what happened in the household), and searches; every page passes axe and
the page checks at 360 and 1280 px (check_page)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD
from samen.collaboration.models import Cause, LearningEntry, Visibility
from samen.collaboration.tests.conftest import build_setting
from samen.organisations.tests.factories import MembershipFactory
from tests_e2e.helpers import MOBILE, check_page, log_in, main_menu, nl, nlp

pytestmark = pytest.mark.e2e


@pytest.fixture
def shared_lesson(live_server):
    setting = build_setting((5, 5), prefix="Wijk")
    for title, visibility in (("Eerst bellen, dan afwijzen", Visibility.SHARED), ("Intern", Visibility.NETWORK)):
        LearningEntry.objects.create(
            network=setting.network, title=title, happened_on=timezone.localdate(), trigger="event",
            entry_type="incident", intended="Een gesprek binnen twee weken.",
            happened="Het gezin wachtte zes weken op de jeugdhulp.", causes=[Cause.PROTOCOL],
            keep_doing="Snel verwijzen.", change="Eerst bellen, dan pas afwijzen.", visibility=visibility,
        )  # fmt: skip
    return setting, MembershipFactory(policy_advisor=True).user


@pytest.mark.parametrize("viewport", [MOBILE], indirect=True)
def test_the_policy_advisor_reads_and_searches_the_lessons_of_the_networks(page, shared_lesson):
    setting, advisor = shared_lesson
    log_in(page, advisor.email, DEFAULT_PASSWORD)
    main_menu(page).get_by_role("link", name=nlp("navigation", "Lessons")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Lessons from the networks"))
    main = page.get_by_role("main")
    lesson = main.get_by_role("article", name="Eerst bellen, dan afwijzen")
    expect(lesson).to_contain_text(setting.network.name)
    expect(lesson).to_contain_text("Eerst bellen, dan pas afwijzen.")
    expect(main).not_to_contain_text("zes weken")  # what happened stays in the network
    expect(main).not_to_contain_text("Intern")
    check_page(page)

    main.get_by_role("searchbox", name=nl("Search the lessons")).fill("wachtlijst")
    main.get_by_role("button", name=nl("Search")).click()
    expect(main.get_by_text(nl("No lesson matches what you searched for."))).to_be_visible()
    main.get_by_role("searchbox", name=nl("Search the lessons")).fill("verwijzen")
    main.get_by_role("button", name=nl("Search")).click()
    expect(main.get_by_role("article", name="Eerst bellen, dan afwijzen")).to_be_visible()
    check_page(page)
