"""Referrals in a browser: the coordinator refers Familie Bakker to GGZ Oost, which the household has not allowed to
see anything yet; Fatima reads the question on the referral's page and says yes; Ria of GGZ Oost finds the request in
her organisation's inbox, first tries to reject it without a reason (and is told why not), then accepts, starts and
completes it. Fatima sees each status in words. Every page is checked (axe, contrast, reflow) at 1280 and 360 px."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.consent.models import ConsentGrant, DataCategory
from samen.consent.tests.factories import ConsentGrantFactory, TeamMemberFactory
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from samen.referrals.models import Referral, ReferralStatus
from tests_e2e.helpers import bakker_household, check_page, log_in, log_out, main_menu, nl, one_run

pytestmark = pytest.mark.e2e

QUESTION = "Moeder slaapt slecht en piekert veel sinds de schulden. Kunnen jullie een intakegesprek doen?"


def _navigation(message: str) -> str:
    with translation.override("nl"):
        return translation.pgettext("navigation", message)


def _status(status: ReferralStatus) -> str:
    with translation.override("nl"):
        return str(status.label).capitalize()


@pytest.fixture
def bakkers(live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    household, citizen, _sanne = bakker_household()
    coordinator = TeamMemberFactory(
        household=household,
        coordinator=True,
        organisation__name="Wijkteam Noord",
        user=UserFactory(email="kees@example.test", full_name="Kees Regisseur"),
    )
    for category in (DataCategory.GENERAL, DataCategory.YOUTH):
        ConsentGrantFactory(household=household, organisation=coordinator.organisation, category=category)
    ggz = OrganisationFactory(name="GGZ Oost", type="mental_health")
    ria = MembershipFactory(organisation=ggz, user=UserFactory(email="ria@example.test", full_name="Ria Ontvanger"))
    return household, citizen.user, coordinator.user, ria.user


def _citizen_sees(page, household, status: ReferralStatus) -> None:
    """Fatima opens her household's referrals and reads the status of the referral to GGZ Oost in words, with the
    step that brought it there."""
    log_in(page, "fatima@example.test", DEFAULT_PASSWORD)
    page.goto(reverse("referrals:list", args=[household.pk]))
    card = page.get_by_role("article", name="GGZ Oost")
    expect(card.get_by_text(_status(status), exact=True)).to_be_visible()
    expect(card.get_by_role("list").get_by_role("listitem")).to_have_count(Referral.objects.get().version)
    check_page(page)
    log_out(page)


@one_run
def test_a_referral_is_requested_allowed_accepted_started_and_completed(page, bakkers):
    household, _fatima, _kees, _ria = bakkers

    # The coordinator refers the household.
    log_in(page, "kees@example.test", DEFAULT_PASSWORD)
    page.goto(reverse("referrals:list", args=[household.pk]))
    expect(page.get_by_role("heading", level=1, name=nl("Referrals"))).to_be_visible()
    check_page(page)
    page.get_by_role("link", name=nl("Refer to an organisation")).click()
    expect(page.get_by_role("heading", level=1, name=nl("Refer to an organisation"))).to_be_visible()
    check_page(page)
    page.get_by_role("button", name=nl("Refer"), exact=True).click()  # nothing filled in: told what is missing
    expect(page.get_by_role("alert").filter(has_text=nl("Please check what you entered."))).to_be_visible()
    check_page(page)
    page.get_by_label(nl("Organisation"), exact=True).select_option(label="GGZ Oost")
    page.get_by_label(nl("Question for the organisation")).fill(QUESTION)
    page.get_by_role("button", name=nl("Refer"), exact=True).click()
    expect(
        page.get_by_role("heading", level=1, name=nl("Referral to %(organisation)s") % {"organisation": "GGZ Oost"})
    ).to_be_visible()
    expect(page.get_by_text(_status(ReferralStatus.DRAFT), exact=True)).to_be_visible()
    check_page(page)
    log_out(page)

    # The household is asked in the same flow, and says yes.
    log_in(page, "fatima@example.test", DEFAULT_PASSWORD)
    page.goto(reverse("referrals:list", args=[household.pk]))
    page.get_by_role("link", name=nl("Answer the question")).click()
    question = nl("May %(organisation)s see this: %(category)s?") % {
        "organisation": "GGZ Oost",
        "category": nl("general"),
    }
    expect(page.get_by_text(question)).to_be_visible()
    yes = page.get_by_role("button", name=f"{nl('Yes')}: GGZ Oost")
    no = page.get_by_role("button", name=f"{nl('No')}: GGZ Oost")
    assert yes.get_attribute("class") == no.get_attribute("class")  # equal weight
    check_page(page)
    yes.click()
    thanks = nl("Thank you. %(organisation)s may now see this and has been asked to help.") % {
        "organisation": "GGZ Oost"
    }
    expect(page.get_by_role("status").filter(has_text=thanks)).to_be_visible()
    expect(page.get_by_text(_status(ReferralStatus.REQUESTED), exact=True)).to_be_visible()
    check_page(page)
    assert ConsentGrant.objects.filter(organisation__name="GGZ Oost", revoked_at__isnull=True).count() == 1
    log_out(page)

    # The receiving organisation's inbox.
    log_in(page, "ria@example.test", DEFAULT_PASSWORD)
    main_menu(page).get_by_role("link", name=_navigation("Referrals"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Requests to our organisation"))).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=f"{nl('New requests')} (1)")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Familie Bakker").click()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    check_page(page)

    # Rejecting needs a reason: the message stands beside the field, and nothing changed.
    page.get_by_role("button", name=f"{nl('Reject')}: GGZ Oost").click()
    expect(page.get_by_text(nl("Write down why. The others read it."))).to_be_visible()
    check_page(page)
    assert Referral.objects.get().status == ReferralStatus.REQUESTED

    for button, status in (
        (nl("Accept"), ReferralStatus.ACCEPTED),
        (nl("Start"), ReferralStatus.IN_PROGRESS),
        (nl("Mark as completed"), ReferralStatus.COMPLETED),
    ):
        page.get_by_role("button", name=f"{button}: GGZ Oost").click()
        expect(page.get_by_text(_status(status), exact=True)).to_be_visible()
        check_page(page)
        assert Referral.objects.get().status == status
        # The household reads where it stands after each step.
        log_out(page)
        _citizen_sees(page, household, status)
        log_in(page, "ria@example.test", DEFAULT_PASSWORD)
        page.goto(reverse("referrals:received", args=[Referral.objects.get().pk]))
    check_page(page)  # closed: still Ria's to read, without buttons
    expect(page.get_by_role("button", name=f"{nl('Accept')}: GGZ Oost")).to_have_count(0)

    referral = Referral.objects.get()
    assert list(referral.changes.values_list("to_status", flat=True)) == [
        ReferralStatus.DRAFT,
        ReferralStatus.REQUESTED,
        ReferralStatus.ACCEPTED,
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.COMPLETED,
    ]
