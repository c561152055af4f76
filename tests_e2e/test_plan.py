"""The household's plan in a browser: the citizen adds a goal in their own words, the professional adds an
action, the citizen marks it done, a version is saved and the citizen agrees with it, and the plan is printed.
The plan reads as a document: adding and marking done happen on small pages of their own, reached by links.
Every page is checked at 1280 and 360 px (check_page)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD
from samen.plans.models import Action, Goal, PlanVersion
from tests_e2e.helpers import bakker_household, check_page, log_in, log_out, nl, one_run

pytestmark = pytest.mark.e2e

GOAL = "Ik wil dat mijn huis weer warm en droog is"
ACTION = "Bel de woningcorporatie over de schimmel"


@pytest.fixture
def household_with_team(live_server):
    household, citizen, professional = bakker_household(organisation="Wijkteam Noord", categories=("general",))
    return household, citizen.user, professional.user


def _open_plan(page, household) -> None:
    page.goto(f"/huishoudens/{household.pk}/plan/")
    expect(page.get_by_role("heading", level=1, name=nl("Plan of %(name)s") % {"name": household.name})).to_be_visible()


def _status(page, message: str):
    return page.get_by_role("main").get_by_role("status").filter(has_text=message)


@one_run
def test_goal_action_done_version_agreed_and_printed(page, household_with_team):
    household, citizen, professional = household_with_team

    # The citizen writes a goal in their own words, on the page "Add a goal" (the plan itself has no forms).
    log_in(page, citizen.email, DEFAULT_PASSWORD)
    _open_plan(page, household)
    check_page(page)
    expect(page.get_by_role("main").locator("form")).to_have_count(0)
    page.get_by_role("link", name=nl("Add a goal"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Add a goal"))).to_be_visible()
    check_page(page)
    page.get_by_label(nl("The goal")).fill(GOAL)
    page.get_by_label(nl("What part of life is it about?")).select_option("housing")
    page.get_by_role("button", name=nl("Add goal"), exact=True).click()
    expect(_status(page, nl("The goal is added to the plan."))).to_be_visible()
    expect(page.get_by_role("heading", level=3, name=GOAL)).to_be_visible()
    check_page(page)
    log_out(page)

    # The professional adds an action for the citizen.
    log_in(page, professional.email, DEFAULT_PASSWORD)
    _open_plan(page, household)
    page.get_by_role("link", name=f"{nl('Add an action')}: {GOAL}", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Add an action"))).to_be_visible()
    check_page(page)
    page.get_by_label(nl("What will be done?")).fill(ACTION)
    page.get_by_label(nl("Who does it?")).select_option(label="Fatima Bakker")
    page.get_by_role("button", name=nl("Add action"), exact=True).click()
    expect(_status(page, nl("The action is added."))).to_be_visible()
    expect(page.get_by_role("main").get_by_text(ACTION)).to_be_visible()
    check_page(page)
    log_out(page)

    # The citizen marks it done, with a note.
    log_in(page, citizen.email, DEFAULT_PASSWORD)
    _open_plan(page, household)
    expect(page.get_by_role("main").get_by_text(nl("To do"), exact=True)).to_be_visible()
    page.get_by_role("link", name=f"{nl('Mark as done')}: {ACTION}", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Mark an action as done"))).to_be_visible()
    check_page(page)
    page.get_by_label(nl("How did it go?")).fill("Ze komen volgende week langs.")
    page.get_by_role("button", name=nl("Mark as done"), exact=True).click()
    expect(_status(page, nl("The action is marked as done."))).to_be_visible()
    expect(page.get_by_role("main").get_by_text(nl("Done"), exact=True)).to_be_visible()
    check_page(page)
    assert Action.objects.get(goal__text=GOAL).status == "done"

    # A version is saved, and the citizen agrees with it.
    page.get_by_role("link", name=nl("Versions"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Versions of the plan"))).to_be_visible()
    check_page(page)
    page.get_by_role("button", name=nl("Save as version"), exact=True).click()
    expect(_status(page, nl("The plan is saved as version %(number)d.") % {"number": 1})).to_be_visible()
    check_page(page)
    page.get_by_role("button", name=nl("I agree with version %(number)s") % {"number": 1}, exact=True).click()
    expect(_status(page, nl("Thank you. You agreed with version %(number)d.") % {"number": 1})).to_be_visible()
    agreed = nl("%(name)s agreed with it on %(moment)s.").split("%(moment)s")[0] % {"name": "Fatima Bakker"}
    expect(page.get_by_role("main").get_by_text(agreed)).to_be_visible()
    check_page(page)
    version = PlanVersion.objects.get(plan__household=household)
    assert version.agreed_by == citizen
    assert Goal.objects.get(text=GOAL).plan.household == household

    # The printed plan.
    page.get_by_role("link", name=nl("Print"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Plan of %(name)s") % {"name": household.name})).to_be_visible()
    expect(page.get_by_role("main").get_by_text(GOAL)).to_be_visible()
    expect(page.get_by_role("link", name=nl("Add an action"))).to_have_count(0)
    check_page(page)


@one_run
def test_a_conflict_keeps_what_was_typed_and_versions_can_be_compared(page, household_with_team):
    from samen.organisations.actors import actor_for_user
    from samen.plans import services
    from samen.plans.models import ZrmDomain

    household, citizen, professional = household_with_team
    goal = services.goal_add(actor=actor_for_user(citizen), household=household, text=GOAL, domain=ZrmDomain.HOUSING)
    services.plan_save_version(actor=actor_for_user(citizen), household=household)

    log_in(page, citizen.email, DEFAULT_PASSWORD)
    page.goto(f"/huishoudens/{household.pk}/plan/doelen/{goal.pk}/")
    expect(page.get_by_role("heading", level=1, name=nl("Change a goal"))).to_be_visible()
    check_page(page)
    # Meanwhile the professional saves the same goal.
    services.goal_update(
        actor=actor_for_user(professional),
        goal=goal,
        expected_version=1,
        text="Een warm en droog huis, voor de winter",
        domain=ZrmDomain.HOUSING,
        status="in_progress",
    )
    page.get_by_label(nl("The goal")).fill("Een huis zonder schimmel")
    page.get_by_role("button", name=nl("Save"), exact=True).click()
    expect(page.get_by_role("heading", level=2, name=nl("Both texts"))).to_be_visible()
    expect(page.get_by_label(nl("The goal"))).to_have_value("Een huis zonder schimmel")
    check_page(page)
    page.get_by_role("button", name=nl("Save"), exact=True).click()
    expect(_status(page, nl("The goal is saved."))).to_be_visible()
    Goal.objects.get(pk=goal.pk, text="Een huis zonder schimmel")

    page.get_by_role("link", name=nl("Versions"), exact=True).click()
    page.get_by_role("button", name=nl("Save as version"), exact=True).click()
    page.get_by_role("button", name=nl("Show the differences"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Differences between versions"))).to_be_visible()
    expect(page.get_by_role("main").get_by_text(nl("Added:")).first).to_be_visible()
    check_page(page)


@one_run
def test_the_outcome_of_an_evaluation_is_written_down_and_the_timeline_tells(page, household_with_team):
    from django.utils import formats

    from samen.plans.models import EvaluationMoment
    from samen.plans.tests.factories import EvaluationMomentFactory, PlanFactory

    household, citizen, professional = household_with_team
    day = datetime.date.today() - datetime.timedelta(days=1)
    evaluation = EvaluationMomentFactory(plan=PlanFactory(household=household), date=day)

    log_in(page, professional.email, DEFAULT_PASSWORD)
    _open_plan(page, household)
    due = nl("It is time to look back. What came out of it is not written down yet.")
    expect(page.get_by_role("main").get_by_text(due, exact=False)).to_be_visible()
    with translation.override("nl"):
        date = formats.date_format(day, "j F Y")
    page.get_by_role("link", name=f"{nl('Write down the outcome')}: {date}", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Looking back on %(date)s") % {"date": date})).to_be_visible()
    check_page(page)
    # Saving nothing explains what is missing and stays on the page.
    page.get_by_role("button", name=nl("Save"), exact=True).click()
    expect(page.get_by_role("main").get_by_text(nl("Please write something here.")).first).to_be_visible()
    check_page(page)
    page.get_by_label(nl("How did it go?")).fill("De schimmel is weg. Volgende keer praten we over werk.")
    page.get_by_role("button", name=nl("Save"), exact=True).click()
    expect(_status(page, nl("The outcome of the evaluation is saved."))).to_be_visible()
    expect(page.get_by_role("main").get_by_text("De schimmel is weg.", exact=False)).to_be_visible()
    check_page(page)
    assert EvaluationMoment.objects.get(pk=evaluation.pk).evaluated_by == professional

    # The household's timeline tells it happened, without the words themselves.
    page.goto(f"/huishoudens/{household.pk}/dossier/")
    told = nl("The outcome of the evaluation of %(date)s was written down.") % {"date": date}
    expect(page.get_by_role("main").get_by_text(told)).to_be_visible()
    check_page(page)
