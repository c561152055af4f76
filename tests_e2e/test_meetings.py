"""A household meeting in a browser: the debt counsellor plans a kitchen-table meeting with Fatima (a bad video link
first: a clear message, nothing typed lost), downloads it for the calendar, holds it and writes down what was agreed
(adding a line keeps what was typed), turns one outcome into an action in the plan with one click and a small form,
follows the link to the plan and sees the action there; then Fatima logs in and reads the outcomes. Every page is
checked with axe at 1280 and 360 px (check_page)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import formats, timezone, translation
from icalendar import Calendar
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD
from samen.meetings.models import AppliedAs, Meeting, MeetingStatus
from samen.plans.models import Action, ZrmDomain
from samen.plans.tests.factories import GoalFactory, PlanFactory
from tests_e2e.helpers import bakker_household, check_page, log_in, log_out, nl, one_run

pytestmark = pytest.mark.e2e

GOAL = "Een huis zonder schimmel"
QUESTION = "Hoe gaat het met de schimmel in de slaapkamer?"
FIRST = "Sanne belt de woningcorporatie over de schimmel"
LATER = "We bellen elkaar elke maandag even"


@pytest.fixture
def household_with_a_plan(live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    household, citizen, professional = bakker_household()
    GoalFactory(plan=PlanFactory(household=household), text=GOAL, domain=ZrmDomain.HOUSING)
    return household, citizen.user, professional.user


def _status(page, message: str):
    return page.get_by_role("main").get_by_role("status").filter(has_text=message)


def _heading(page, name: str):
    return page.get_by_role("heading", level=1, name=name)


@one_run
def test_plan_hold_and_turn_an_outcome_into_an_action(page, household_with_a_plan, mailoutbox):
    household, citizen, professional = household_with_a_plan
    meetings_url = f"/huishoudens/{household.pk}/overleggen/"

    # The debt counsellor opens the household's meetings: none yet.
    log_in(page, professional.email, DEFAULT_PASSWORD)
    page.goto(meetings_url)
    expect(_heading(page, nl("Meetings of %(name)s") % {"name": household.name})).to_be_visible()
    expect(page.get_by_role("main").get_by_text(nl("No meeting is planned."))).to_be_visible()
    check_page(page)

    # Plan one: first with a video link that is not https (refused, with what was typed kept).
    page.get_by_role("link", name=nl("Plan a meeting"), exact=True).click()
    expect(_heading(page, nl("Plan a meeting"))).to_be_visible()
    check_page(page)
    day = timezone.localdate() + datetime.timedelta(days=7)
    page.get_by_label(nl("Date"), exact=True).fill(day.isoformat())
    page.get_by_label(nl("Time"), exact=True).fill("14:30")
    page.get_by_label(nl("Place"), exact=True).fill("Bij Fatima thuis")
    page.get_by_label(nl("Video link")).fill("http://meet.example.test/bakker")
    page.get_by_label("Fatima Bakker", exact=False).check()
    page.get_by_label(nl("Questions for the agenda")).fill(QUESTION)
    page.get_by_role("button", name=nl("Plan the meeting"), exact=True).click()
    expect(page.get_by_role("main").get_by_text(nl("Enter a link that starts with https://.")).first).to_be_visible()
    expect(page.get_by_label(nl("Questions for the agenda"))).to_have_value(QUESTION)
    expect(page.get_by_label("Fatima Bakker", exact=False)).to_be_checked()
    check_page(page)
    assert not Meeting.objects.exists()
    page.get_by_label(nl("Video link")).fill("")
    page.get_by_role("button", name=nl("Plan the meeting"), exact=True).click()
    expect(
        _status(page, nl("The meeting is planned. Everyone invited with an account gets an e-mail with it."))
    ).to_be_visible()
    expect(_heading(page, nl("Kitchen-table meeting"))).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_text("Bij Fatima thuis")).to_be_visible()
    expect(main.get_by_text(QUESTION)).to_be_visible()
    check_page(page)
    meeting = Meeting.objects.get()
    # Fatima got the invitation with the calendar file; it says nothing about the household.
    (invitation,) = mailoutbox
    assert invitation.to == ["fatima@example.test"] and household.name not in invitation.body + invitation.subject
    assert invitation.attachments[0][0].endswith(".ics")

    # Put it in the calendar: the .ics is this meeting.
    with page.expect_download() as download:
        main.get_by_role("link", name=nl("Put it in your calendar (.ics file)")).click()
    (event,) = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert str(event["uid"]) == meeting.uid and str(event["location"]) == "Bij Fatima thuis"

    # Hold it: write down what was agreed; one more line keeps what was typed.
    page.get_by_role("link", name=nl("Write down what was agreed"), exact=True).click()
    expect(_heading(page, nl("Write down what was agreed"))).to_be_visible()
    check_page(page)
    page.get_by_label(nl("Outcome %(number)d") % {"number": 1}, exact=True).fill(FIRST)
    page.get_by_role("button", name=nl("Add a line"), exact=True).click()
    expect(page.get_by_label(nl("Outcome %(number)d") % {"number": 4}, exact=True)).to_be_visible()
    expect(page.get_by_label(nl("Outcome %(number)d") % {"number": 1}, exact=True)).to_have_value(FIRST)
    page.get_by_label(nl("Outcome %(number)d") % {"number": 4}, exact=True).fill(LATER)
    check_page(page)
    page.get_by_role("button", name=nl("Save: the meeting was held"), exact=True).click()
    expect(_status(page, nl("The meeting is written down as held, with what was agreed."))).to_be_visible()
    agreed = page.get_by_role("region", name=nl("What was agreed"))
    expect(agreed.get_by_text(FIRST)).to_be_visible()
    expect(agreed.get_by_text(LATER)).to_be_visible()
    check_page(page)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD

    # One outcome becomes an action in the plan: one click, then who does it.
    page.get_by_role("link", name=f"{nl('Make it an action')}: {FIRST}", exact=True).click()
    expect(_heading(page, nl("Make it an action"))).to_be_visible()
    check_page(page)
    page.get_by_label(nl("Under which goal?")).select_option(label=GOAL)
    page.get_by_label(nl("Who does it?")).select_option(label="Sanne de Vries (Schuldhulp Zuid)")
    page.get_by_role("button", name=nl("Make it an action"), exact=True).click()
    expect(_status(page, nl("The outcome is an action in the plan now."))).to_be_visible()
    expect(
        page.get_by_text(nl("It is an action in the plan, for %(owner)s.") % {"owner": "Sanne de Vries"})
    ).to_be_visible()
    expect(page.get_by_role("link", name=f"{nl('Make it an action')}: {FIRST}")).to_have_count(0)
    check_page(page)
    action = Action.objects.get(text=FIRST)
    assert meeting.outcomes.get(text=FIRST).applied_as == AppliedAs.ACTION

    # And there it is in the plan, under the goal.
    page.get_by_role("link", name=nl("See it in the plan")).first.click()
    expect(_heading(page, nl("Plan of %(name)s") % {"name": household.name})).to_be_visible()
    goal = page.locator(f"#goal-{action.goal_id}")
    expect(goal.get_by_text(FIRST)).to_be_visible()
    # ... and it links back to the meeting where it was agreed.
    with translation.override("nl"):
        back = nl("Agreed in the meeting of %(day)s") % {"day": formats.date_format(day, "j F Y")}
    goal.get_by_role("link", name=back).click()
    expect(_heading(page, nl("Kitchen-table meeting"))).to_be_visible()
    page.go_back()
    check_page(page)
    log_out(page)

    # The household sees the outcomes.
    log_in(page, citizen.email, DEFAULT_PASSWORD)
    page.goto(meetings_url)
    with translation.override("nl"):
        two = translation.ngettext("%(counter)s outcome written down", "%(counter)s outcomes written down", 2)
    expect(page.get_by_role("main").get_by_text(two % {"counter": 2})).to_be_visible()
    check_page(page)
    page.get_by_role("link", name=nl("Kitchen-table meeting")).first.click()
    agreed = page.get_by_role("region", name=nl("What was agreed"))
    expect(agreed.get_by_text(FIRST)).to_be_visible()
    expect(agreed.get_by_text(LATER)).to_be_visible()
    expect(agreed.get_by_role("link", name=f"{nl('Make it an action')}: {LATER}")).to_be_visible()
    check_page(page)
