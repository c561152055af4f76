"""Reminders in a browser: a debt counsellor has an action due tomorrow, one in two days and one two days overdue;
the daily job runs; they log in, see the number on their home page, open the notification centre ("Meldingen",
where reminders are lines like the other notifications), follow the link to the plan (which marks that reminder
read), mark one reminder read and then the rest. Every page is checked with axe at 1280 and 360 px."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.consent.models import DataCategory
from samen.consent.tests.factories import ConsentGrantFactory, TeamMemberFactory
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
from samen.plans.models import ZrmDomain
from samen.plans.tests.factories import ActionFactory, GoalFactory, PlanFactory
from samen.reminders.models import Reminder
from samen.reminders.services import create_due_reminders
from tests_e2e.helpers import check_page, log_in, main_menu, nl, one_run

pytestmark = pytest.mark.e2e

TOMORROW = "Schulden op een rij zetten met Fatima"
OVERDUE = "Brief van de energieleverancier beantwoorden"
LATER = "Afspraak maken bij de bank"


def _navigation_label(message: str) -> str:
    with translation.override("nl"):
        return translation.pgettext("navigation", message)


def _nl_count(singular: str, plural: str, count: int, name: str = "counter") -> str:
    with translation.override("nl"):
        return translation.ngettext(singular, plural, count) % {name: count}


@pytest.fixture
def professional_with_due_actions(live_server, settings, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    household = HouseholdFactory(name="Familie Bakker")
    HouseholdMemberFactory(household=household, given_name="Fatima", family_name="Bakker")
    place = TeamMemberFactory(
        household=household,
        organisation__name="Schuldhulp Zuid",
        user=UserFactory(email="sanne@example.test", full_name="Sanne de Vries"),
    )
    for category in (DataCategory.GENERAL, DataCategory.FINANCES):
        ConsentGrantFactory(household=household, organisation=place.organisation, category=category)
    goal = GoalFactory(
        plan=PlanFactory(household=household),
        text="We willen grip op ons geld",
        domain=ZrmDomain.FINANCES,
        category=DataCategory.FINANCES,
    )
    today = timezone.localdate()
    for text, days in ((TOMORROW, 1), (OVERDUE, -2), (LATER, 2)):
        ActionFactory(
            goal=goal, text=text, owner_member=None, owner_team_member=place, due_date=today + datetime.timedelta(days)
        )
    result = create_due_reminders()  # the daily job
    assert (result.created, result.recipients) == (3, 1)
    assert [message.to for message in mailoutbox] == [["sanne@example.test"]]
    return household, place.user


@one_run
def test_a_professional_follows_a_reminder_to_the_plan_and_marks_it_read(page, professional_with_due_actions):
    household, professional = professional_with_due_actions

    log_in(page, professional.email, DEFAULT_PASSWORD)
    unread = _nl_count("%(counter)s unread reminder", "%(counter)s unread reminders", 3)
    expect(page.get_by_role("link", name=unread)).to_be_visible()
    check_page(page)

    main_menu(page).get_by_role("link", name=_navigation_label("Notifications"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Notifications"))).to_be_visible()
    heading = nl("Action: %(text)s")
    due = page.get_by_role("article", name=heading % {"text": TOMORROW})
    late = page.get_by_role("article", name=heading % {"text": OVERDUE})
    expect(due.get_by_text(nl("Soon"), exact=True)).to_be_visible()
    expect(late.get_by_text(nl("Overdue"), exact=True)).to_be_visible()  # in words, not only by colour
    expect(late).to_contain_text("2 dagen geleden")
    check_page(page)

    # Follow the link to the plan (that marks the reminder read), and come back.
    due.get_by_role("link", name=nl("Open the plan of %(name)s") % {"name": household.name}).click()
    expect(page.get_by_role("heading", level=1, name=nl("Plan of %(name)s") % {"name": household.name})).to_be_visible()
    expect(page.get_by_role("main").get_by_text(TOMORROW)).to_be_visible()
    check_page(page)
    main_menu(page).get_by_role("link", name=_navigation_label("Notifications"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Notifications"))).to_be_visible()
    followed = page.get_by_role("article", name=heading % {"text": TOMORROW})
    expect(followed.get_by_text(nl("Read"), exact=True)).to_be_visible()
    two_unread = _nl_count("You have %(counter)s unread notification", "You have %(counter)s unread notifications", 2)
    expect(page.get_by_role("heading", level=2, name=two_unread)).to_be_visible()

    # Mark one read: the list is replaced in place, and says so.
    page.get_by_role("article", name=heading % {"text": OVERDUE}).get_by_role(
        "button", name=f"{nl('Mark as read')}: {heading % {'text': OVERDUE}}", exact=True
    ).click()
    expect(page.get_by_role("status").filter(has_text=nl("The reminder is marked as read."))).to_be_visible()
    one_unread = _nl_count("You have %(counter)s unread notification", "You have %(counter)s unread notifications", 1)
    expect(page.get_by_role("heading", level=2, name=one_unread)).to_be_visible()
    done = page.get_by_role("article", name=heading % {"text": OVERDUE})
    expect(done.get_by_text(nl("Read"), exact=True)).to_be_visible()
    expect(done.get_by_role("button", name=nl("Mark as read"))).to_have_count(0)
    check_page(page)
    assert Reminder.objects.filter(recipient=professional, read_at__isnull=False).count() == 2

    # And the rest at once.
    page.get_by_role("button", name=nl("Mark all as read"), exact=True).click()
    marked = _nl_count(
        "%(count)d notification is marked as read.", "%(count)d notifications are marked as read.", 1, "count"
    )
    expect(page.get_by_role("status").filter(has_text=marked)).to_be_visible()
    expect(page.get_by_role("button", name=nl("Mark as read"))).to_have_count(0)
    check_page(page)
    assert not Reminder.objects.filter(recipient=professional, read_at__isnull=True).exists()
