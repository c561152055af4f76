"""The coordinator builds the team, the citizen decides, the coordination changes hands; a neighbour joins.

1. Sanne (coordinator, Wijkteam Noord) adds Joost of Jeugdhulp Zuid (another organisation of the network) from
   "Wie helpt mee"; the team page says the household must approve first.
2. Fatima (the citizen) sees Jeugdhulp Zuid's question on "Wie mag wat zien" and allows part of it.
3. Sanne hands the coordination over to Joost with a reason; "Wie helpt mee" shows Joost as the coordinator and
   the handover in the history.
4. Petra, the neighbour Fatima invited, opens the invitation link, makes an account and lands on the home page.

Every page is checked with axe at 1280 and at 360 px.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import Page, expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.consent.models import ConsentGrant, ConsentRequest, DataCategory
from samen.consent.tests.factories import ConsentGrantFactory
from samen.households import tokens
from samen.households.models import TeamMember, TeamRole
from samen.households.tests.factories import (
    HouseholdFactory,
    HouseholdMemberFactory,
    InvitationFactory,
    TeamMemberFactory,
)
from samen.organisations.tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory
from tests_e2e.helpers import check_page, log_in, log_out, nl, one_run

pytestmark = pytest.mark.e2e


def category_label(category: DataCategory) -> str:
    with translation.override("nl"):
        return capfirst(str(category.label))


def heading(page: Page, text: str):
    return page.get_by_role("heading", level=1, name=text, exact=True)


def status_message(page: Page, text: str):
    return page.get_by_role("main").get_by_role("status").filter(has_text=text)


@pytest.fixture
def network(live_server):
    household = HouseholdFactory(name="Familie Bakker")
    citizen = HouseholdMemberFactory(
        household=household,
        given_name="Fatima",
        user=UserFactory(email="fatima@example.test", full_name="Fatima Bakker"),
        date_of_birth=datetime.date(1985, 5, 17),
    )
    wijkteam = OrganisationFactory(name="Wijkteam Noord")
    jeugdhulp = OrganisationFactory(name="Jeugdhulp Zuid", youth_care=True)
    NetworkFactory(organisations=[wijkteam, jeugdhulp])
    coordinator = TeamMemberFactory(
        household=household,
        coordinator=True,
        organisation=wijkteam,
        user=UserFactory(email="sanne@example.test", full_name="Sanne de Vries"),
    )
    ConsentGrantFactory(household=household, organisation=wijkteam, category=DataCategory.GENERAL)
    joost = MembershipFactory(
        organisation=jeugdhulp, user=UserFactory(email="joost@example.test", full_name="Joost Jansen")
    )
    return household, citizen.user, coordinator.user, joost


def open_team(page: Page, household) -> None:
    page.goto(f"/huishoudens/{household.pk}/wie-helpt-mee/")
    expect(heading(page, nl("Who helps"))).to_be_visible()


@one_run
def test_the_coordinator_builds_the_team_and_hands_over(page, network):
    household, citizen, sanne, joost = network

    # 1. Sanne adds Joost of Jeugdhulp Zuid.
    log_in(page, sanne.email, DEFAULT_PASSWORD)
    open_team(page, household)
    check_page(page)
    page.get_by_role("link", name=nl("Add a professional"), exact=True).click()
    expect(heading(page, nl("Add a professional"))).to_be_visible()
    check_page(page)
    page.get_by_label(nl("Organisation"), exact=True).select_option(value=str(joost.organisation.pk))
    page.get_by_label(nl("E-mail address of the professional")).fill("joost@example.test")
    page.get_by_label(nl("What will they do for the household?")).fill("Begeleiding van Sem")
    page.get_by_label(category_label(DataCategory.GENERAL), exact=True).check()
    page.get_by_label(category_label(DataCategory.YOUTH), exact=True).check()
    page.get_by_label(nl("Why do they need this information?")).fill("Sem krijgt begeleiding thuis.")
    page.get_by_role("button", name=nl("Add to the team"), exact=True).click()
    expect(heading(page, nl("Who helps"))).to_be_visible()
    expect(status_message(page, "Joost Jansen")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Joost Jansen")).to_be_visible()
    check_page(page)
    member = TeamMember.objects.get(household=household, user=joost.user, left_at__isnull=True)
    request = ConsentRequest.objects.get(team_member=member)
    assert request.categories == ["general", "youth"]
    log_out(page)

    # 2. Fatima allows general information, not youth.
    log_in(page, citizen.email, DEFAULT_PASSWORD)
    page.get_by_role("link", name=nl("Decide who may see what"), exact=True).click()
    expect(heading(page, nl("Who may see what"))).to_be_visible()
    check_page(page)
    page.locator(f"#request-{request.pk}-youth").uncheck()
    page.get_by_role("button", name=nl("Yes, allow what is ticked"), exact=True).click()
    expect(heading(page, nl("Who may see what"))).to_be_visible()
    check_page(page)
    granted = set(
        ConsentGrant.objects.filter(household=household, organisation=joost.organisation).values_list(
            "category", flat=True
        )
    )
    assert granted == {"general"}
    log_out(page)

    # 3. Sanne hands the coordination over to Joost.
    log_in(page, sanne.email, DEFAULT_PASSWORD)
    open_team(page, household)
    page.get_by_role("link", name=nl("Hand over coordination"), exact=True).click()
    expect(heading(page, nl("Hand over coordination"))).to_be_visible()
    check_page(page)
    page.get_by_label(nl("New coordinator")).select_option(value=str(member.pk))
    page.get_by_label(nl("Reason"), exact=True).fill("De zorg voor Sem staat nu voorop.")
    page.get_by_role("button", name=nl("Hand over coordination"), exact=True).click()
    expect(heading(page, nl("Who helps"))).to_be_visible()
    coordinator_section = page.get_by_role("region", name=nl("The coordinator"))
    expect(coordinator_section.get_by_role("heading", level=3, name="Joost Jansen")).to_be_visible()
    history = page.get_by_role("region", name=nl("Changes of coordinator"))
    expect(history).to_contain_text("Sanne de Vries (Wijkteam Noord)")
    expect(history).to_contain_text("Joost Jansen (Jeugdhulp Zuid)")
    expect(history).to_contain_text("De zorg voor Sem staat nu voorop.")
    check_page(page)
    # Sanne is no longer the coordinator: the buttons are gone.
    expect(page.get_by_role("link", name=nl("Hand over coordination"), exact=True)).to_have_count(0)
    member.refresh_from_db()
    assert member.is_coordinator


@one_run
def test_an_invited_neighbour_signs_up_and_lands_on_the_home_page(page, network):
    household, citizen, _sanne, _joost = network
    invitation = InvitationFactory(
        household=household, invited_by=citizen, email="petra@example.test", name="Petra", description="Buurvrouw"
    )
    page.goto(f"/uitnodiging/{tokens.invitation_token(invitation)}/")
    expect(heading(page, nl("Help %(name)s") % {"name": "Familie Bakker"})).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("petra@example.test")
    check_page(page)
    page.get_by_label(nl("Your name"), exact=True).fill("Petra de Buurvrouw")
    page.get_by_label(nl("Choose a password"), exact=True).fill("lange-zin met 7 woorden!")
    page.get_by_role("button", name=nl("Make an account and accept"), exact=True).click()
    expect(heading(page, nl("My household"))).to_be_visible()
    message = nl("You are now part of the network of %(household)s. They decide what you may see.") % {
        "household": "Familie Bakker"
    }
    expect(status_message(page, message)).to_be_visible()
    check_page(page)
    member = TeamMember.objects.get(household=household, user__email="petra@example.test")
    assert member.role == TeamRole.INFORMAL
