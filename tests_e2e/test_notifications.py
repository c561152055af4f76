"""The notification centre in a browser. Other parts of Samen tell Fatima (a citizen) and Sanne (a debt counsellor)
that something needs them, through ``notify``: two messages in one conversation (one line), an invitation to a
meeting, a signal; and one about health, which Sanne's organisation may not see.

Fatima logs in, sees the number on her home page, opens "Meldingen", follows the conversation's line (which marks
it read), marks the rest read at once and chooses to get an e-mail at once. Sanne sees the signal and the meeting,
never the line about health, and marks one line read. Every page is checked with axe at 1280 and 360 px.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD
from samen.consent.models import DataCategory
from samen.core.actor import SYSTEM
from samen.organisations.actors import actor_for_user
from samen.reminders.models import EmailChoice, Notification, NotificationKind, NotificationPreference
from samen.reminders.services import notify
from tests_e2e.helpers import bakker_household, check_page, log_in, main_menu, nl, one_run

pytestmark = pytest.mark.e2e


def _nl_count(singular: str, plural: str, count: int, name: str = "counter") -> str:
    with translation.override("nl"):
        return translation.ngettext(singular, plural, count) % {name: count}


def _nl(message: str, **params) -> str:
    return nl(message) % params


def _navigation_label(message: str) -> str:
    with translation.override("nl"):
        return translation.pgettext("navigation", message)


@pytest.fixture
def notified(live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    household, citizen, professional = bakker_household()
    citizen, professional = citizen.user, professional.user
    overview = reverse("dossier:overview", args=[household.pk])
    common = {"household_id": household.pk, "url": overview}
    for _ in range(2):
        notify(
            actor=actor_for_user(professional),
            recipients=[citizen.pk],
            kind=NotificationKind.MESSAGE,
            category=DataCategory.GENERAL,
            params={"name": "Sanne de Vries"},
            group_key="thread:1",
            **common,
        )
    meeting = timezone.localdate() + datetime.timedelta(days=7)
    notify(
        actor=SYSTEM,
        recipients=[citizen.pk, professional.pk],
        kind=NotificationKind.MEETING_INVITED,
        category=DataCategory.GENERAL,
        params={"date": meeting},
        **common,
    )
    notify(
        actor=actor_for_user(citizen),
        recipients=[professional.pk],
        kind=NotificationKind.SIGNAL,
        category=DataCategory.GENERAL,
        params={"name": "Fatima Bakker"},
        **common,
    )
    notify(
        actor=actor_for_user(citizen),
        recipients=[professional.pk],
        kind=NotificationKind.MESSAGE,
        category=DataCategory.HEALTH,  # Schuldhulp Zuid may see general and finances only
        params={"name": "Verborgen Persoon"},
        **common,
    )
    with translation.override("nl"):
        day = formats.date_format(meeting, "j F Y")
    return household, citizen, professional, day


@one_run
def test_a_citizen_reads_her_notifications_and_chooses_e_mail_at_once(page, notified):
    household, citizen, _professional, day = notified
    log_in(page, citizen.email, DEFAULT_PASSWORD)
    count = _nl_count("You have %(counter)s new notification.", "You have %(counter)s new notifications.", 2)
    expect(page.get_by_role("main").get_by_text(count)).to_be_visible()
    check_page(page)

    page.get_by_role("main").get_by_role("link", name=nl("Read your notifications")).click()
    expect(page.get_by_role("heading", level=1, name=nl("Notifications"))).to_be_visible()
    messages = _nl("%(name)s and others wrote %(count)s new messages.", name="Sanne de Vries", count=2)
    line = page.get_by_role("article", name=messages)
    expect(line).to_contain_text(_nl("Household: %(name)s", name=household.name))
    expect(line.get_by_text(nl("New"), exact=True)).to_be_visible()
    invitation = page.get_by_role("article", name=_nl("You are invited to a meeting on %(date)s.", date=day))
    expect(invitation).to_be_visible()
    two = _nl_count("You have %(counter)s unread notification", "You have %(counter)s unread notifications", 2)
    expect(page.get_by_role("heading", level=2, name=two)).to_be_visible()
    check_page(page)

    # Follow the conversation's line: on to the page it is about, and the line is read.
    line.get_by_role("link", name=nl("Open the conversation")).click()
    page.wait_for_url(f"**/huishoudens/{household.pk}/")
    check_page(page)
    main_menu(page).get_by_role("link", name=_navigation_label("Notifications"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Notifications"))).to_be_visible()
    expect(page.get_by_role("article", name=messages).get_by_text(nl("Read"), exact=True)).to_be_visible()
    one = _nl_count("You have %(counter)s unread notification", "You have %(counter)s unread notifications", 1)
    expect(page.get_by_role("heading", level=2, name=one)).to_be_visible()

    # The rest at once.
    page.get_by_role("button", name=nl("Mark all as read"), exact=True).click()
    marked = _nl_count(
        "%(count)d notification is marked as read.", "%(count)d notifications are marked as read.", 1, "count"
    )
    expect(page.get_by_role("status").filter(has_text=marked)).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=nl("You have no new notifications"))).to_be_visible()
    expect(page.get_by_role("button", name=nl("Mark as read"))).to_have_count(0)
    check_page(page)
    assert not Notification.objects.filter(recipient=citizen, read_at__isnull=True).exists()

    # E-mail: once a day unless she chooses otherwise.
    page.get_by_role("link", name=nl("E-mail settings")).click()
    expect(page.get_by_role("heading", level=1, name=nl("Notifications by e-mail"))).to_be_visible()
    daily, at_once = (capfirst(nl(str(choice.label))) for choice in (EmailChoice.DAILY, EmailChoice.IMMEDIATELY))
    expect(page.get_by_label(daily)).to_be_checked()
    check_page(page)
    page.get_by_label(at_once).check()
    page.get_by_role("button", name=nl("Save"), exact=True).click()
    expect(page.get_by_role("main").get_by_text(nl("Your choice is saved."))).to_be_visible()
    expect(page.get_by_label(at_once)).to_be_checked()
    check_page(page)
    assert NotificationPreference.objects.get(user=citizen).email == EmailChoice.IMMEDIATELY


@one_run
def test_a_professional_sees_only_what_her_organisation_may_see(page, notified):
    _household, _citizen, professional, day = notified
    log_in(page, professional.email, DEFAULT_PASSWORD)
    # The work queue on the home page counts the unread notifications (the line about health is not one of them).
    unread = _nl_count("%(counter)s unread reminder", "%(counter)s unread reminders", 2)
    page.get_by_role("main").get_by_role("link", name=unread).click()
    expect(page.get_by_role("heading", level=1, name=nl("Notifications"))).to_be_visible()
    signal = _nl("%(name)s said that something is not going well.", name="Fatima Bakker")
    expect(page.get_by_role("article", name=signal)).to_be_visible()
    expect(page.get_by_role("article", name=_nl("You are invited to a meeting on %(date)s.", date=day))).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Verborgen Persoon")
    check_page(page)

    page.get_by_role("article", name=signal).get_by_role(
        "button", name=f"{nl('Mark as read')}: {signal}", exact=True
    ).click()
    expect(page.get_by_role("status").filter(has_text=nl("The notification is marked as read."))).to_be_visible()
    one = _nl_count("You have %(counter)s unread notification", "You have %(counter)s unread notifications", 1)
    expect(page.get_by_role("heading", level=2, name=one)).to_be_visible()
    check_page(page)
