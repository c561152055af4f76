"""The conversation in a browser: the citizen says "Het loopt niet goed"; the coordinator answers in the signal's
conversation, plans a meeting with the signal on its agenda, holds it, turns one outcome into an action in the plan,
and solves the signal with what was agreed; the citizen reads every step in plain words. Then the citizen writes in
the household conversation with an @mention, and a new message appears without reloading the page. Every page is
checked with axe (and contrast, text size, reflow) at 1280 and 360 px."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.consent.tests.factories import ConsentGrantFactory
from samen.conversations.models import Signal
from samen.households.tests.factories import TeamMemberFactory
from samen.organisations.tests.factories import NetworkFactory
from samen.plans.models import Action, ZrmDomain
from samen.plans.tests.factories import GoalFactory, PlanFactory
from samen.reminders.models import Notification
from tests_e2e.helpers import bakker_household, check_page, household_menu, log_in, log_out, nl, nlp, one_run

pytestmark = pytest.mark.e2e

SIGNAL_TEXT = "De afspraak met de woningcorporatie is twee keer niet doorgegaan."
ANSWER = "Sorry Fatima, ik bel de woningcorporatie vandaag en laat het je weten."
AGREED = "Nieuwe afspraak op dinsdag, Kees gaat mee."
GOAL = "Een huis zonder schimmel"
OUTCOME = "Kees gaat mee naar de woningcorporatie"


@pytest.fixture
def team(live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    household, citizen, professional = bakker_household()
    GoalFactory(plan=PlanFactory(household=household), text=GOAL, domain=ZrmDomain.HOUSING)
    coordinator = TeamMemberFactory(
        household=household,
        coordinator=True,
        organisation__name="Wijkteam Noord",
        user=UserFactory(email="kees@example.test", full_name="Kees Regisseur"),
    )
    ConsentGrantFactory(household=household, organisation=coordinator.organisation, category="general")
    network = NetworkFactory(organisations=[coordinator.organisation, professional.organisation])
    network.facilitators.add(UserFactory())
    return household, citizen.user, coordinator.user


@one_run
def test_a_signal_is_raised_answered_and_solved(page, team, live_server):
    household, citizen, coordinator = team

    # The citizen: "Het loopt niet goed", from the household's pages.
    log_in(page, citizen.email, DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/huishoudens/{household.pk}/")
    page.get_by_role("link", name=nl("It is not going well"), exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name=nl("It is not going well"))).to_be_visible()
    check_page(page)
    page.get_by_role("button", name=nl("Send"), exact=True).click()  # nothing filled in: clear messages
    expect(page.get_by_text(nl("Choose what is wrong."), exact=True).first).to_be_visible()
    page.get_by_label(nl("Someone does not do their part")).check()
    page.get_by_label(nl("Tell what happens")).fill(SIGNAL_TEXT)
    page.get_by_role("button", name=nl("Send"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Someone does not do their part"))).to_be_visible()
    expect(page.get_by_text(nl("Thank you. The coordinator reads your message and responds."))).to_be_visible()
    expect(page.get_by_role("main").get_by_text(SIGNAL_TEXT)).to_be_visible()
    check_page(page)
    signal_url = page.url
    log_out(page)

    # The coordinator finds it in the conversation and answers there.
    log_in(page, coordinator.email, DEFAULT_PASSWORD)
    assert Notification.objects.filter(recipient=coordinator, kind="signal").exists()
    page.goto(f"{live_server.url}/huishoudens/{household.pk}/")
    household_menu(page).get_by_role("link", name=nlp("workspace", "Conversation"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Familie Bakker")
    check_page(page)
    page.get_by_role("link", name=nl("Someone does not do their part"), exact=True).click()
    page.get_by_label(nl("Your message")).fill(ANSWER)
    page.get_by_role("button", name=nl("Send"), exact=True).click()
    expect(page.get_by_role("main").get_by_text(ANSWER)).to_be_visible()
    assert Signal.objects.get().answered_by == coordinator
    check_page(page)

    # A meeting about it: the open signal is offered for the agenda.
    page.get_by_role("link", name=nl("Back to the household conversation")).click()
    page.get_by_role("link", name=nl("Meetings"), exact=True).click()
    page.get_by_role("link", name=nl("Plan a meeting"), exact=True).click()
    check_page(page)
    page.get_by_label(nl("Date"), exact=True).fill((timezone.localdate() + datetime.timedelta(days=2)).isoformat())
    page.get_by_label(nl("Time"), exact=True).fill("10:00")
    page.get_by_label(nl("Place"), exact=True).fill("Bij Fatima thuis")
    page.get_by_label("Fatima Bakker", exact=False).check()
    signal_choice = page.get_by_label(nl("Someone does not do their part"), exact=False)
    expect(signal_choice).to_be_visible()
    signal_choice.check()
    page.get_by_role("button", name=nl("Plan the meeting"), exact=True).click()
    main = page.get_by_role("main")
    expect(main.get_by_text(nl("Someone does not do their part"), exact=False).first).to_be_visible()
    check_page(page)

    # Held: one outcome becomes an action in the plan.
    page.get_by_role("link", name=nl("Write down what was agreed"), exact=True).click()
    page.get_by_label(nl("Outcome %(number)d") % {"number": 1}, exact=True).fill(OUTCOME)
    page.get_by_role("button", name=nl("Save: the meeting was held"), exact=True).click()
    check_page(page)
    page.get_by_role("link", name=f"{nl('Make it an action')}: {OUTCOME}", exact=True).click()
    page.get_by_label(nl("Under which goal?")).select_option(label=GOAL)
    page.get_by_label(nl("Who does it?")).select_option(label="Kees Regisseur (Wijkteam Noord)")
    page.get_by_role("button", name=nl("Make it an action"), exact=True).click()
    expect(
        page.get_by_role("main").get_by_role("status").filter(has_text=nl("The outcome is an action in the plan now."))
    ).to_be_visible()
    check_page(page)
    assert Action.objects.filter(text=OUTCOME, goal__text=GOAL).exists()

    # Back to the signal: solved, with what was agreed (an empty answer first: a clear message, nothing lost).
    page.goto(signal_url)
    page.get_by_role("button", name=nl("It is solved"), exact=True).click()
    expect(page.get_by_text(nl("Write what was agreed, so everyone knows why it is solved.")).first).to_be_visible()
    page.get_by_label(nl("What was agreed?")).fill(AGREED)
    page.get_by_role("button", name=nl("It is solved"), exact=True).click()
    expect(
        page.get_by_text(nl("The signal is solved. Everyone in the conversation can read what was agreed."))
    ).to_be_visible()
    check_page(page)
    log_out(page)

    # The citizen reads every step, in plain words, and the answer.
    log_in(page, citizen.email, DEFAULT_PASSWORD)
    page.goto(signal_url)
    main = page.get_by_role("main")
    expect(main.get_by_text(ANSWER)).to_be_visible()
    expect(main.get_by_text(AGREED)).to_be_visible()
    expect(main.get_by_text(nl("Where it stands"))).to_be_visible()
    check_page(page)


@one_run
def test_a_message_with_a_mention_and_a_new_message_without_reloading(page, team, live_server, browser):
    household, citizen, coordinator = team
    log_in(page, citizen.email, DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/huishoudens/{household.pk}/gesprek/")
    page.get_by_role("button", name=nl("Send"), exact=True).click()
    expect(page.get_by_text(nl("Write something in your message.")).first).to_be_visible()
    page.get_by_label(nl("Your message")).fill("Hallo @Kees, <script>alert(1)</script> zie https://example.org")
    page.get_by_role("button", name=nl("Send"), exact=True).click()
    main = page.get_by_role("main")
    expect(main.get_by_text("<script>alert(1)</script>", exact=False)).to_be_visible()  # shown as text
    expect(main.get_by_role("link", name="https://example.org")).to_be_visible()
    assert Notification.objects.filter(recipient=coordinator, kind="mention").exists()
    check_page(page)

    # The coordinator writes in another browser; the citizen's open page shows it without a reload.
    other = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        coordinator_page = other.new_page()
        log_in(coordinator_page, coordinator.email, DEFAULT_PASSWORD)
        coordinator_page.goto(f"{live_server.url}/huishoudens/{household.pk}/gesprek/")
        coordinator_page.get_by_label(nl("Your message")).fill("Dank je, ik kom donderdag langs.")
        coordinator_page.get_by_role("button", name=nl("Send"), exact=True).click()
        expect(coordinator_page.get_by_role("main").get_by_text("ik kom donderdag langs")).to_be_visible()
    finally:
        other.close()
    expect(main.get_by_text("Dank je, ik kom donderdag langs.")).to_be_visible(timeout=20_000)
