"""The citizen sees who helps: "Wie helpt mee" in a browser.

The citizen logs in, follows the link on the home page, sees the coordinator and the independent client
supporter marked "onafhankelijk", invites someone they trust (first with an empty name, which keeps what was
typed and explains what is missing, then correctly) and sees the open invitation. Every page is checked with
axe at 1280 and 360 px.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.households.models import Invitation
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory, TeamMemberFactory
from tests_e2e.helpers import check_page, log_in, nl, one_run

pytestmark = pytest.mark.e2e


@pytest.fixture
def household_with_team(live_server):
    household = HouseholdFactory(name="Familie Bakker")
    citizen = HouseholdMemberFactory(
        household=household,
        given_name="Fatima",
        user=UserFactory(email="fatima@example.test", full_name="Fatima Bakker"),
        date_of_birth=datetime.date(1985, 5, 17),
    )
    TeamMemberFactory(
        household=household,
        coordinator=True,
        organisation__name="Wijkteam Noord",
        user=UserFactory(full_name="Sanne de Vries"),
    )
    TeamMemberFactory(household=household, organisation__name="Schuldhulp Stad", user__full_name="Piet Jansen")
    TeamMemberFactory(
        household=household, supporter=True, organisation__name="MEE Stad", user__full_name="Mila de Steun"
    )
    TeamMemberFactory(household=household, informal=True, user__full_name="Ans de Buurvrouw")
    return household, citizen.user


@one_run
def test_citizen_sees_the_team_and_invites_someone(page, household_with_team):
    household, citizen = household_with_team

    log_in(page, citizen.email, DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", level=1, name=nl("My household"), exact=True)).to_be_visible()
    check_page(page)

    page.get_by_role("link", name=nl("See who helps"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Who helps"), exact=True)).to_be_visible()
    coordinator = page.get_by_role("region", name=nl("Your coordinator"))
    expect(coordinator.get_by_role("heading", level=3, name="Sanne de Vries")).to_be_visible()
    expect(coordinator.get_by_text("Wijkteam Noord")).to_be_visible()
    supporter = page.get_by_role("region", name=nl("Client supporter"), exact=True)
    expect(supporter.get_by_role("heading", level=3, name="Mila de Steun")).to_be_visible()
    expect(supporter).to_contain_text(nl("independent"))
    expect(page.get_by_role("region", name=nl("People you trust")).get_by_text("Ans de Buurvrouw")).to_be_visible()
    check_page(page)

    invite = page.get_by_role("region", name=nl("Invite someone you trust"))
    invite.get_by_text(nl("Invite someone"), exact=True).click()  # the form is behind a disclosure
    invite.get_by_label(nl("E-mail address")).fill("joost@example.test")
    invite.get_by_role("button", name=nl("Send invitation"), exact=True).click()
    invite = page.get_by_role("region", name=nl("Invite someone you trust"))
    expect(invite.get_by_text(nl("Fill in the name of the person you want to invite.")).first).to_be_visible()
    expect(invite.get_by_label(nl("E-mail address"))).to_have_value("joost@example.test")
    assert not Invitation.objects.filter(household=household).exists()
    check_page(page)

    invite.get_by_label(nl("Name"), exact=True).fill("Joost Vriend")
    invite.get_by_label(nl("What does this person do for you?")).fill("Helpt met de post")
    invite.get_by_role("button", name=nl("Send invitation"), exact=True).click()

    message = nl("We are sending an invitation to %(name)s. It stays open for 14 days.") % {"name": "Joost Vriend"}
    expect(page.get_by_role("main").get_by_role("status").filter(has_text=message)).to_be_visible()
    invitations = page.get_by_role("region", name=nl("Invite someone you trust"))
    expect(invitations.get_by_text("Joost Vriend (joost@example.test)")).to_be_visible()
    expect(
        invitations.get_by_role("button", name=f"{nl('Withdraw the invitation')}: Joost Vriend", exact=True)
    ).to_be_visible()
    assert Invitation.objects.filter(household=household, email="joost@example.test").count() == 1
    check_page(page)
